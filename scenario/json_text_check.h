// What a scenario's text must pass before it becomes a JSON tree (nlohmann::json): the checks
// nlohmann does not make, or could not survive. One SAX pass that keeps only the stack of open
// containers (nlohmann's SAX parser is iterative), so no input of any size or depth can exhaust
// the call stack:
//  - at most kMaxScenarioBytes;
//  - no NUL byte (nlohmann stops reading at one: garbage after it would go unseen);
//  - valid JSON (the first syntax error, with its line and column);
//  - every number within a double (building a tree throws on 1e400);
//  - at most kMaxJsonDepth containers deep (copying or printing a tree recurses per level);
//  - no key twice in one object (nlohmann keeps the last value silently, and `"clients": 2, ...,
//    "clients": 20` should be an error like any other typo).
#ifndef LOCKSIM_SCENARIO_JSON_TEXT_CHECK_H_
#define LOCKSIM_SCENARIO_JSON_TEXT_CHECK_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace locksim::scenario {

// A scenario file is small: the largest that can be valid (10⁵ steps) is a few MB.
inline constexpr size_t kMaxScenarioBytes = size_t{64} << 20;
// No scenario key needs more than 5 levels (faults[i].partition[g][j]).
inline constexpr int kMaxJsonDepth = 32;

struct JsonTextProblem {
  std::string path;  // where, as the parser's errors name it ("steps[2].lock"; "" for the root)
  std::string what;  // one line, safe to print (text from the file is escaped)
};

// The first problem in `text`, in text order, or nullopt when nlohmann may parse it.
std::optional<JsonTextProblem> CheckJsonText(std::string_view text);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_JSON_TEXT_CHECK_H_
