# seer-bench: BAGEL at the 7B shape on a GPU (needs seer-models, i.e. libtorch, and nothing else).
add_executable(seer-bench
  ${CMAKE_CURRENT_LIST_DIR}/bagel_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random_bagel_7b.cpp
)
target_link_libraries(seer-bench PRIVATE seer-models)
seer_warnings(seer-bench)
