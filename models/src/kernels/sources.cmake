# seer's CUDA kernels for the decode step (products on stored weights, QKV to cache, split
# attention): compiled when nvcc is found (cmake/SeerCuda.cmake) and libtorch has CUDA.
include_guard(GLOBAL)
if(TARGET torch_cuda AND CMAKE_CUDA_COMPILER)
  target_sources(seer-models PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/decode_kernels_cuda.cpp
    ${CMAKE_CURRENT_LIST_DIR}/decode_step.cu
    ${CMAKE_CURRENT_LIST_DIR}/gemv.cu
    ${CMAKE_CURRENT_LIST_DIR}/gemv_int4.cu
    ${CMAKE_CURRENT_LIST_DIR}/gemv_int8.cu
    ${CMAKE_CURRENT_LIST_DIR}/gemv_nf4.cu
    ${CMAKE_CURRENT_LIST_DIR}/gemv_plain.cu
    ${CMAKE_CURRENT_LIST_DIR}/prefill.cu
  )
  target_link_libraries(seer-models PUBLIC torch_cuda)
  message(STATUS "models/: seer's CUDA kernels are built")
else()
  target_sources(seer-models PRIVATE ${CMAKE_CURRENT_LIST_DIR}/decode_kernels_none.cpp)
endif()
