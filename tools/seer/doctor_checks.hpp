#pragma once
// `seer doctor`'s checks: each looks at one part of the machine and says what it found and,
// when something is wrong, how to fix it.

#include <seer/host/runtime_config.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace seer::cli::doctor {

enum class Status { ok, warn, fail };

struct Finding {
  Status status = Status::ok;
  std::string subject;  // "gpu", "camera /dev/video0", "model /models/bagel"
  std::string detail;   // what was found
  std::string fix;      // how to fix it; empty when there is nothing to fix
};

using Findings = std::vector<Finding>;

// NVIDIA GPUs and driver (nvidia-smi), and whether libtorch sees CUDA.
Findings check_gpu();
// /dev/video* with their capture formats and frame sizes (V4L2), and the cameras the
// configuration names.
Findings check_cameras(const RuntimeConfig* config);
// Every mqtt instance of the configuration: reachable, and the account accepted.
Findings check_brokers(const RuntimeConfig* config);
// Checkpoint directories: files, safetensors header, key layout, SHA256SUMS.
Findings check_models(const std::vector<std::filesystem::path>& directories, bool checksums);
// The plugin search path, every plugin file on it, and the plugins the configuration names.
Findings check_plugins(const RuntimeConfig* config);

#ifdef SEER_WITH_MODELS
// Every key of the BAGEL layout that `directory`'s configs call for, with its shape, in its
// ema.safetensors (models/checkpoint_layout; doctor_libtorch.cpp).
Finding check_model_layout(const std::filesystem::path& directory);
// "libtorch 2.5.1, CUDA runtime 12.4, 1 GPU(s) visible"; a fail when nvidia-smi lists a GPU
// that libtorch does not see.
Finding check_libtorch(bool nvidia_gpu_listed);
#endif

// The standard output of `command` run by /bin/sh, and its exit status.
struct CommandOutput {
  int status = -1;
  std::string out;
};
CommandOutput run_command(const std::string& command);

}  // namespace seer::cli::doctor
