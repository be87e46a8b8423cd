# The weights' residency (keep_alive) needs no libtorch: it runs in every build.
add_executable(seer-resident-weights-tests ${CMAKE_CURRENT_LIST_DIR}/resident_weights_test.cpp)
target_link_libraries(seer-resident-weights-tests PRIVATE seer::core GTest::gtest_main)
target_include_directories(seer-resident-weights-tests PRIVATE ${CMAKE_SOURCE_DIR}/plugins/bagel)
seer_warnings(seer-resident-weights-tests)
gtest_discover_tests(seer-resident-weights-tests DISCOVERY_TIMEOUT 60)

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
