# Reading TensorFlow.js weights manifests: included from models/CMakeLists.txt.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/manifest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tfjs_weights.cpp
)
