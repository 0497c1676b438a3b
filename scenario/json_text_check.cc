#include "scenario/json_text_check.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/printable.h"

namespace locksim::scenario {
namespace {

using Json = nlohmann::json;

// nlohmann's id for "number overflow parsing '1e400'" (an out_of_range error).
constexpr int kNumberOverflow = 406;

// Tracks where the parser is (a stack of open containers) and each object's keys; stops at the
// first problem.
class TextChecker : public nlohmann::json_sax<Json> {
 public:
  std::optional<JsonTextProblem> problem;
  // The problem is a syntax error where the text ended (the text was cut short).
  bool cut_short = false;
  explicit TextChecker(size_t size) : size_(size) {}

  bool start_object(std::size_t /*size*/) override { return Open(false); }
  bool start_array(std::size_t /*size*/) override { return Open(true); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& name) override {
    Frame& frame = frames_.back();
    frame.key = name;
    frame.in_value = true;
    if (!frame.keys.insert(name).second) return Fail(Path(), "key given twice in one object");
    return true;
  }
  bool null() override { return Scalar(); }
  bool boolean(bool /*value*/) override { return Scalar(); }
  bool number_integer(number_integer_t /*value*/) override { return Scalar(); }
  bool number_unsigned(number_unsigned_t /*value*/) override { return Scalar(); }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override {
    return Scalar();
  }
  bool string(string_t& /*value*/) override { return Scalar(); }
  bool binary(binary_t& /*value*/) override { return Scalar(); }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& error) override {
    if (error.id == kNumberOverflow) {
      return Fail(Path(/*next_element=*/true),
                  absl::StrCat(Printable(token),
                               " is beyond the range of a number (at most about 1.8e308)"));
    }
    // nlohmann's message says where: "[json.exception.parse_error.101] parse error at line 3,
    // column 7: ...", and may quote the bytes it read: those are escaped.
    std::string what = error.what();
    if (const size_t at = what.find("parse error"); at != std::string::npos) what = what.substr(at);
    cut_short = position >= size_;
    return Fail(Path(/*next_element=*/true), absl::StrCat("not valid JSON: ", Printable(what)));
  }

 private:
  struct Frame {
    bool array = false;
    int64_t index = -1;     // arrays: the last element started
    std::string key;        // objects: the last key read
    bool in_value = false;  // inside element `index` or the value of `key`
    std::set<std::string> keys;
  };

  bool Fail(std::string path, std::string what) {
    problem = JsonTextProblem{std::move(path), std::move(what)};
    return false;
  }
  // A value starts inside the current container: arrays count their elements.
  void Begin() {
    if (frames_.empty()) return;
    Frame& frame = frames_.back();
    if (frame.array) ++frame.index;
    frame.in_value = true;
  }
  // The value that started last in the current container is complete.
  void End() {
    if (!frames_.empty()) frames_.back().in_value = false;
  }
  bool Open(bool array) {
    Begin();
    if (frames_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      return Fail(Path(), absl::StrCat("nested deeper than ", kMaxJsonDepth,
                                       " levels (a scenario needs at most 5)"));
    }
    frames_.push_back(Frame{array, -1, "", false, {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    End();
    return true;
  }
  bool Scalar() {
    Begin();
    End();
    return true;
  }
  // The path of the value being read: each open container, and in each the element or key it is
  // in. With `next_element`, an array between elements names the next one (a value that failed
  // to parse never started).
  std::string Path(bool next_element = false) const {
    std::string path;
    for (const Frame& frame : frames_) {
      const bool last = &frame == &frames_.back();
      if (frame.array) {
        if (frame.in_value) {
          absl::StrAppend(&path, "[", frame.index, "]");
        } else if (last && next_element) {
          absl::StrAppend(&path, "[", frame.index + 1, "]");
        }
      } else if (frame.in_value) {
        absl::StrAppend(&path, path.empty() ? "" : ".", Printable(frame.key));
      }
    }
    return path;
  }

  const size_t size_;
  std::vector<Frame> frames_;
};

}  // namespace

std::optional<JsonTextProblem> CheckJsonText(std::string_view text) {
  if (text.size() > kMaxScenarioBytes) {
    return JsonTextProblem{
        "", absl::StrCat("the text is ", text.size(), " bytes; a scenario file is at most ",
                         kMaxScenarioBytes >> 20, " MiB")};
  }
  const size_t nul = text.find('\0');
  // The text up to a NUL: it may hold a problem of its own, which comes first; otherwise it is
  // cut short by the NUL, and the path where it ends is where the NUL is.
  const std::string_view before = text.substr(0, nul);
  TextChecker checker(before.size());
  Json::sax_parse(before.begin(), before.end(), &checker);
  if (nul == std::string_view::npos || (checker.problem.has_value() && !checker.cut_short)) {
    return checker.problem;
  }
  size_t line = 1;
  size_t column = 1;
  for (char c : before) {
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return JsonTextProblem{checker.problem.has_value() ? checker.problem->path : "",
                         absl::StrCat("a NUL byte at line ", line, ", column ", column,
                                      ": a scenario file is JSON text, which holds none")};
}

}  // namespace locksim::scenario
