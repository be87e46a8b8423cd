# Token sampling (Ollama's options): included from models/CMakeLists.txt.
target_sources(seer-models PRIVATE ${CMAKE_CURRENT_LIST_DIR}/sampler.cpp)
