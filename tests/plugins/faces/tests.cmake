# The faces plugin's detectors, crop helper and plugin, linked directly, on the real photos
# and models in $SEER_ASSETS_DIR (default ~/.cache/seer/assets).
add_executable(seer-faces-tests
  ${CMAKE_CURRENT_LIST_DIR}/haar_face_detector_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blazeface_anchors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blazeface_detector_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/face_crop_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faces_plugin_test.cpp)
target_link_libraries(seer-faces-tests PRIVATE
  seer-faces-impl seer-face-crop seer-image-io opencv_core opencv_imgproc GTest::gtest_main)
target_include_directories(seer-faces-tests PRIVATE
  ${CMAKE_SOURCE_DIR}/plugins/faces ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/tests/support)
seer_warnings(seer-faces-tests)
if(SEER_SANITIZE)
  # LeakSanitizer's stop-the-world tracer crashes at exit after OpenCV dnn ran BlazeFace (a
  # segfault inside the tracer, not a leak report); ASan and UBSan still check everything.
  gtest_discover_tests(seer-faces-tests DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
else()
  gtest_discover_tests(seer-faces-tests DISCOVERY_TIMEOUT 60)
endif()

# Per-frame timings of both detectors (Google Benchmark), when it is installed.
find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(seer-faces-bench ${CMAKE_CURRENT_LIST_DIR}/face_detector_benchmark.cpp)
  target_link_libraries(seer-faces-bench PRIVATE
    seer-faces-impl seer-image-io opencv_core opencv_imgproc benchmark::benchmark GTest::gtest)
  target_include_directories(seer-faces-bench PRIVATE
    ${CMAKE_SOURCE_DIR}/plugins/faces ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/tests/support)
  seer_warnings(seer-faces-bench)
endif()
