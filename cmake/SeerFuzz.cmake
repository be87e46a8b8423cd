# -DSEER_FUZZ=ON builds the libFuzzer fuzzers in fuzz/ (tools/dev/fuzz.sh). Every target of the
# build gets the fuzzer's coverage hooks and ASan + UBSan; the fuzzers add libFuzzer's main.
option(SEER_FUZZ "Build the libFuzzer fuzzers in fuzz/ (needs clang)" OFF)
if(SEER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SEER_FUZZ needs clang (libFuzzer): configure with "
      "-DCMAKE_CXX_COMPILER=clang++, as tools/dev/fuzz.sh does")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
