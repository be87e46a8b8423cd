// `seer doctor`'s checks that need libtorch (builds with SEER_WITH_MODELS): the key layout of
// a checkpoint (models/checkpoint_layout) and libtorch's own CUDA.
#include <seer/models/checkpoint_layout.hpp>
#include <seer/models/language_config.hpp>
#include <seer/models/safetensors.hpp>
#include <seer/models/vision_config.hpp>

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

#include <exception>
#include <string>
#include <vector>

#include "doctor_checks.hpp"

namespace seer::cli::doctor {
namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

}  // namespace

Finding check_model_layout(const std::filesystem::path& directory) {
  const std::string subject = "model " + directory.string();
  try {
    const auto language = models::LanguageConfig::from_json_file(directory / "llm_config.json");
    const auto vision = models::read_vision_config(directory / "vit_config.json");
    const models::SafetensorsFile checkpoint(directory / "ema.safetensors");
    // The image-generation heads are not required: the engine never reads them.
    const auto layout =
        models::bagel_checkpoint_layout(language, vision, {.generation_heads = std::nullopt});
    std::vector<std::string> problems;
    for (const auto& tensor : layout) {
      if (!checkpoint.contains(tensor.key)) {
        problems.push_back(tensor.key + " is missing");
      } else if (checkpoint.require(tensor.key).shape != tensor.shape) {
        problems.push_back(tensor.key + " is " + shape_text(checkpoint.require(tensor.key).shape) +
                           ", expected " + shape_text(tensor.shape));
      }
    }
    if (problems.empty()) {
      return {Status::ok,
              subject,
              "every one of the " + std::to_string(layout.size()) +
                  " tensors the configs call for is in ema.safetensors with its shape",
              {}};
    }
    std::string listed;
    for (std::size_t i = 0; i < problems.size() && i < 3; ++i) listed += "; " + problems[i];
    return {Status::fail, subject,
            std::to_string(problems.size()) + " of " + std::to_string(layout.size()) +
                " tensors do not fit llm_config.json and vit_config.json" + listed,
            "the configs and ema.safetensors come from different checkpoints: download the "
            "release's files together (docs/models.md)"};
  } catch (const std::exception& error) {
    return {Status::fail, subject, std::string("cannot check the key layout: ") + error.what(),
            "fetch the checkpoint's llm_config.json, vit_config.json and ema.safetensors again"};
  }
}

Finding check_libtorch(bool nvidia_gpu_listed) {
  const auto& cuda = at::detail::getCUDAHooks();
  std::string detail = std::string("libtorch ") + TORCH_VERSION;
  if (!cuda.hasCUDA()) {
    if (!nvidia_gpu_listed) {
      return {Status::ok, "libtorch", detail + " (no CUDA device: models run on the CPU)", {}};
    }
    return {Status::fail, "libtorch",
            detail +
                " does not see the GPU that nvidia-smi lists: it is built without CUDA, "
                "or its CUDA runtime is newer than the driver supports",
            "build seer against a CUDA build of libtorch whose CUDA version is at most the "
            "driver's (`nvidia-smi` shows it), or upgrade the driver "
            "(docs/troubleshooting.md)"};
  }
  const long runtime = cuda.versionCUDART();
  detail += ", CUDA runtime " + std::to_string(runtime / 1000) + "." +
            std::to_string(runtime % 1000 / 10) + ", " + std::to_string(cuda.getNumGPUs()) +
            " GPU(s) visible";
  return {Status::ok, "libtorch", detail, {}};
}

}  // namespace seer::cli::doctor
