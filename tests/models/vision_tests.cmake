target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/vision_tower_test.cpp)
