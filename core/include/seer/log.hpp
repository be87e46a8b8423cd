#pragma once
// Logging through spdlog: one logger per plugin instance, levels per logger, text or JSON
// lines on stderr.

#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace seer {

enum class LogFormat { text, json };

struct LogSettings {
  spdlog::level::level_enum level = spdlog::level::info;
  LogFormat format = LogFormat::text;
  std::map<std::string, spdlog::level::level_enum> levels;  // per logger name
};

// Applies settings to every logger, existing and future. Call before starting plugins.
void configure_logging(const LogSettings& settings);

// The logger called `name`, created with the configured sink, format and level.
std::shared_ptr<spdlog::logger> logger(std::string_view name);

// Throws std::invalid_argument naming the accepted levels.
spdlog::level::level_enum log_level_from_string(std::string_view text);

}  // namespace seer
