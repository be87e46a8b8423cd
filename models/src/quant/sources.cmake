# Weight-only quantisation (int8, int4, NF4) of the language model's matrices.
include_guard(GLOBAL)
target_sources(seer-models PRIVATE ${CMAKE_CURRENT_LIST_DIR}/quantization.cpp)
