#include "net/host_port.h"

#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace locksim::net {

absl::StatusOr<HostPort> ParseHostPort(std::string_view text, std::string_view flag,
                                       bool allow_port_zero) {
  const auto bad = [&](const char* why) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(flag), " ", std::string(text), ": ", why,
                     " (expected HOST:PORT, e.g. 127.0.0.1:7000 or ", "[::1]:7000)"));
  };
  HostPort address;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("no ']' after an IPv6 address");
    address.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') return bad("no ':PORT' after ']'");
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    address.host = std::string(text.substr(0, colon));
    if (address.host.find(':') != std::string::npos) {
      return bad("an IPv6 address must be written in brackets");
    }
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) return bad("no host");
  uint32_t port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad("the port must be a number from 1 to 65535");
  }
  if (port == 0 && !allow_port_zero) return bad("port 0 names no server");
  address.port = static_cast<uint16_t>(port);
  return address;
}

std::string FormatEndpoint(const asio::ip::tcp::endpoint& endpoint) {
  const asio::ip::address& a = endpoint.address();
  return a.is_v6() ? absl::StrCat("[", a.to_string(), "]:", endpoint.port())
                   : absl::StrCat(a.to_string(), ":", endpoint.port());
}

absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> Resolve(asio::io_context& io,
                                                             const HostPort& address,
                                                             std::string_view flag) {
  std::vector<asio::ip::tcp::endpoint> endpoints;
  asio::error_code error;
  const asio::ip::address literal = asio::ip::make_address(address.host, error);
  if (!error) {
    endpoints.emplace_back(literal, address.port);
    return endpoints;
  }
  asio::ip::tcp::resolver resolver(io);
  const auto results = resolver.resolve(address.host, std::to_string(address.port),
                                        asio::ip::tcp::resolver::numeric_service, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(flag), " ", address.host, ":",
                                                   address.port, ": cannot resolve \"",
                                                   address.host, "\": ", error.message()));
  }
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(flag), " ", address.host, ":",
                                                   address.port, ": \"", address.host,
                                                   "\" has no address"));
  }
  return endpoints;
}

}  // namespace locksim::net
