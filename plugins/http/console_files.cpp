#include "console_files.hpp"

#include <algorithm>

namespace seer::http {

const ConsoleFile* find_console_file(std::string_view name) {
  const auto files = console_files();
  const auto found =
      std::ranges::find_if(files, [name](const ConsoleFile& file) { return file.name == name; });
  return found == files.end() ? nullptr : &*found;
}

}  // namespace seer::http
