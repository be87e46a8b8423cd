# The agent runtime (agents/runtime): agent files, memory, turns and triggers over the real
# camera, faces and mqtt plugins and a real mosquitto broker.
set(agent_runtime_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-agents-runtime-tests
  ${agent_runtime_test_dir}/agent_definition_test.cpp
  ${agent_runtime_test_dir}/agent_binding_test.cpp
  ${agent_runtime_test_dir}/agent_turn_test.cpp
  ${agent_runtime_test_dir}/agent_mqtt_test.cpp
  ${agent_runtime_test_dir}/agent_ollama_test.cpp
  ${agent_runtime_test_dir}/conversation_memory_test.cpp
  ${CMAKE_SOURCE_DIR}/tests/plugins/ollama/scripted_ollama_server.cpp)
target_link_libraries(seer-agents-runtime-tests PRIVATE
  seer-agents seer-test-mosquitto Boost::json GTest::gmock GTest::gtest_main)
target_include_directories(seer-agents-runtime-tests PRIVATE
  ${agent_runtime_test_dir} ${CMAKE_SOURCE_DIR}/tests/support ${CMAKE_SOURCE_DIR}/tests/plugins/ollama)
target_compile_definitions(seer-agents-runtime-tests PRIVATE
  SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}" SEER_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
seer_warnings(seer-agents-runtime-tests)
add_dependencies(seer-agents-runtime-tests
  seer-plugin-camera seer-plugin-faces seer-plugin-mqtt seer-plugin-ollama)
gtest_discover_tests(seer-agents-runtime-tests DISCOVERY_TIMEOUT 60)

# The bagel chat backend needs libtorch.
if(SEER_WITH_TORCH)
  target_sources(seer-agents-runtime-tests PRIVATE ${agent_runtime_test_dir}/agent_bagel_test.cpp)
  add_dependencies(seer-agents-runtime-tests seer-plugin-bagel)
endif()

# `seer agent` and `seer config check` with agents, as a user runs them.
target_sources(seer-cli-tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/cli/agent_command_test.cpp)
target_link_libraries(seer-cli-tests PRIVATE Boost::json GTest::gmock)
add_dependencies(seer-cli-tests seer-plugin-camera seer-plugin-faces)
if(SEER_WITH_TORCH)
  add_dependencies(seer-cli-tests seer-plugin-bagel)
endif()
