# Tests of token sampling.
target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/sampler_test.cpp)
