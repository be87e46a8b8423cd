# Fault injection and security checks with the real `seer run` (docs/reliability.md): the
# test plugins, the http and mqtt plugins, a real mosquitto and clients over real sockets.
set(integration_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-integration-tests
  ${integration_test_dir}/seer_process.cpp
  ${integration_test_dir}/raw_http_stream.cpp
  ${integration_test_dir}/seer_faults_test.cpp
  ${integration_test_dir}/seer_security_test.cpp
  ${CMAKE_SOURCE_DIR}/tests/plugins/http/http_test_client.cpp
  ${CMAKE_SOURCE_DIR}/tests/plugins/http/ws_test_client.cpp)
target_link_libraries(seer-integration-tests PRIVATE
  seer-test-mosquitto Boost::json GTest::gtest_main GTest::gmock)
target_include_directories(seer-integration-tests PRIVATE
  ${integration_test_dir} ${CMAKE_SOURCE_DIR}/tests/plugins/http ${CMAKE_SOURCE_DIR}/tests/support
  ${CMAKE_SOURCE_DIR}/tests/cli)
target_compile_definitions(seer-integration-tests PRIVATE
  SEER_BINARY="$<TARGET_FILE:seer>" SEER_TEST_PLUGIN_DIR="${SEER_TEST_PLUGIN_DIR}")
seer_warnings(seer-integration-tests)
add_dependencies(seer-integration-tests seer seer-plugin-http seer-plugin-mqtt
  seer-plugin-scripted-chat seer-plugin-hangs-on-start)
gtest_discover_tests(seer-integration-tests DISCOVERY_TIMEOUT 60)
