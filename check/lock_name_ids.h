// Dense ids for lock names, for the one-pass checker: it looks up the name of every operation, so
// at many locks the lookup is much of its cost. A small open-addressing table specialised for
// short names: a name of up to 16 bytes is read as two (possibly overlapping) words that, with its
// length, determine it, so the lookup has no byte loop and no memcmp call (the string hash and
// memcmp of absl::flat_hash_map<std::string_view, uint32_t> were a third of the checker's profile;
// docs/benchmarks.md). Lookup only: ids are handed out in order of first appearance, and nothing
// iterates the table.
#ifndef LOCKSIM_CHECK_LOCK_NAME_IDS_H_
#define LOCKSIM_CHECK_LOCK_NAME_IDS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace locksim::check {

class LockNameIds {
 public:
  LockNameIds();

  // The id of `name`, giving it the next id if it has none. The view must stay valid while the
  // table is used (the checker's names point into the history).
  [[gnu::always_inline]] uint32_t IdOf(std::string_view name) {
    const Key key = KeyOf(name);
    // Runs of one lock are common; but at many locks a failed guess costs a mispredicted branch,
    // so guess only after the last lookup was a repeat.
    if (last_was_repeat_ && key == slots_[last_slot_].key && SameLongTail(last_slot_, name)) {
      return slots_[last_slot_].id;
    }
    const uint64_t hash = Hash(key);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.id == kEmpty) {
        last_was_repeat_ = false;
        return Insert(name, key, hash);
      }
      if (entry.key == key && SameLongTail(slot, name)) {
        last_was_repeat_ = slot == last_slot_;
        last_slot_ = slot;
        return entry.id;
      }
    }
  }

  size_t size() const { return names_.size(); }
  std::string_view name(uint32_t id) const { return names_[id]; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr size_t kShortName = 16;

  // Length, then the first and last eight bytes (fewer, overlapping, for shorter names; see
  // KeyOf). Equal keys mean equal names for names of up to kShortName bytes.
  struct Key {
    uint64_t size = 0;
    uint64_t head = 0;
    uint64_t tail = 0;
    bool operator==(const Key&) const = default;
  };
  struct Slot {
    Key key;
    uint32_t id = kEmpty;
  };

  template <typename Word>
  static uint64_t Load(const char* bytes) {
    Word word;
    std::memcpy(&word, bytes, sizeof word);
    return word;
  }
  static Key KeyOf(std::string_view name) {
    const char* p = name.data();
    const size_t n = name.size();
    if (n >= 8) return {n, Load<uint64_t>(p), Load<uint64_t>(p + n - 8)};
    if (n >= 4) return {n, Load<uint32_t>(p), Load<uint32_t>(p + n - 4)};
    if (n >= 1) {
      // First, middle and last byte: all of a name of one to three bytes.
      return {n, static_cast<unsigned char>(p[0]),
              static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
                  static_cast<unsigned char>(p[n - 1])};
    }
    return {};
  }
  // A long name's key leaves its middle unseen: compare that too.
  bool SameLongTail(size_t slot, std::string_view name) const {
    return name.size() <= kShortName || names_[slots_[slot].id] == name;
  }
  static uint64_t Hash(const Key& key) {
    // A long name's middle is not hashed: names that differ only there share a probe sequence,
    // which costs time, never a wrong id.
    const uint64_t h = Mix(Mix(Mix(0, key.size), key.head), key.tail);
    return h ^ (h >> 32);
  }
  static uint64_t Mix(uint64_t h, uint64_t word) {
    h = (h ^ word) * 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio
    return h ^ (h >> 29);
  }
  uint32_t Insert(std::string_view name, const Key& key, uint64_t hash);
  void Place(const Key& key, uint64_t hash, uint32_t id);

  std::vector<Slot> slots_;  // a power of two, at most a quarter full (short probes)
  size_t mask_;
  std::vector<std::string_view> names_;  // by id
  size_t last_slot_ = 0;
  bool last_was_repeat_ = false;
};

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_LOCK_NAME_IDS_H_
