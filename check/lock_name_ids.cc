#include "check/lock_name_ids.h"

#include "base/assert.h"

namespace locksim::check {
namespace {

constexpr size_t kInitialSlots = 64;
}  // namespace

LockNameIds::LockNameIds() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

uint32_t LockNameIds::Insert(std::string_view name, const Key& key, uint64_t hash) {
  LOCKSIM_ASSERT(names_.size() < kEmpty);
  const uint32_t id = static_cast<uint32_t>(names_.size());
  names_.push_back(name);
  if (names_.size() * 4 > slots_.size()) {
    // Grow and re-place every name (by id, so the layout depends only on the names).
    slots_.assign(slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (uint32_t k = 0; k < names_.size(); ++k) {
      const Key key_k = KeyOf(names_[k]);
      Place(key_k, Hash(key_k), k);
    }
  } else {
    Place(key, hash, id);
  }
  return id;
}

void LockNameIds::Place(const Key& key, uint64_t hash, uint32_t id) {
  size_t slot = hash & mask_;
  while (slots_[slot].id != kEmpty) slot = (slot + 1) & mask_;
  slots_[slot] = Slot{key, id};
  last_slot_ = slot;
}

}  // namespace locksim::check
