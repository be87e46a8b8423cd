# BAGEL's understanding engine: image segments, the prompt and greedy decoding joined.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/eager_sequence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/engine_image_segment.cpp
)
