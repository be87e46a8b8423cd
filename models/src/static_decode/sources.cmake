# The static decoder (fused weights, a preallocated cache, one CUDA graph per step) and the CUDA
# helpers it and the benchmark use; the CUDA half compiles only against a CUDA build of libtorch.
include_guard(GLOBAL)
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/bagel_runtime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batched_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fused_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/static_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/static_generation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stored_weights.cpp
)
if(TARGET torch_cuda)
  target_sources(seer-models PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cuda_runtime_cuda.cpp)
  target_link_libraries(seer-models PUBLIC torch_cuda)
else()
  target_sources(seer-models PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cuda_runtime_none.cpp)
endif()
