#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "checkpoint_scratch_dir.hpp"
#include "fixture_support.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/random_checkpoint.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;
using test::kFixtureDir;

LanguageConfig language_config(std::int64_t hidden, std::int64_t layers, std::int64_t heads,
                               std::int64_t kv_heads, std::int64_t mlp, std::int64_t vocab) {
  return {.hidden_size = hidden,
          .num_layers = layers,
          .num_heads = heads,
          .num_kv_heads = kv_heads,
          .head_dim = hidden / heads,
          .intermediate_size = mlp,
          .vocab_size = vocab,
          .max_position_embeddings = 4096,
          .rope_theta = 1e6,
          .rms_norm_eps = 1e-6};
}

VisionConfig vision_config(std::int64_t hidden, std::int64_t heads, std::int64_t mlp,
                           std::int64_t layers, std::int64_t patch, std::int64_t image_size) {
  VisionConfig config;
  config.hidden_size = hidden;
  config.num_attention_heads = heads;
  config.intermediate_size = mlp;
  config.num_hidden_layers = layers;
  config.patch_size = patch;
  config.image_size = image_size;
  return config;
}

std::set<std::string> field_names(const fs::path& json_file) {
  std::set<std::string> names;
  for (const auto& [name, value] : test::read_json_object(json_file)) names.emplace(name);
  return names;
}

// The vocabulary is small here: these checkpoints are only read, never run.
const LanguageConfig kSmallLanguage = language_config(48, 2, 4, 2, 80, 300);
const VisionConfig kSmallVision = vision_config(24, 2, 40, 3, 8, 64);

TEST(RandomCheckpoint, ConfigFilesUseTheReleasesFieldsAndReadBackAsWritten) {
  const test::ScratchDir dir;
  write_random_bagel_checkpoint(dir / "model", kSmallLanguage, kSmallVision);

  EXPECT_EQ(field_names(dir / "model/llm_config.json"),
            field_names(kFixtureDir / "llm_config.json"));
  EXPECT_EQ(field_names(dir / "model/vit_config.json"),
            field_names(kFixtureDir / "vit_config.json"));
  const LanguageConfig language = LanguageConfig::from_json_file(dir / "model/llm_config.json");
  EXPECT_EQ(language.hidden_size, 48);
  EXPECT_EQ(language.num_layers, 2);
  EXPECT_EQ(language.num_heads, 4);
  EXPECT_EQ(language.num_kv_heads, 2);
  EXPECT_EQ(language.head_dim, 12);
  EXPECT_EQ(language.intermediate_size, 80);
  EXPECT_EQ(language.vocab_size, 300);
  EXPECT_EQ(language.max_position_embeddings, 4096);
  EXPECT_DOUBLE_EQ(language.rope_theta, 1e6);
  EXPECT_DOUBLE_EQ(language.rms_norm_eps, 1e-6);
  const VisionConfig vision = read_vision_config(dir / "model/vit_config.json");
  EXPECT_EQ(vision.hidden_size, 24);
  EXPECT_EQ(vision.num_attention_heads, 2);
  EXPECT_EQ(vision.intermediate_size, 40);
  EXPECT_EQ(vision.num_hidden_layers, 3);
  EXPECT_EQ(vision.patch_size, 8);
  EXPECT_EQ(vision.image_size, 64);
  EXPECT_EQ(vision.hidden_act, VisionConfig().hidden_act);
}

TEST(RandomCheckpoint, WeightsFollowTheLayoutWithNormsNearOneAndTheRestSmall) {
  const test::ScratchDir dir;
  write_random_bagel_checkpoint(dir.path(), kSmallLanguage, kSmallVision, at::kBFloat16, 7);
  const SafetensorsFile file(dir / "ema.safetensors");
  const std::vector<CheckpointTensor> layout =
      bagel_checkpoint_layout(kSmallLanguage, kSmallVision);
  ASSERT_EQ(file.size(), layout.size());
  EXPECT_EQ(file.metadata().at("format"), "pt");
  for (const CheckpointTensor& tensor : layout) {
    SCOPED_TRACE(tensor.key);
    const TensorInfo& info = file.require(tensor.key);
    EXPECT_EQ(info.dtype, at::kBFloat16);
    EXPECT_EQ(info.shape, tensor.shape);
    const at::Tensor values = file.view(tensor.key).to(at::kFloat);
    ASSERT_TRUE(at::isfinite(values).all().item<bool>());
    const bool norm = tensor.key.ends_with("norm.weight") ||
                      tensor.key.find("norm_moe_gen.weight") != std::string::npos ||
                      tensor.key.find("norm1.weight") != std::string::npos ||
                      tensor.key.find("norm2.weight") != std::string::npos;
    EXPECT_NEAR(values.mean().item<double>(), norm ? 1.0 : 0.0, 0.05);
    EXPECT_LT(values.abs().max().item<double>(), norm ? 1.2 : 0.2);
  }
}

