# Tests of BAGEL image preprocessing; OpenCV only decodes the fixture PNGs.
target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/image_preprocessing_test.cpp)
target_link_libraries(seer-models-tests PRIVATE opencv_core opencv_imgcodecs)
