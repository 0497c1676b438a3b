// Dense ids for lock names, for the one-pass checker: it looks up the name of every operation, so
// the lookup is most of its cost at many locks. A small open-addressing table specialised for
// short names, about twice as fast here as absl::flat_hash_map<std::string_view, uint32_t>
// (whose string hash and memcmp calls dominated the profile; docs/benchmarks.md). Lookup only:
// ids are handed out in order of first appearance, and nothing iterates the table.
#ifndef LOCKSIM_CHECK_LOCK_NAME_IDS_H_
#define LOCKSIM_CHECK_LOCK_NAME_IDS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace locksim::check {

class LockNameIds {
 public:
  LockNameIds();

  // The id of `name`, giving it the next id if it has none. The view must stay valid while the
  // table is used (the checker's names point into the history).
  uint32_t IdOf(std::string_view name) {
    if (!names_.empty() && SameName(names_[last_id_], name)) return last_id_;  // runs are common
    const uint64_t hash = Hash(name);
    for (size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& entry = slots_[slot];
      if (entry.id == kEmpty) return last_id_ = Insert(name, hash);
      if (entry.hash == hash && SameName(names_[entry.id], name)) return last_id_ = entry.id;
    }
  }

  size_t size() const { return names_.size(); }
  std::string_view name(uint32_t id) const { return names_[id]; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kEmpty;
  };

  // Byte loops rather than memcmp: lock names are a few bytes, and the library call costs more
  // than the comparison.
  static bool SameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  static uint64_t Hash(std::string_view name);
  uint32_t Insert(std::string_view name, uint64_t hash);
  void Place(uint64_t hash, uint32_t id);

  std::vector<Slot> slots_;  // a power of two, at most a quarter full (short probes)
  size_t mask_;
  std::vector<std::string_view> names_;  // by id
  uint32_t last_id_ = 0;
};

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_LOCK_NAME_IDS_H_
