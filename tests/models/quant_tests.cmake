# Weight-only quantisation and the quantised / batched static decoder on the CPU.
target_sources(seer-models-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/quantization_test.cpp)
