# The ollama plugin against a scripted Ollama-compatible server on loopback: its
# implementation linked directly, and the plugin as the runtime loads it.
set(ollama_test_dir ${CMAKE_CURRENT_LIST_DIR})
# OpenSSL decodes the base64 images the client sent.
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
add_executable(seer-ollama-tests
  ${ollama_test_dir}/scripted_ollama_server.cpp
  ${ollama_test_dir}/ollama_units_test.cpp
  ${ollama_test_dir}/ollama_request_test.cpp
  ${ollama_test_dir}/ollama_stream_test.cpp
  ${ollama_test_dir}/ollama_failure_test.cpp
  ${ollama_test_dir}/ollama_runtime_test.cpp)
target_link_libraries(seer-ollama-tests PRIVATE
  seer-ollama-impl seer-image-io opencv_imgcodecs OpenSSL::Crypto Boost::headers
  GTest::gtest_main)
target_include_directories(seer-ollama-tests PRIVATE ${ollama_test_dir} ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-ollama-tests PRIVATE
  SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}")
seer_warnings(seer-ollama-tests)
add_dependencies(seer-ollama-tests seer-plugin-ollama)
gtest_discover_tests(seer-ollama-tests DISCOVERY_TIMEOUT 60)
