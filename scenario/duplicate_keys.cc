#include "scenario/duplicate_keys.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"

namespace locksim::scenario {
namespace {

// A SAX handler that tracks where it is (a stack of open containers) and each object's keys.
class DuplicateKeyFinder : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::optional<std::string> duplicate;

  bool start_object(std::size_t /*size*/) override { return Open(false); }
  bool start_array(std::size_t /*size*/) override { return Open(true); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& name) override {
    Frame& frame = frames_.back();
    frame.key = name;
    if (!frame.keys.insert(name).second) {
      duplicate = Path();
      return false;  // stop: one is enough
    }
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
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    int64_t index = -1;  // arrays: the element being read
    std::string key;     // objects: the key being read
    std::set<std::string> keys;
  };

  // A value starts inside the current container: arrays count their elements.
  void Element() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  bool Open(bool array) {
    Element();
    frames_.push_back(Frame{array, -1, "", {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }
  bool Scalar() {
    Element();
    return true;
  }
  // The path of the key just read in the innermost object.
  std::string Path() const {
    std::string path;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.array) {
        absl::StrAppend(&path, "[", frame.index, "]");
      } else {
        absl::StrAppend(&path, path.empty() ? "" : ".", frame.key);
      }
    }
    return path;
  }

  std::vector<Frame> frames_;
};

}  // namespace

std::optional<std::string> FindDuplicateKey(std::string_view json_text) {
  DuplicateKeyFinder finder;
  nlohmann::json::sax_parse(json_text.begin(), json_text.end(), &finder);
  return finder.duplicate;
}

}  // namespace locksim::scenario
