# A 20-second run of tools/bench/soak.sh, so the script cannot rot: every load path (WebSocket
# chat, the Ollama API with an image, MQTT triggers and lamp commands, the 30 fps camera) must
# work with no error and no MQTT message lost. Memory is only judged loosely (50 %): a
# 20-second run has hardly left its warm-up; the 10-minute run in docs/reliability.md judges it.
# Optimised builds only: the sanitizers' own memory use is not seer's.
if(SEER_WITH_TORCH AND NODE_PROGRAM AND NOT SEER_SANITIZE)
  add_test(NAME soak.short
    COMMAND bash ${CMAKE_SOURCE_DIR}/tools/bench/soak.sh ${CMAKE_BINARY_DIR} 0.33)
  set_tests_properties(soak.short PROPERTIES
    LABELS soak
    TIMEOUT 180
    FIXTURES_REQUIRED seer-node-packages
    ENVIRONMENT "SOAK_MAX_GROWTH=50")
endif()