TEST(RandomCheckpoint, TheSeedDecidesTheWeights) {
  const test::ScratchDir dir;
  write_random_bagel_checkpoint(dir / "a", kSmallLanguage, kSmallVision, at::kFloat, 1);
  write_random_bagel_checkpoint(dir / "b", kSmallLanguage, kSmallVision, at::kFloat, 1);
  write_random_bagel_checkpoint(dir / "c", kSmallLanguage, kSmallVision, at::kFloat, 2);
  const std::string key = "language_model.model.layers.1.mlp.up_proj.weight";
  const at::Tensor a = SafetensorsFile(dir / "a/ema.safetensors").view(key);
  EXPECT_TRUE(at::equal(a, SafetensorsFile(dir / "b/ema.safetensors").view(key)));
  EXPECT_FALSE(at::equal(a, SafetensorsFile(dir / "c/ema.safetensors").view(key)));
}

TEST(RandomCheckpoint, SizesNoConfigFileCanExpressAreRefusedBeforeWriting) {
  const test::ScratchDir dir;
  LanguageConfig odd_head_dim = kSmallLanguage;
  odd_head_dim.head_dim = 16;  // 4 heads of 16 are not 48 wide
  EXPECT_THROW(write_random_bagel_checkpoint(dir / "a", odd_head_dim, kSmallVision),
               std::invalid_argument);
  VisionConfig other_connector = kSmallVision;
  other_connector.connector_act = "relu";
  EXPECT_THROW(write_random_bagel_checkpoint(dir / "b", kSmallLanguage, other_connector),
               std::invalid_argument);
  EXPECT_THROW(write_random_bagel_checkpoint(dir / "c", kSmallLanguage, kSmallVision, at::kLong),
               std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir / "a/ema.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "b/ema.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "c/ema.safetensors"));
}

struct EngineShape {
  const char* name;
  LanguageConfig language;
  VisionConfig vision;
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const EngineShape& shape, std::ostream* out) { *out << shape.name; }

class RandomCheckpointOfAnySize : public ::testing::TestWithParam<EngineShape> {};

// The acceptance criterion: a directory with the release's layout but other sizes loads and
// generates with no code change. A crop of a real photo (the fixture's preprocessed pixels)
// and a real prompt go in.
TEST_P(RandomCheckpointOfAnySize, LoadsAndGeneratesFiniteInRangeTokens) {
  const EngineShape& shape = GetParam();
  const test::ScratchDir dir;
  write_random_bagel_checkpoint(dir.path(), shape.language, shape.vision);

  const BagelEngine engine = BagelEngine::load(dir.path());
  EXPECT_EQ(engine.language_model().config().hidden_size, shape.language.hidden_size);
  EXPECT_EQ(engine.language_model().config().head_dim, shape.language.head_dim);
  EXPECT_EQ(engine.vision_tower().llm_hidden_size(), shape.language.hidden_size);

  const SafetensorsFile fixture_case(kFixtureDir / "case_image_chat.safetensors");
  const std::int64_t patch = shape.vision.patch_size;
  const at::Tensor pixels =
      fixture_case.load("pixel_values_0").slice(1, 0, 2 * patch).slice(2, 0, 3 * patch);
  const std::vector<std::int64_t> prompt = test::to_ids(fixture_case.load("prompt_ids"));
  const GenerationOutput output = engine.generate(std::vector<at::Tensor>{pixels}, prompt, 4);

  ASSERT_FALSE(output.ids.empty());
  EXPECT_EQ(output.ids.front(), kImStartId);
  EXPECT_LE(output.ids.size(), 4u);
  for (const std::int64_t id : output.ids) {
    EXPECT_GE(id, 0);
    EXPECT_LT(id, shape.language.vocab_size);
  }
  ASSERT_TRUE(output.first_logits.defined());
  EXPECT_EQ(output.first_logits.numel(), shape.language.vocab_size);
  EXPECT_TRUE(at::isfinite(output.first_logits).all().item<bool>());
  // 6 image patches between <|vision_start|> and <|vision_end|>, the prompt wrapped in
  // <|im_start|> ... <|im_end|>.
  EXPECT_EQ(output.kv_len_after_prefill, 6 + 2 + static_cast<std::int64_t>(prompt.size()) + 2);
}

INSTANTIATE_TEST_SUITE_P(
    TwoShapes, RandomCheckpointOfAnySize,
    ::testing::Values(EngineShape{"gqa", language_config(96, 5, 6, 3, 200, 152064),
                                  vision_config(32, 2, 64, 3, 14, 980)},
                      EngineShape{"mha_wide_heads", language_config(128, 2, 4, 4, 160, 152064),
                                  vision_config(48, 4, 72, 2, 16, 512)}),
    [](const ::testing::TestParamInfo<EngineShape>& param) { return param.param.name; });

}  // namespace
}  // namespace seer::models
