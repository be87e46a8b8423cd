# The emotion plugin's tests (only with libtorch): its implementation linked directly, the
# real face-api model and photos from the asset cache.
if(NOT SEER_WITH_TORCH)
  return()
endif()
add_executable(seer-emotion-tests
  ${CMAKE_CURRENT_LIST_DIR}/emotion_plugin_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/emotion_settings_test.cpp
)
target_link_libraries(seer-emotion-tests PRIVATE
  seer-emotion-impl seer-image-io opencv_imgproc GTest::gtest_main)
seer_warnings(seer-emotion-tests)
gtest_discover_tests(seer-emotion-tests DISCOVERY_TIMEOUT 60)
