# seer's own CUDA kernels (models/src/kernels) are compiled when nvcc is found; models/ uses them
# only with a CUDA build of libtorch. Without nvcc (CI, CPU machines) nothing changes.
# CMAKE_CUDA_ARCHITECTURES defaults to the GPU of the building machine ("native"); set it (e.g.
# 90 for H100, 70 for V100) when building elsewhere.
include_guard(GLOBAL)
option(SEER_CUDA_KERNELS "Build seer's CUDA kernels for the decode step when nvcc is found" ON)
if(SEER_CUDA_KERNELS)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES native)
    endif()
    enable_language(CUDA)
    set(CMAKE_CUDA_STANDARD 20)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    message(STATUS "CUDA kernels: nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
      "architectures ${CMAKE_CUDA_ARCHITECTURES}")
  else()
    message(STATUS "CUDA kernels: no nvcc found, the decode step uses library kernels")
  endif()
endif()
