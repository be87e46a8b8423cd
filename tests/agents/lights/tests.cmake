# The agents' lights tool (agents/lights): definitions, arguments, phrases, the three MQTT
# dialects, and MqttLights against a real mosquitto through the real mqtt plugin.
set(lights_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-agent-lights-tests
  ${lights_test_dir}/light_definition_test.cpp
  ${lights_test_dir}/light_command_test.cpp
  ${lights_test_dir}/light_dialects_test.cpp
  ${lights_test_dir}/light_intents_test.cpp
  ${lights_test_dir}/light_tool_test.cpp
  ${lights_test_dir}/mqtt_lights_bus_test.cpp
  ${lights_test_dir}/mqtt_lights_broker_test.cpp)
target_link_libraries(seer-agent-lights-tests PRIVATE
  seer-agent-lights seer-mqtt-impl seer-test-mosquitto Boost::json GTest::gtest_main)
target_include_directories(seer-agent-lights-tests PRIVATE
  ${lights_test_dir} ${CMAKE_SOURCE_DIR}/tests/support)
seer_warnings(seer-agent-lights-tests)
gtest_discover_tests(seer-agent-lights-tests DISCOVERY_TIMEOUT 60)
