# Sanitizer and fuzzing builds (issue 6). Included from the top-level CMakeLists.txt before any
# target is defined, so the flags apply to every library, the program and the tests.
#
#   OGI_SANITIZE=ON  everything (libraries, ogi, tests) built with AddressSanitizer and
#                    UndefinedBehaviorSanitizer; any report aborts the process
#                    (deploy/sanitize.sh: clang, build-asan/). Works with gcc too.
#   OGI_FUZZ=ON      the same, plus libFuzzer coverage instrumentation of all code; the targets
#                    in tests/fuzz/ link libFuzzer's main (deploy/fuzz.sh: build-fuzz/). Clang only.
#
# Without OGI_FUZZ the targets in tests/fuzz/ are built as plain programs that run the files
# they are given once (tests/fuzz/replay_main.cpp): ctest replays the corpus and every crash
# ever found in any build, sanitized or not.

option(OGI_SANITIZE "Build everything with -fsanitize=address,undefined" OFF)
option(OGI_FUZZ "Build the libFuzzer targets in tests/fuzz (clang; implies the sanitizers)" OFF)

set(OGI_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

if(OGI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "OGI_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Libraries get coverage instrumentation without libFuzzer's main; only the fuzz targets
  # link it (OGI_FUZZ_LINK_FLAGS, used by tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link ${OGI_SANITIZER_FLAGS})
  add_link_options(${OGI_SANITIZER_FLAGS})
  set(OGI_FUZZ_LINK_FLAGS -fsanitize=fuzzer)
elseif(OGI_SANITIZE)
  add_compile_options(${OGI_SANITIZER_FLAGS})
  add_link_options(${OGI_SANITIZER_FLAGS})
endif()
