# The docs' commands (tools/dev/docs-check.sh): every command quoted in README.md, docs/ and the
# READMEs is run against this build in a sandbox, or mapped to the test that covers it.
# It needs the whole build (the seer binary, the plugins, the test plugins, `ctest -N`'s list),
# as the install tests do. In a build without libtorch the commands that need it are skipped
# and listed. The second test checks the checker: a failing unmapped command, a mapping to a
# missing test and a `$ ` prompt in an unchecked block each fail it, naming file and line.
# Not in the sanitizer builds: they run the same binaries' tests, and the docs ask for none.
find_program(PYTHON3_PROGRAM python3)
if(PYTHON3_PROGRAM AND NOT SEER_SANITIZE)
  add_test(NAME docs.commands
    COMMAND bash ${CMAKE_SOURCE_DIR}/tools/dev/docs-check.sh ${CMAKE_BINARY_DIR})
  add_test(NAME docs.checker-fails-on-unchecked-commands
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/checker_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(docs.commands docs.checker-fails-on-unchecked-commands PROPERTIES
    LABELS docs
    TIMEOUT 600)
  # install.md's `cmake --install build --prefix ...` writes the build's install_manifest.txt,
  # as the install tests do.
  set_tests_properties(docs.commands PROPERTIES RESOURCE_LOCK seer-install-tree)
endif()
