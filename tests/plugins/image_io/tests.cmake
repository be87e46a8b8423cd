# The OpenCV <-> seer::Image adapters and guarded decoding (plugins/image_io).
add_executable(seer-image-io-tests plugins/image_io/image_io_test.cpp)
target_link_libraries(seer-image-io-tests PRIVATE seer-image-io opencv_imgcodecs opencv_imgproc
  GTest::gtest_main)
target_include_directories(seer-image-io-tests PRIVATE support)
seer_warnings(seer-image-io-tests)
gtest_discover_tests(seer-image-io-tests DISCOVERY_TIMEOUT 60)
