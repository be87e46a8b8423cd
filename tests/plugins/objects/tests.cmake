# The objects plugin's decoders, letterbox, stub Hailo device, both backends and the plugin,
# linked directly; the opencv-dnn backend runs tests/fixtures/yolo/tiny_yolov8.onnx.
add_executable(seer-objects-tests
  ${CMAKE_CURRENT_LIST_DIR}/yolo_decoder_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hailo_nms_decoder_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/letterbox_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/detection_script_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stub_hailo_device_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hailo_object_detector_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/onnx_object_detector_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/objects_plugin_test.cpp)
target_link_libraries(seer-objects-tests PRIVATE
  seer-objects-impl seer-image-io opencv_core opencv_imgproc GTest::gtest_main)
target_include_directories(seer-objects-tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/tests/support)
target_compile_definitions(seer-objects-tests PRIVATE
  SEER_YOLO_FIXTURE_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures/yolo")
seer_warnings(seer-objects-tests)
gtest_discover_tests(seer-objects-tests DISCOVERY_TIMEOUT 60)

# The committed fixture is what its generator writes.
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
  add_test(NAME tiny-yolov8-fixture-up-to-date
    COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/tests/fixtures/yolo/make_tiny_yolov8.py --check)
endif()
