# Conversations on the engine: streamed replies, stop strings, think mode; included from
# models/CMakeLists.txt. Conversations decode text, so they come with the tokenizer (absent
# on the GPU box).
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/stop_strings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thinking_splitter.cpp
)
if(PCRE2_FOUND AND UTF8PROC_FOUND)
  target_sources(seer-models PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/conversation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reply_stream.cpp
  )
endif()
