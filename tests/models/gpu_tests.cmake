# seer-gpu-tests: the CUDA bf16 engine and static decoder against the CPU float32 engine on the
# bagel-tiny fixture (skipped without a CUDA device), and the static decoder on the CPU.
add_executable(seer-gpu-tests
  ${CMAKE_CURRENT_LIST_DIR}/gpu_engine_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu_kernels_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu_prefill_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gpu_static_decoder_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/static_prefill_test.cpp
)
# The kernels' tensor interface is internal to models/.
target_include_directories(seer-gpu-tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../models/src)
target_link_libraries(seer-gpu-tests PRIVATE seer-models GTest::gtest_main)
target_compile_definitions(seer-gpu-tests PRIVATE
  SEER_MODELS_FIXTURE_DIR="${CMAKE_CURRENT_LIST_DIR}/../fixtures/bagel-tiny")
seer_warnings(seer-gpu-tests)
add_test(NAME seer-gpu-tests COMMAND seer-gpu-tests)
