# The camera plugin: its implementation linked directly, driven with real video.
set(camera_test_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(seer-camera-tests
  ${camera_test_dir}/camera_settings_test.cpp
  ${camera_test_dir}/reconnect_backoff_test.cpp
  ${camera_test_dir}/motion_detector_test.cpp
  ${camera_test_dir}/camera_file_test.cpp
  ${camera_test_dir}/camera_recovery_test.cpp
  ${camera_test_dir}/camera_stream_test.cpp
  ${camera_test_dir}/camera_runtime_test.cpp
  ${camera_test_dir}/mjpeg_server.cpp
  ${camera_test_dir}/synthetic_video.cpp)
target_link_libraries(seer-camera-tests PRIVATE
  seer-camera-impl seer-image-io opencv_imgproc opencv_imgcodecs opencv_videoio
  Boost::headers GTest::gtest_main)
target_include_directories(seer-camera-tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-camera-tests PRIVATE
  SEER_PLUGIN_BUILD_DIR="${SEER_PLUGIN_BUILD_DIR}")
seer_warnings(seer-camera-tests)
add_dependencies(seer-camera-tests seer-plugin-camera)
# Label tsan: the ThreadSanitizer run of CI (.ci/run) runs these.
gtest_discover_tests(seer-camera-tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS tsan)
