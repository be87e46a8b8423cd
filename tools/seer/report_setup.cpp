#include "report_setup.hpp"

#include <seer/agents/default_report_config.hpp>

#include <spdlog/common.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

#include "load_config.hpp"

namespace seer::cli {
namespace {

// Double-quoted JSON strings are YAML scalars too, whatever the path holds.
std::string quoted(const std::string& text) {
  return boost::json::serialize(boost::json::string(text));
}

bool is_image_file(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* image : {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"}) {
    if (extension == image) return true;
  }
  return false;
}

// Replaces every instance of `plugin` with one named after it, configured from `yaml`.
void replace_instance(RuntimeConfig& runtime, const std::string& plugin, const std::string& yaml,
                      const std::string& origin) {
  std::erase_if(runtime.plugins, [&](const auto& instance) { return instance.plugin == plugin; });
  PluginInstanceConfig instance;
  instance.instance = plugin;
  instance.plugin = plugin;
  instance.section = ConfigNode::load_string(yaml, origin)[plugin];
  runtime.plugins.push_back(std::move(instance));
}

// The warnings a runtime schema gives for `report:`, which is ours rather than unknown.
void drop_report_section_warnings(std::vector<ConfigDiagnostic>& diagnostics) {
  std::erase_if(diagnostics, [](const ConfigDiagnostic& diagnostic) {
    return diagnostic.severity == ConfigDiagnostic::Severity::warning &&
           diagnostic.key_path == "report";
  });
}

}  // namespace

std::string camera_source_yaml(const std::string& source) {
  const bool digits = !source.empty() && std::all_of(source.begin(), source.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  std::string kind = "file";
  if (digits || source.starts_with("/dev/video")) {
    kind = "device";
  } else if (source.find("://") != std::string::npos) {
    kind = "url";
  } else if (std::filesystem::is_directory(source) || is_image_file(source)) {
    kind = "images";
  }
  return "{" + kind + ": " + quoted(source) + "}";
}

std::optional<ReportSetup> make_report_setup(const ReportCommandOptions& options) {
  ReportSetup setup;
  std::vector<ConfigDiagnostic> diagnostics;
  try {
    const ConfigNode root = options.config_file.empty()
                                ? ConfigNode::load_string(agents::kDefaultReportConfig,
                                                          "<built-in configs/report.yaml>")
                                : ConfigNode::load_file(options.config_file);
    setup.runtime = read_runtime_config(root, diagnostics);
    // The report is the output: the runtime's progress lines stay quiet unless asked for.
    if (!root["seer"]["log"]["level"].defined()) setup.runtime.log.level = spdlog::level::err;
    drop_report_section_warnings(diagnostics);
    const auto report_diagnostics = agents::vision_report_options_schema().validate(root["report"]);
    diagnostics.insert(diagnostics.end(), report_diagnostics.begin(), report_diagnostics.end());
    if (print_diagnostics(diagnostics) > 0) return std::nullopt;
    setup.report = agents::read_vision_report_options(root["report"]);

    if (!options.emotion_source.empty()) {
      setup.report.emotion_source = agents::emotion_source_from_string(options.emotion_source);
    }
    setup.report.objects = setup.report.objects || options.objects;
    if (setup.report.objects) {
      auto& plugins = setup.runtime.plugins;
      const auto objects = std::find_if(plugins.begin(), plugins.end(),
                                        [](const auto& each) { return each.plugin == "objects"; });
      if (objects == plugins.end()) {
        replace_instance(setup.runtime, "objects", "objects: {backend: hailo}\n", "--objects");
      } else {
        objects->enabled = true;
      }
    }
    if (!options.camera.empty()) {
      replace_instance(setup.runtime, "camera",
                       "camera: {source: " + camera_source_yaml(options.camera) + "}\n",
                       "--camera");
    } else {
      for (auto& instance : setup.runtime.plugins) {
        if (instance.plugin == "camera") instance.enabled = false;  // the image is the frame
      }
    }
    if (!options.model.empty()) {
      replace_instance(setup.runtime, "bagel", "bagel: {model: " + quoted(options.model) + "}\n",
                       "--model");
    }
  } catch (const ConfigError& error) {
    print_diagnostics(
        {{ConfigDiagnostic::Severity::error, error.location(), error.key_path(), error.message()}});
    return std::nullopt;
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: " << error.what() << '\n';
    return std::nullopt;
  }
  return setup;
}

}  // namespace seer::cli
