#include "check/lock_name_ids.h"

#include <cstring>

#include "base/assert.h"

namespace locksim::check {
namespace {

constexpr size_t kInitialSlots = 64;
constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio

uint64_t Mix(uint64_t h, uint64_t word) {
  h = (h ^ word) * kMultiplier;
  return h ^ (h >> 29);
}

}  // namespace

LockNameIds::LockNameIds() : slots_(kInitialSlots), mask_(kInitialSlots - 1) {}

uint64_t LockNameIds::Hash(std::string_view name) {
  // Eight bytes at a time, then the tail; the length seeds it so "a" and "a\0" differ.
  uint64_t h = Mix(0, name.size());
  size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, name.data() + i, sizeof word);
    h = Mix(h, word);
  }
  uint64_t tail = 0;
  for (; i < name.size(); ++i) tail = (tail << 8) | static_cast<unsigned char>(name[i]);
  h = Mix(h, tail);
  return h ^ (h >> 32);
}

uint32_t LockNameIds::Insert(std::string_view name, uint64_t hash) {
  LOCKSIM_ASSERT(names_.size() < kEmpty);
  const uint32_t id = static_cast<uint32_t>(names_.size());
  names_.push_back(name);
  if (names_.size() * 4 > slots_.size()) {
    // Grow and re-place every name (by id, so the layout depends only on the names).
    slots_.assign(slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (uint32_t k = 0; k < names_.size(); ++k) Place(Hash(names_[k]), k);
  } else {
    Place(hash, id);
  }
  return id;
}

void LockNameIds::Place(uint64_t hash, uint32_t id) {
  size_t slot = hash & mask_;
  while (slots_[slot].id != kEmpty) slot = (slot + 1) & mask_;
  slots_[slot] = Slot{hash, id};
}

}  // namespace locksim::check
