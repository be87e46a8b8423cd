// `seer doctor`: checks the machine seer runs on (GPU, driver, libtorch, cameras, brokers,
// model directories, plugins) and prints each finding as ok / warn / fail with how to fix it.
// Exits 1 when anything failed.
#include <seer/plugin.hpp>

#include <algorithm>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "doctor_checks.hpp"
#include "load_config.hpp"

namespace seer::cli {
namespace {

using doctor::Findings;
using doctor::Status;

const std::vector<std::string> kCheckNames = {"gpu", "camera", "broker", "model", "plugins"};

struct DoctorOptions {
  std::string config_file;
  std::vector<std::string> models;
  std::vector<std::string> only;
  bool no_checksums = false;
};

std::string_view label(Status status) {
  switch (status) {
    case Status::ok:
      return "ok  ";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "FAIL";
  }
  return "?";
}

Findings check_build() {
  Findings findings{
      {Status::ok,
       "seer",
       std::string(SEER_VERSION) + " (plugin ABI " + std::to_string(SEER_PLUGIN_ABI_VERSION) + ")",
       {}}};
#ifndef SEER_WITH_MODELS
  findings.push_back({Status::ok,
                      "libtorch",
                      "not in this build: no `seer serve`/`seer generate`, no bagel or emotion "
                      "plugin",
                      {}});
#endif
  return findings;
}

int run_doctor(const DoctorOptions& options) {
  LogSettings quiet;
  quiet.level = spdlog::level::err;
  configure_logging(quiet);

  std::optional<LoadedConfig> loaded;
  Findings findings = check_build();
  if (!options.config_file.empty()) {
    loaded = load_config(options.config_file);
    if (!loaded || print_diagnostics(loaded->diagnostics) > 0) {
      findings.push_back({Status::fail, "config " + options.config_file, "has errors (above)",
                          "`seer config check " + options.config_file +
                              "` shows each with its "
                              "line"});
      loaded.reset();
    } else {
      findings.push_back({Status::ok, "config " + options.config_file, "read", {}});
    }
  }
  const RuntimeConfig* config = loaded ? &loaded->runtime : nullptr;
  const auto wanted = [&](const std::string& name) {
    return options.only.empty() ||
           std::find(options.only.begin(), options.only.end(), name) != options.only.end();
  };
  const auto append = [&findings](Findings more) {
    findings.insert(findings.end(), more.begin(), more.end());
  };

  if (wanted("gpu")) {
    const Findings gpus = doctor::check_gpu();
    append(gpus);
#ifdef SEER_WITH_MODELS
    const bool listed = std::any_of(gpus.begin(), gpus.end(), [](const doctor::Finding& gpu) {
      return gpu.status == Status::ok;
    });
    findings.push_back(doctor::check_libtorch(listed));
#endif
  }
  if (wanted("camera")) append(doctor::check_cameras(config));
  if (wanted("broker")) append(doctor::check_brokers(config));
  if (wanted("model")) {
    std::vector<std::filesystem::path> directories(options.models.begin(), options.models.end());
    if (config) {
      for (const auto& instance : config->plugins) {
        const std::string model = instance.section["model"].string_or("");
        if (instance.plugin == "bagel" && instance.enabled && !model.empty()) {
          directories.emplace_back(model);
        }
      }
    }
    append(doctor::check_models(directories, !options.no_checksums));
  }
  if (wanted("plugins")) append(doctor::check_plugins(config));

  std::size_t counts[3] = {0, 0, 0};
  for (const auto& finding : findings) {
    ++counts[static_cast<int>(finding.status)];
    std::cout << label(finding.status) << "  " << finding.subject << ": " << finding.detail << '\n';
    if (!finding.fix.empty()) std::cout << "      fix: " << finding.fix << '\n';
  }
  std::cout << '\n'
            << counts[0] << " ok, " << counts[1] << " warning(s), " << counts[2] << " failure(s)\n";
  return counts[2] > 0 ? 1 : 0;
}

}  // namespace

void add_doctor_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<DoctorOptions>();
  CLI::App* command = app.add_subcommand(
      "doctor", "Check this machine for seer: GPU, cameras, brokers, models, plugins");
  command
      ->add_option("-c,--config", options->config_file,
                   "also check what this configuration uses (brokers, cameras, models, "
                   "plugins)")
      ->check(CLI::ExistingFile);
  command->add_option("-m,--model", options->models, "a checkpoint directory to check")
      ->check(CLI::ExistingDirectory);
  command->add_option("--only", options->only, "run only these checks")
      ->check(CLI::IsMember(kCheckNames));
  command->add_flag("--no-checksums", options->no_checksums,
                    "skip hashing the files a model's SHA256SUMS lists");
  command->callback([options, &exit_code] { exit_code = run_doctor(*options); });
}

}  // namespace seer::cli
