#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {
namespace {

using test::kFixtureDir;

using Shapes = std::map<std::string, std::vector<std::int64_t>>;

Shapes shapes_of(const std::vector<CheckpointTensor>& layout) {
  Shapes shapes;
  for (const CheckpointTensor& tensor : layout) shapes[tensor.key] = tensor.shape;
  return shapes;
}

// BAGEL-7B-MoT's sizes (spec bagel.md §1.2, §1.3).
LanguageConfig release_language() {
  return {.hidden_size = 3584,
          .num_layers = 28,
          .num_heads = 28,
          .num_kv_heads = 4,
          .head_dim = 128,
          .intermediate_size = 18944,
          .vocab_size = 152064,
          .max_position_embeddings = 32768,
          .rope_theta = 1e6,
          .rms_norm_eps = 1e-6};
}

VisionConfig release_vision() {
  VisionConfig config;
  config.hidden_size = 1152;
  config.intermediate_size = 4304;
  config.num_attention_heads = 16;
  config.num_hidden_layers = 27;
  config.patch_size = 14;
  config.image_size = 980;
  return config;
}

TEST(CheckpointLayout, TinyConfigsGiveTheFixturesKeysAndShapesExactly) {
  const LanguageConfig language = LanguageConfig::from_json_file(kFixtureDir / "llm_config.json");
  const VisionConfig vision = read_vision_config(kFixtureDir / "vit_config.json");
  // bagel-tiny has no image-generation heads.
  const std::vector<CheckpointTensor> layout =
      bagel_checkpoint_layout(language, vision, {.generation_heads = std::nullopt});

  const boost::json::object fixture = test::read_json_object(kFixtureDir / "keys.json");
  std::vector<std::string> keys;
  for (const CheckpointTensor& tensor : layout) keys.push_back(tensor.key);
  std::vector<std::string> fixture_keys;
  for (const boost::json::value& key : fixture.at("keys").as_array()) {
    fixture_keys.emplace_back(key.as_string());
  }
  EXPECT_EQ(keys, fixture_keys);

  Shapes fixture_shapes;
  for (const auto& [key, shape] : fixture.at("shapes").as_object()) {
    for (const boost::json::value& dim : shape.as_array()) {
      fixture_shapes[std::string(key)].push_back(dim.to_number<std::int64_t>());
    }
  }
  EXPECT_EQ(shapes_of(layout), fixture_shapes);

  // And the fixture's checkpoint itself.
  const SafetensorsFile checkpoint(kFixtureDir / "ema.safetensors");
  EXPECT_EQ(checkpoint.keys(), keys);
  for (const CheckpointTensor& tensor : layout) {
    EXPECT_EQ(checkpoint.require(tensor.key).shape, tensor.shape) << tensor.key;
  }
}

TEST(CheckpointLayout, ReleaseSizesGiveTheReleasesTensorCountAndParameterCount) {
  const std::vector<CheckpointTensor> layout =
      bagel_checkpoint_layout(release_language(), release_vision());
  EXPECT_EQ(layout.size(), 1223u);  // LLM 788, ViT 421, connector 4, vit_pos_embed 1, gen 9
  std::int64_t parameters = 0;
  for (const CheckpointTensor& tensor : layout) {
    std::int64_t count = 1;
    for (const std::int64_t dim : tensor.shape) count *= dim;
    parameters += count;
  }
  // 14.607 B parameters = the 29.2 GB bf16 file (spec §1.1).
  EXPECT_NEAR(static_cast<double>(parameters) / 1e9, 14.607, 0.0005);

  const Shapes shapes = shapes_of(layout);
  const std::string layer = "language_model.model.layers.27.";
  EXPECT_EQ(shapes.at(layer + "self_attn.k_proj_moe_gen.weight"),
            (std::vector<std::int64_t>{512, 3584}));
  EXPECT_EQ(shapes.at(layer + "mlp_moe_gen.down_proj.weight"),
            (std::vector<std::int64_t>{3584, 18944}));
  EXPECT_EQ(shapes.at("language_model.model.norm_moe_gen.weight"),
            (std::vector<std::int64_t>{3584}));
  EXPECT_EQ(shapes.at("vit_model.vision_model.encoder.layers.25.mlp.fc1.weight"),
            (std::vector<std::int64_t>{4304, 1152}));
  EXPECT_FALSE(shapes.contains("vit_model.vision_model.encoder.layers.26.mlp.fc1.weight"));
  EXPECT_EQ(shapes.at("vit_pos_embed.pos_embed"), (std::vector<std::int64_t>{4900, 3584}));
  EXPECT_EQ(shapes.at("time_embedder.mlp.0.weight"), (std::vector<std::int64_t>{3584, 256}));
  EXPECT_EQ(shapes.at("time_embedder.mlp.2.weight"), (std::vector<std::int64_t>{3584, 3584}));
  EXPECT_EQ(shapes.at("vae2llm.weight"), (std::vector<std::int64_t>{3584, 64}));
  EXPECT_EQ(shapes.at("llm2vae.bias"), (std::vector<std::int64_t>{64}));
  EXPECT_EQ(shapes.at("latent_pos_embed.pos_embed"), (std::vector<std::int64_t>{4096, 3584}));
}

TEST(CheckpointLayout, TheEngineSkipsExactlyTheGenerationKeys) {
  std::size_t skipped = 0;
  for (const CheckpointTensor& tensor :
       bagel_checkpoint_layout(release_language(), release_vision())) {
    if (!is_understanding_key(tensor.key)) ++skipped;
  }
  // 14 generation-expert weights in each of 28 layers, norm_moe_gen and the 9 heads' tensors.
  EXPECT_EQ(skipped, 28u * 14u + 1u + 9u);
}

TEST(CheckpointLayout, GenerationExpertKeysFollowTheReleasesNaming) {
  const std::string layer = "language_model.model.layers.12.";
  EXPECT_EQ(generation_expert_key(layer + "mlp.gate_proj.weight"),
            layer + "mlp_moe_gen.gate_proj.weight");
  EXPECT_EQ(generation_expert_key(layer + "self_attn.q_proj.bias"),
            layer + "self_attn.q_proj_moe_gen.bias");
  EXPECT_EQ(generation_expert_key(layer + "self_attn.k_norm.weight"),
            layer + "self_attn.k_norm_moe_gen.weight");
  EXPECT_EQ(generation_expert_key(layer + "post_attention_layernorm.weight"),
            layer + "post_attention_layernorm_moe_gen.weight");
  EXPECT_EQ(generation_expert_key("language_model.model.norm.weight"),
            "language_model.model.norm_moe_gen.weight");
  EXPECT_EQ(generation_expert_key("language_model.model.embed_tokens.weight"), std::nullopt);
  EXPECT_EQ(generation_expert_key("language_model.lm_head.weight"), std::nullopt);
  EXPECT_EQ(generation_expert_key("connector.fc1.weight"), std::nullopt);
}

TEST(CheckpointLayout, SizesThatAreNotPositiveAreRefused) {
  LanguageConfig no_layers = release_language();
  no_layers.num_layers = 0;
  EXPECT_THROW(bagel_checkpoint_layout(no_layers, release_vision()), std::invalid_argument);
  VisionConfig one_layer = release_vision();
  one_layer.num_hidden_layers = 1;  // BAGEL drops the last layer: none would be left
  EXPECT_THROW(bagel_checkpoint_layout(release_language(), one_layer), std::invalid_argument);
  EXPECT_THROW(bagel_checkpoint_layout(release_language(), release_vision(),
                                       {.generation_heads = GenerationHeads{.latent_channels = 0}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace seer::models
