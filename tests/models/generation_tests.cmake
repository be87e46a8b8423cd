# Tests of conversations: streamed replies, multi-turn caching, stop strings, think mode.
target_sources(seer-models-tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/batched_decoder_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conversation_backends_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conversation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stop_strings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thinking_splitter_test.cpp
)
target_include_directories(seer-models-tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
