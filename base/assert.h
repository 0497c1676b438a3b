// Assertions on arguments, results and invariants. They stay on in every build type: a broken
// invariant in a simulator must stop the run loudly, never let it go on to report a wrong verdict.
#ifndef LOCKSIM_BASE_ASSERT_H_
#define LOCKSIM_BASE_ASSERT_H_

namespace locksim::internal {
[[noreturn]] void AssertionFailed(const char* condition, const char* file, int line);
}  // namespace locksim::internal

#define LOCKSIM_ASSERT(condition)                                           \
  do {                                                                      \
    if (!(condition)) [[unlikely]] {                                        \
      ::locksim::internal::AssertionFailed(#condition, __FILE__, __LINE__); \
    }                                                                       \
  } while (false)

// Marks a place control never reaches, with why (a string literal): the end of a switch that
// handles every enumerator, a handler for a message nobody sends. Reaching it is a broken
// invariant, reported like a failed LOCKSIM_ASSERT. It ends a function that returns a value.
#define LOCKSIM_UNREACHABLE(why) \
  ::locksim::internal::AssertionFailed("unreachable: " why, __FILE__, __LINE__)

#endif  // LOCKSIM_BASE_ASSERT_H_
