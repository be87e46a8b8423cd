# Tests of the tfjs weights reader and FaceExpressionNet: included from
# tests/models/CMakeLists.txt. OpenCV builds the golden crops exactly as the spec made them.
add_executable(seer-face-expression-tests
  ${CMAKE_CURRENT_LIST_DIR}/face_expression_input_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/face_expression_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/face_expression_weights_test.cpp
)
target_link_libraries(seer-face-expression-tests PRIVATE
  seer-models GTest::gtest_main opencv_core opencv_imgproc opencv_imgcodecs opencv_objdetect)
seer_warnings(seer-face-expression-tests)
gtest_discover_tests(seer-face-expression-tests DISCOVERY_TIMEOUT 60)
