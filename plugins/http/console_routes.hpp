#pragma once
// The web console: `GET /` answers browsers (Accept: text/html) with the console's page and
// every other client with Ollama's "Ollama is running"; `GET /console/<file>` serves the
// embedded files (console_files.hpp). Both are open: the page asks for the token itself.

#include "router.hpp"

namespace seer::http {

void add_console_routes(Router& router);

}  // namespace seer::http
