#pragma once
// `seer report`'s configuration: the built-in or given file, with the command line's
// --camera, --model and --objects applied to its plugin instances and `report:` section.

#include <seer/agents/vision_report_options.hpp>
#include <seer/host/runtime_config.hpp>

#include <optional>
#include <string>

namespace seer::cli {

struct ReportCommandOptions {
  std::string image;
  std::string camera;  // a camera source: /dev/videoN or N, a URL, a video file, images
  std::string config_file;
  std::string model;  // a BAGEL checkpoint directory
  std::string emotion_source;
  bool objects = false;
  bool json = false;
};

struct ReportSetup {
  RuntimeConfig runtime;
  agents::VisionReportOptions report;
};

// Nullopt after printing what is wrong (file, line, key) on stderr.
std::optional<ReportSetup> make_report_setup(const ReportCommandOptions& options);

// The camera plugin's `source` map for a command-line source, as YAML text.
std::string camera_source_yaml(const std::string& source);

}  // namespace seer::cli
