# The bagel plugin on the bagel-tiny checkpoint: the model service directly, and the plugin
# as the runtime loads it.
if(SEER_WITH_TORCH)
  add_executable(seer-bagel-tests
    ${CMAKE_CURRENT_LIST_DIR}/bagel_model_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bagel_runtime_test.cpp)
  target_link_libraries(seer-bagel-tests PRIVATE
    seer-bagel-impl seer-models seer-image-io opencv_imgcodecs GTest::gtest_main)
  target_include_directories(seer-bagel-tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  target_compile_definitions(seer-bagel-tests PRIVATE
    SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}"
    SEER_BAGEL_FIXTURE_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures/bagel-tiny")
  seer_warnings(seer-bagel-tests)
  add_dependencies(seer-bagel-tests seer-plugin-bagel)
  gtest_discover_tests(seer-bagel-tests DISCOVERY_TIMEOUT 60)
endif()
