#include "ollama_plugin.hpp"

SEER_PLUGIN(seer::ollama::OllamaPlugin, "ollama", seer::ollama::kPluginVersion,
            "A chat model on an Ollama-compatible server (/api/chat), streamed, with tools")
