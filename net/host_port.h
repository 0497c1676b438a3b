// HOST:PORT arguments (`--listen`, `--backup`, `--primary`): "127.0.0.1:7000", "[::1]:7000",
// "db1.example.org:7000". IPv6 literals go in brackets, as in URLs.
#ifndef LOCKSIM_NET_HOST_PORT_H_
#define LOCKSIM_NET_HOST_PORT_H_

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace locksim::net {

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
};

// `flag` names the option in error messages ("--listen 127.0.0.1: no port ..."). Port 0 is
// allowed only when `allow_port_zero` (a listening address: the system picks a free port).
absl::StatusOr<HostPort> ParseHostPort(std::string_view text, std::string_view flag,
                                       bool allow_port_zero);

// "127.0.0.1:7000", "[::1]:7000".
std::string FormatEndpoint(const asio::ip::tcp::endpoint& endpoint);

// The addresses `address` names (a literal, or every address a host name resolves to).
absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> Resolve(asio::io_context& io,
                                                             const HostPort& address,
                                                             std::string_view flag);

}  // namespace locksim::net

#endif  // LOCKSIM_NET_HOST_PORT_H_
