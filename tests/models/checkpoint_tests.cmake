# Tests of the safetensors writer, the BAGEL checkpoint layout and random checkpoints of any size.
target_sources(seer-models-tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_layout_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_random_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_writer_test.cpp
)
