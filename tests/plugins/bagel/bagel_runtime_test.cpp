// The bagel plugin as the runtime runs it: loaded by the real loader from YAML, `starting`
// while the checkpoint loads, then `ready` with its services in the registry; `failed` with
// the reason for a checkpoint that is not there, without taking the runtime down.

#include <seer/host/runtime.hpp>
#include <seer/services/chat_model.hpp>
#include <seer/services/model_residency.hpp>
#include <seer/services/vision_language_model.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "event_collector.hpp"
#include "test_assets.hpp"

namespace seer::bagel {
namespace {

using namespace std::chrono_literals;

std::string wait_for_final_health(seer::test::EventCollector& health, std::string& reason) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& event : health.events()) {
      const std::string state(event->payload.at("state").as_string());
      if (state == "ready" || state == "failed") {
        reason = event->payload.at("reason").as_string();
        return state;
      }
    }
    health.wait_for(health.events().size() + 1, 100ms);
  }
  return "timeout";
}

std::unique_ptr<Runtime> make_runtime(const std::string& model_dir,
                                      const std::string& extra_keys = "") {
  std::vector<ConfigDiagnostic> diagnostics;
  const ConfigNode root = ConfigNode::load_string(
      "plugins:\n"
      "  vlm:\n"
      "    plugin: bagel\n"
      "    model: " +
          model_dir +
          "\n"
          "    tokenizer: " +
          seer::test::asset("tokenizer/tokenizer.json").string() + "\n" + extra_keys,
      "seer.yaml");
  auto runtime = std::make_unique<Runtime>(read_runtime_config(root, diagnostics),
                                           PluginLoader({SEER_PLUGIN_BUILD_DIR}));
  for (const auto& diagnostic : diagnostics) ADD_FAILURE() << diagnostic.to_string();
  return runtime;
}

TEST(BagelRuntime, LoadsInTheBackgroundAndServes) {
  const auto owned = make_runtime(SEER_BAGEL_FIXTURE_DIR);
  Runtime& runtime = *owned;
  for (const auto& diagnostic : runtime.prepare()) ADD_FAILURE() << diagnostic.to_string();
  seer::test::EventCollector health;
  auto subscription = runtime.bus().subscribe("seer/health/vlm", health.handler());
  runtime.start();
  std::string reason;
  ASSERT_EQ(wait_for_final_health(health, reason), "ready") << reason;
  const auto model = runtime.registry().get<VisionLanguageModel>("vlm");
  const GenerationResult result =
      model->generate({.prompt = "Hello, how are you?", .options = {.max_new_tokens = 5}}, {}, {});
  EXPECT_EQ(result.generated_tokens, 5);
  EXPECT_NE(runtime.registry().find<ChatModel>("vlm"), nullptr);
  EXPECT_TRUE(runtime.stop());
}

TEST(BagelRuntime, AMissingCheckpointFailsThePluginAlone) {
  const auto owned = make_runtime("/nonexistent/bagel-checkpoint");
  Runtime& runtime = *owned;
  for (const auto& diagnostic : runtime.prepare()) ADD_FAILURE() << diagnostic.to_string();
  seer::test::EventCollector health;
  auto subscription = runtime.bus().subscribe("seer/health/vlm", health.handler());
  runtime.start();
  std::string reason;
  EXPECT_EQ(wait_for_final_health(health, reason), "failed");
  EXPECT_NE(reason.find("/nonexistent/bagel-checkpoint"), std::string::npos) << reason;
  EXPECT_TRUE(runtime.stop());
}

// Starts a runtime with `keys` added to the bagel section; the health it reaches.
std::string start_with(Runtime& runtime, std::string& reason) {
  for (const auto& diagnostic : runtime.prepare()) ADD_FAILURE() << diagnostic.to_string();
  seer::test::EventCollector health;
  auto subscription = runtime.bus().subscribe("seer/health/vlm", health.handler());
  runtime.start();
  return wait_for_final_health(health, reason);
}

TEST(BagelRuntime, QuantLoadsTheStaticDecoderAndItsCacheIsReused) {
  const std::filesystem::path cache = std::filesystem::temp_directory_path() /
                                      ("seer-bagel-quant-" + std::to_string(::getpid())) /
                                      "tiny-int8.safetensors";
  const std::string keys =
      "    quant: int8\n    batch: 2\n    quantized_cache: " + cache.string() + "\n";
  std::filesystem::file_time_type written;
  for (int load = 0; load < 2; ++load) {
    const auto runtime = make_runtime(SEER_BAGEL_FIXTURE_DIR, keys);
    std::string reason;
    ASSERT_EQ(start_with(*runtime, reason), "ready") << reason;
    ASSERT_TRUE(std::filesystem::exists(cache));
    if (load == 0) written = std::filesystem::last_write_time(cache);
    EXPECT_EQ(std::filesystem::last_write_time(cache), written) << "the second load rewrote it";
    const auto model = runtime->registry().get<VisionLanguageModel>("vlm");
    const GenerationResult result = model->generate(
        {.prompt = "Hello, how are you?", .options = {.max_new_tokens = 5}}, {}, {});
    EXPECT_EQ(result.generated_tokens, 5);
    const ModelResidencyStatus status = runtime->registry().get<ModelResidency>("vlm")->status();
    EXPECT_EQ(status.quantization, "INT8");
    EXPECT_GT(status.size_bytes, 0U);
    EXPECT_TRUE(runtime->stop());
  }
  std::filesystem::remove_all(cache.parent_path());
}

TEST(BagelRuntime, BadDecoderKeysAreConfigErrorsNamingThem) {
  const auto diagnostics_of = [](const std::string& keys) {
    const auto runtime = make_runtime(SEER_BAGEL_FIXTURE_DIR, keys);
    std::string all;
    for (const auto& diagnostic : runtime->prepare()) all += diagnostic.to_string() + "\n";
    return all;
  };
  const std::string unknown = diagnostics_of("    quant: fp4\n");
  EXPECT_NE(unknown.find("quant"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("none, int8, int4, nf4"), std::string::npos) << unknown;
  const std::string eager = diagnostics_of("    decoder: eager\n    quant: nf4\n");
  EXPECT_NE(eager.find("quant"), std::string::npos) << eager;
  EXPECT_NE(eager.find("needs the static decoder"), std::string::npos) << eager;
  const std::string batch = diagnostics_of("    batch: 9\n");
  EXPECT_NE(batch.find("batch"), std::string::npos) << batch;
}

}  // namespace
}  // namespace seer::bagel
