#include "http_plugin.hpp"

SEER_PLUGIN(seer::http::HttpPlugin, "http", seer::http::kPluginVersion,
            "Ollama-compatible HTTP API over seer's chat models, vision models and agents")
