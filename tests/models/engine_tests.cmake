# End-to-end tests of the BAGEL understanding engine against every fixture case.
target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/bagel_engine_test.cpp)
