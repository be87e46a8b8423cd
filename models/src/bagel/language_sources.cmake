# BAGEL's language model: config, weights, decoder layer, KV cache, RoPE and text generation.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/kv_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_generation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_rms_norm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/language_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rope.cpp
)
