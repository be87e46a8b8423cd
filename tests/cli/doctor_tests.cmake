# `seer doctor` as a user runs it (tests/cli/doctor_command_test.cpp), with a real mosquitto.
add_executable(seer-doctor-tests
  ${CMAKE_CURRENT_LIST_DIR}/doctor_command_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/child_process.cpp
  ${CMAKE_SOURCE_DIR}/tests/support/mosquitto_broker.cpp)
target_link_libraries(seer-doctor-tests PRIVATE GTest::gtest_main GTest::gmock)
target_compile_definitions(seer-doctor-tests PRIVATE
  SEER_BINARY="$<TARGET_FILE:seer>"
  SEER_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
  SEER_TEST_PLUGIN_DIR="${SEER_TEST_PLUGIN_DIR}"
  $<$<BOOL:${SEER_WITH_TORCH}>:SEER_TEST_WITH_TORCH>)
seer_warnings(seer-doctor-tests)
add_dependencies(seer-doctor-tests seer seer-plugin-clock seer-plugin-future-abi seer-plugin-echo)
gtest_discover_tests(seer-doctor-tests DISCOVERY_TIMEOUT 60)
