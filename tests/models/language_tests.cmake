target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/language_model_test.cpp)
