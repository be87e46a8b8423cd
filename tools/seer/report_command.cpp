// `seer report`: start the runtime with faces, emotion (and objects, a camera, BAGEL), look
// at one image or camera frame through the vision-report pipeline, print the report, stop.
#include <seer/agents/json_text.hpp>
#include <seer/agents/vision_report_pipeline.hpp>
#include <seer/host/runtime.hpp>
#include <seer/image_io.hpp>
#include <seer/log.hpp>

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "load_config.hpp"
#include "report_setup.hpp"

namespace seer::cli {
namespace {

constexpr int kInputError = 1;
constexpr int kConfigError = 2;

// The report field each plugin feeds, for saying why a field is missing when it failed.
std::string field_fed_by(const std::string& plugin) {
  if (plugin == "faces") return "faces";
  if (plugin == "emotion") return "emotion";
  if (plugin == "objects") return "objects";
  if (plugin == "bagel") return "description";
  if (plugin == "camera") return "frame";
  return {};
}

std::vector<std::pair<std::string, std::string>> failed_plugins(const Runtime& runtime) {
  std::vector<std::pair<std::string, std::string>> missing;
  for (const auto& status : runtime.status()) {
    if (status.health.state != HealthState::failed) continue;
    const std::string field = field_fed_by(status.plugin);
    if (!field.empty()) {
      missing.emplace_back(field,
                           "plugin '" + status.instance + "' failed: " + status.health.reason);
    }
  }
  return missing;
}

std::string why_missing(const std::vector<std::pair<std::string, std::string>>& missing,
                        std::string_view field) {
  for (const auto& [name, reason] : missing) {
    if (name == field) return reason;
  }
  return "no plugin providing it is configured";
}

// Leaves at once when a stage is still running past its limit: it holds a plugin's code,
// which must not be unloaded under it (run_command does the same for a stuck plugin).
void leave_if_stages_run(const agents::VisionReportPipeline& pipeline, int exit_code) {
  if (pipeline.stages_still_running() == 0) return;
  std::cout.flush();
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
  std::_Exit(exit_code);
}

int report(const ReportCommandOptions& options) {
  if (options.image.empty() == options.camera.empty()) {
    std::cerr << "error: give exactly one of --image PATH or --camera SOURCE\n";
    return kConfigError;
  }
  auto setup = make_report_setup(options);
  if (!setup) return kConfigError;
  configure_logging(setup->runtime.log);

  std::optional<Image> image;
  if (!options.image.empty()) {
    if (!std::filesystem::is_regular_file(options.image)) {
      std::cerr << "error: " << options.image << ": no such file\n";
      return kInputError;
    }
    try {
      image = image_io::load_image_file(options.image);
    } catch (const std::exception& error) {
      std::cerr << "error: " << error.what() << '\n';
      return kInputError;
    }
  }

  Runtime runtime(setup->runtime,
                  PluginLoader(PluginLoader::default_search_path(setup->runtime.plugin_path)));
  if (print_diagnostics(runtime.prepare()) > 0) return kConfigError;
  runtime.start();

  int exit_code = 0;
  try {
    auto services = agents::find_vision_report_services(runtime.registry(), setup->report.services);
    services.missing = failed_plugins(runtime);
    if (!services.face_detector) {
      throw std::runtime_error("no face detector: " + why_missing(services.missing, "faces"));
    }
    if (!options.camera.empty() && !services.camera) {
      throw std::runtime_error("no camera: " + why_missing(services.missing, "frame"));
    }
    agents::VisionReportPipeline pipeline(std::move(services), setup->report);
    agents::VisionReport report = image ? pipeline.run(*image) : pipeline.run();
    if (image) report.image = options.image;
    std::cout << (options.json ? agents::pretty_json(agents::to_json(report)) + "\n"
                               : agents::to_text(report));
    if (!report.frame) {
      std::cerr << "error: no frame: " << *report.unavailable_reason("frame") << '\n';
      exit_code = kInputError;
    }
    leave_if_stages_run(pipeline, exit_code);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << '\n';
    exit_code = kInputError;
  }
  if (!runtime.stop()) {
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    std::_Exit(exit_code != 0 ? exit_code : kInputError);
  }
  return exit_code;
}

}  // namespace

void add_report_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ReportCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "report",
      "Report what one image or camera frame shows: faces, emotion, objects, a description");
  auto* image =
      command->add_option("--image", options->image, "an image file (jpg, png, webp, bmp)");
  auto* camera = command->add_option(
      "--camera", options->camera,
      "a camera source: /dev/videoN or N, an rtsp:// or http:// URL, a video file, or images");
  image->excludes(camera);
  command->add_option("-c,--config", options->config_file,
                      "configuration file (default: the built-in configs/report.yaml)");
  command->add_option("--model", options->model,
                      "a BAGEL checkpoint directory: adds the bagel plugin for the description");
  command->add_option("--emotion-source", options->emotion_source, "cnn, bagel or both")
      ->check(CLI::IsMember({"cnn", "bagel", "both"}));
  command->add_flag("--objects", options->objects, "also run the object detector (Hailo stub)");
  command->add_flag("--json", options->json, "print the report as JSON");
  command->callback([options, &exit_code] { exit_code = report(*options); });
}

}  // namespace seer::cli
