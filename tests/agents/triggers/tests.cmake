# Agent triggers (agents/triggers): the condition language, definitions from YAML, phrase
# matching, cooldown and debounce on a real bus, and Frigate / Zigbee2MQTT messages through a
# real mosquitto and the real mqtt plugin.
set(triggers_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-agent-triggers-tests
  ${triggers_test_dir}/condition_test.cpp
  ${triggers_test_dir}/trigger_definition_test.cpp
  ${triggers_test_dir}/phrase_match_test.cpp
  ${triggers_test_dir}/trigger_set_test.cpp
  ${triggers_test_dir}/triggers_over_mqtt_test.cpp)
target_link_libraries(seer-agent-triggers-tests PRIVATE
  seer-agent-triggers seer-mqtt-impl seer-test-mosquitto Boost::json GTest::gtest_main)
target_include_directories(seer-agent-triggers-tests PRIVATE
  ${triggers_test_dir} ${CMAKE_SOURCE_DIR}/tests/support ${CMAKE_SOURCE_DIR}/tests/plugins/mqtt)
seer_warnings(seer-agent-triggers-tests)
gtest_discover_tests(seer-agent-triggers-tests DISCOVERY_TIMEOUT 60)
