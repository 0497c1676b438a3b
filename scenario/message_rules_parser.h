// The scenario keys that name messages (docs/scenario-format.md, "Naming messages"):
// `network.messages` (the fate of named messages) and the `after` of a crash step and the `at` of
// a deaf step (a server fault tied to a named message). Every error names the file and the JSON
// path, like the rest of the parser (scenario_parser.h).
#ifndef LOCKSIM_SCENARIO_MESSAGE_RULES_PARSER_H_
#define LOCKSIM_SCENARIO_MESSAGE_RULES_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenario/json_reader.h"
#include "service/node_id.h"
#include "sim/message_rules.h"

namespace locksim::scenario {

// `network.messages`: a list of rules, each a message (as ParseMessageSelector) and what happens
// to it: `"lose": true`, `"duplicate": true`, `"latency_ms": L` (or `[L1, L2]` for the two copies
// of a duplicated message). `clients`: the scenario's client count.
absl::StatusOr<std::vector<sim::MessageFateRule>> ParseMessageRules(const JsonReader& in,
                                                                    const Json& value,
                                                                    const std::string& path,
                                                                    int clients);

// `{"crash": SERVER, "after": {message}}`: the message must be one the server sends or handles
// (a request to it, a reply from it, a forward or its acknowledgement); a request's `to` and a
// reply's `from` default to the server.
absl::StatusOr<sim::MessageSelector> ParseCrashAnchor(const JsonReader& in, const Json& value,
                                                      const std::string& path,
                                                      service::NodeId server, int clients);

// `{"deaf": SERVER, "at": {request}}`: a client request to that server.
absl::StatusOr<sim::MessageSelector> ParseDeafAnchor(const JsonReader& in, const Json& value,
                                                     const std::string& path,
                                                     service::NodeId server, int clients);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_MESSAGE_RULES_PARSER_H_
