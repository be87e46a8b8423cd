# BAGEL's vision path (SigLIP tower, connector, position tables) and the shared attention helper.
target_sources(seer-models PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_activation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_encoder_layer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_tower.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vision_weights.cpp
)
