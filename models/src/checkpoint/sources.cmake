# Writing safetensors files and BAGEL checkpoints of any size (layout, configs, random weights).
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/config_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/random_checkpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../safetensors/writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../safetensors/writer_atomic_file.cpp
)
