# face-api's FaceExpressionNet: included from models/CMakeLists.txt.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/input.cpp
  ${CMAKE_CURRENT_LIST_DIR}/net.cpp
  ${CMAKE_CURRENT_LIST_DIR}/weights.cpp
)
