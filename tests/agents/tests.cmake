# The vision-report pipeline (agents/vision_report): with the real faces, emotion and objects
# plugins loaded by the runtime, on the real photos, and with test doubles. The emotion plugin
# needs libtorch, so these come with SEER_WITH_TORCH.
if(NOT SEER_WITH_TORCH)
  return()
endif()
add_executable(seer-agents-tests
  ${CMAKE_CURRENT_LIST_DIR}/vision_report_real_plugins_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_report_failures_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_report_json_test.cpp)
target_link_libraries(seer-agents-tests PRIVATE
  seer-vision-report seer-face-crop seer-image-io opencv_imgproc GTest::gtest_main)
target_include_directories(seer-agents-tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-agents-tests PRIVATE
  SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}")
seer_warnings(seer-agents-tests)
add_dependencies(seer-agents-tests seer-plugin-faces seer-plugin-emotion seer-plugin-objects)
gtest_discover_tests(seer-agents-tests DISCOVERY_TIMEOUT 60)

# `seer report` as a user runs it, in the CLI test executable.
target_sources(seer-cli-tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/cli/report_command_test.cpp)
target_link_libraries(seer-cli-tests PRIVATE Boost::json opencv_core opencv_imgcodecs)
add_dependencies(seer-cli-tests
  seer-plugin-faces seer-plugin-emotion seer-plugin-objects seer-plugin-camera seer-plugin-bagel)

# Per-stage timings of the pipeline as `seer report` runs it (docs/vision-report.md).
if(SEER_BUILD_BENCHMARKS)
  add_executable(seer-vision-report-timing ${CMAKE_CURRENT_LIST_DIR}/vision_report_timing.cpp)
  target_link_libraries(seer-vision-report-timing PRIVATE
    seer-vision-report seer-default-report-config seer-image-io opencv_imgproc opencv_imgcodecs
    GTest::gtest)
  target_include_directories(seer-vision-report-timing PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  target_compile_definitions(seer-vision-report-timing PRIVATE
    SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}")
  seer_warnings(seer-vision-report-timing)
  add_dependencies(seer-vision-report-timing seer-plugin-faces seer-plugin-emotion)
endif()
