# seer-bench: BAGEL at the 7B shape on a GPU (needs seer-models, i.e. libtorch, and nothing else).
add_executable(seer-bench
  ${CMAKE_CURRENT_LIST_DIR}/bagel_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random_bagel_7b.cpp
)
target_link_libraries(seer-bench PRIVATE seer-models)
seer_warnings(seer-bench)

# seer-kernel-bench: seer's CUDA kernels alone (only where they are built).
if(TARGET torch_cuda AND CMAKE_CUDA_COMPILER)
  add_executable(seer-kernel-bench ${CMAKE_CURRENT_LIST_DIR}/kernel_bench.cpp)
  target_link_libraries(seer-kernel-bench PRIVATE seer-models)
  target_include_directories(seer-kernel-bench PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../models/src)
  seer_warnings(seer-kernel-bench)
endif()
