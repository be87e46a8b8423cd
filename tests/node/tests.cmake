# Compatibility tests with real clients nobody here wrote (tests/node/README.md): one ctest per
# tests/node/*.test.mjs, run with Node's own test runner against `seer run`. They need the
# tiny BAGEL fixture (libtorch) and the npm packages tools/dev/install-node-deps.sh installs.
find_program(NODE_PROGRAM node)
if(SEER_WITH_TORCH AND NODE_PROGRAM)
  file(GLOB node_test_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.test.mjs)
  foreach(node_test_file IN LISTS node_test_files)
    get_filename_component(node_test_name ${node_test_file} NAME_WE)
    add_test(NAME node.${node_test_name}
      COMMAND ${NODE_PROGRAM} --test --test-reporter=spec ${node_test_file}
      WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
    set_tests_properties(node.${node_test_name} PROPERTIES
      TIMEOUT 300
      # A clear failure instead of "module not found" when the packages are missing.
      FIXTURES_REQUIRED seer-node-packages
      # NODE_EXTRA_CA_CERTS: Node's fetch trusts the test CA of the TLS tests (tls.test.mjs).
      ENVIRONMENT "SEER_BINARY=$<TARGET_FILE:seer>;SEER_SOURCE_DIR=${CMAKE_SOURCE_DIR};SEER_TEST_PLUGIN_DIR=${SEER_TEST_PLUGIN_DIR};SEER_TEST_OUTPUT_DIR=${CMAKE_BINARY_DIR}/test-output/node;NODE_EXTRA_CA_CERTS=${CMAKE_SOURCE_DIR}/tests/plugins/http/tls/ca.pem")
  endforeach()
  add_test(NAME node.packages-installed
    COMMAND ${NODE_PROGRAM} ${CMAKE_CURRENT_LIST_DIR}/check-packages.mjs
    WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(node.packages-installed PROPERTIES FIXTURES_SETUP seer-node-packages)
endif()
