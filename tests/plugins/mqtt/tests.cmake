# A real mosquitto broker for tests (tests/support/mosquitto_broker.hpp), with mosquitto_sub
# and mosquitto_pub helpers; it brings tests/cli/child_process.cpp along.
add_library(seer-test-mosquitto STATIC
  ${CMAKE_SOURCE_DIR}/tests/support/mosquitto_broker.cpp
  ${CMAKE_SOURCE_DIR}/tests/cli/child_process.cpp)
target_include_directories(seer-test-mosquitto PUBLIC ${CMAKE_SOURCE_DIR}/tests/support)
seer_warnings(seer-test-mosquitto)

# The mqtt plugin's implementation, linked directly, against real brokers.
set(mqtt_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-mqtt-tests
  ${mqtt_test_dir}/mqtt_units_test.cpp
  ${mqtt_test_dir}/mqtt_bridge_test.cpp
  ${mqtt_test_dir}/mqtt_reconnect_test.cpp
  ${mqtt_test_dir}/mqtt_broker_crash_test.cpp
  ${mqtt_test_dir}/mqtt_security_test.cpp
  ${mqtt_test_dir}/mqtt_last_will_test.cpp)
target_link_libraries(seer-mqtt-tests PRIVATE
  seer-mqtt-impl seer-test-mosquitto Boost::json GTest::gtest_main)
target_include_directories(seer-mqtt-tests PRIVATE ${mqtt_test_dir} ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-mqtt-tests PRIVATE
  SEER_MQTT_TEST_HOST="$<TARGET_FILE:seer-mqtt-test-host>")
seer_warnings(seer-mqtt-tests)
add_dependencies(seer-mqtt-tests seer-mqtt-test-host)
# Label tsan: the ThreadSanitizer run of CI (.ci/run) runs these.
gtest_discover_tests(seer-mqtt-tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS tsan)

# A process that runs the plugin until it is killed: the Last Will test kills it with -9.
add_executable(seer-mqtt-test-host ${mqtt_test_dir}/mqtt_test_host.cpp)
target_link_libraries(seer-mqtt-test-host PRIVATE seer-mqtt-impl)
seer_warnings(seer-mqtt-test-host)
