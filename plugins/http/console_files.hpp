#pragma once
// The web console's files (plugins/http/console/), embedded in the plugin at build time by
// embed_console.cmake. Only these names can be served: there is no file system behind them.

#include <span>
#include <string_view>

namespace seer::http {

struct ConsoleFile {
  std::string_view name;          // "index.html"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view etag;          // quoted: the start of the file's SHA-256
  std::string_view bytes;
};

std::span<const ConsoleFile> console_files();
// The file called exactly `name`, or nullptr.
const ConsoleFile* find_console_file(std::string_view name);

}  // namespace seer::http
