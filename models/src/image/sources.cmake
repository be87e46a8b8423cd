# BAGEL image preprocessing (spec bagel.md §5): included from models/CMakeLists.txt.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/patchify.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pil_bicubic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/preprocess.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resize_rule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rgb_conversion.cpp
)
