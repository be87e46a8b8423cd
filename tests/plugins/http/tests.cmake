# The http plugin over real sockets (Ollama's and OpenAI's APIs, CORS): the plugin loaded by a real runtime on an ephemeral port,
# scripted chat models and agents registered by the tests, a Beast client in the test; and
# its parts linked directly for the unit tests.
set(http_test_dir ${CMAKE_CURRENT_LIST_DIR})
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
add_executable(seer-http-tests
  ${http_test_dir}/http_test_client.cpp
  ${http_test_dir}/http_units_test.cpp
  ${http_test_dir}/http_server_test.cpp
  ${http_test_dir}/ollama_models_test.cpp
  ${http_test_dir}/ollama_chat_test.cpp
  ${http_test_dir}/openai_chat_test.cpp
  ${http_test_dir}/openai_models_cors_test.cpp
  ${http_test_dir}/console_test.cpp
  ${http_test_dir}/metrics_test.cpp
  ${http_test_dir}/ws_test_client.cpp
  ${http_test_dir}/ws_protocol_test.cpp
  ${http_test_dir}/ws_chat_test.cpp
  ${http_test_dir}/ws_connection_test.cpp
  ${http_test_dir}/tls_test_client.cpp
  ${http_test_dir}/tls_test.cpp
  ${http_test_dir}/security_test.cpp)
target_link_libraries(seer-http-tests PRIVATE
  seer-http-impl seer-image-io OpenSSL::SSL OpenSSL::Crypto Boost::json GTest::gtest_main)
target_include_directories(seer-http-tests PRIVATE
  ${http_test_dir} ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-http-tests PRIVATE
  SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}" SEER_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
seer_warnings(seer-http-tests)
add_dependencies(seer-http-tests seer-plugin-http)
# Label tsan: the ThreadSanitizer run of CI (.ci/run) runs these.
gtest_discover_tests(seer-http-tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS tsan)

# The real bagel plugin on the tiny fixture checkpoint needs libtorch.
if(SEER_WITH_TORCH)
  target_sources(seer-http-tests PRIVATE ${http_test_dir}/http_bagel_test.cpp)
  add_dependencies(seer-http-tests seer-plugin-bagel)
endif()
