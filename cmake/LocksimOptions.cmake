# Compiler options shared by every locksim target: warnings everywhere, assertions kept in release
# builds (TIGER_STYLE: an invariant that is checked only in debug builds is not checked), and the
# sanitizers when asked for.
add_library(locksim_options INTERFACE)
target_compile_options(locksim_options INTERFACE -Wall -Wextra -Wpedantic)
# __FILE__ relative to the source tree: a failed assertion is part of a run's trace (and of its
# fingerprint), which must read the same on every machine and in every checkout. Ninja names
# sources absolutely, but ccache's CCACHE_BASEDIR makes them relative to the build folder
# ("../sim/world.cc"): strip both.
target_compile_options(locksim_options INTERFACE -fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=)
file(RELATIVE_PATH source_from_build ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
string(REGEX REPLACE "/$" "" source_from_build "${source_from_build}")
if(source_from_build)
  target_compile_options(locksim_options INTERFACE -fmacro-prefix-map=${source_from_build}/=)
endif()
if(LOCKSIM_WERROR)
  target_compile_options(locksim_options INTERFACE -Werror)
endif()
# Keep assert() on in every build type: CMake's release flags add -DNDEBUG, so take it out.
foreach(flags_var CMAKE_CXX_FLAGS_RELEASE CMAKE_CXX_FLAGS_RELWITHDEBINFO CMAKE_CXX_FLAGS_MINSIZEREL)
  string(REPLACE "-DNDEBUG" "" ${flags_var} "${${flags_var}}")
endforeach()
# The instrumented builds (fuzzing, sanitizers) exist to find bugs, not to be fast or stepped
# through: -O1 with line tables only, the sanitizers' usual setting, compiles in about half the
# time of -O2 -g (they are two of CI's three builds; docs/benchmarks.md) and still names file
# and line in every report. Added after the build type's flags, so they win.
if(LOCKSIM_FUZZ OR LOCKSIM_SANITIZE)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(locksim_options INTERFACE -O1 -gline-tables-only)
  else()
    target_compile_options(locksim_options INTERFACE -O1 -g1)
  endif()
endif()
if(LOCKSIM_FUZZ)
  # libFuzzer's coverage in every target, and the sanitizers that turn silent bugs into findings.
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LOCKSIM_FUZZ needs clang (libFuzzer); configure with CXX=clang++")
  endif()
  target_compile_options(locksim_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                   -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(locksim_options INTERFACE -fsanitize=address,undefined)
endif()
if(LOCKSIM_SANITIZE)
  target_compile_options(locksim_options INTERFACE -fsanitize=address,undefined
                                                   -fno-sanitize-recover=all -fno-omit-frame-pointer)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's -Wmaybe-uninitialized is known to misfire under the sanitizers' instrumentation (GCC 12
    # reports libstdc++'s own <regex> and <functional> as "may be used uninitialized" at -O2), and
    # with -Werror that stops the sanitizer build on code that is fine. The normal build keeps it.
    target_compile_options(locksim_options INTERFACE -Wno-maybe-uninitialized)
  endif()
  target_link_options(locksim_options INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(locksim_options INTERFACE ${PROJECT_SOURCE_DIR})
