#include <seer/log.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <mutex>
#include <stdexcept>

namespace seer {
namespace {

// One JSON object per line: {"time","level","logger","message"}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = message.time.time_since_epoch();
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch);
    boost::json::object line;
    line["time_ms"] = millis.count();
    const auto level = spdlog::level::to_string_view(message.level);
    line["level"] = std::string_view(level.data(), level.size());
    line["logger"] = std::string_view(message.logger_name.data(), message.logger_name.size());
    line["message"] = std::string_view(message.payload.data(), message.payload.size());
    const std::string text = boost::json::serialize(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

constexpr const char* kTextPattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";

// The logger's own state: one sink shared by every logger and the settings in force.
struct LoggingState {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  LogSettings settings;
};

LoggingState& state() {
  static LoggingState instance;
  return instance;
}

spdlog::level::level_enum level_for(const LogSettings& settings, const std::string& name) {
  auto found = settings.levels.find(name);
  return found == settings.levels.end() ? settings.level : found->second;
}

void apply_format(spdlog::sink_ptr& sink, LogFormat format) {
  if (format == LogFormat::json) {
    sink->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(kTextPattern));
  }
}

}  // namespace

void configure_logging(const LogSettings& settings) {
  auto& logging = state();
  std::lock_guard lock(logging.mutex);
  logging.settings = settings;
  apply_format(logging.sink, settings.format);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& existing) {
    existing->set_level(level_for(settings, existing->name()));
  });
}

std::shared_ptr<spdlog::logger> logger(std::string_view name) {
  auto& logging = state();
  std::lock_guard lock(logging.mutex);
  const std::string key(name);
  if (auto existing = spdlog::get(key)) return existing;
  static std::once_flag formatted;
  std::call_once(formatted, [&] { apply_format(logging.sink, logging.settings.format); });
  auto created = std::make_shared<spdlog::logger>(key, logging.sink);
  created->set_level(level_for(logging.settings, key));
  created->flush_on(spdlog::level::warn);
  spdlog::register_logger(created);
  return created;
}

spdlog::level::level_enum log_level_from_string(std::string_view text) {
  for (int level = spdlog::level::trace; level < spdlog::level::n_levels; ++level) {
    const auto candidate = static_cast<spdlog::level::level_enum>(level);
    const auto name = spdlog::level::to_string_view(candidate);
    if (text == std::string_view(name.data(), name.size())) return candidate;
  }
  if (text == "warn" || text == "warning") return spdlog::level::warn;
  if (text == "error" || text == "err") return spdlog::level::err;
  throw std::invalid_argument("unknown log level '" + std::string(text) +
                              "': expected trace, debug, info, warning, error, critical or off");
}

}  // namespace seer
