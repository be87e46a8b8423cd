#include "seer/models/vision_tower.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;

using test::kFixtureDir;

// One image's packed inputs, built here so these tests do not depend on the preprocessing code.
struct PackedImage {
  at::Tensor patches;       // [N, patch * patch * channels]
  at::Tensor position_ids;  // [N]
};

// [C, H, W] -> patches flattened as (row in patch, column in patch, channel), raster order.
PackedImage patchify(const at::Tensor& pixels, std::int64_t patch, std::int64_t max_side) {
  const std::int64_t channels = pixels.size(0);
  const std::int64_t rows = pixels.size(1) / patch;
  const std::int64_t cols = pixels.size(2) / patch;
  const at::Tensor patches = pixels.reshape({channels, rows, patch, cols, patch})
                                 .permute({1, 3, 2, 4, 0})
                                 .reshape({rows * cols, patch * patch * channels});
  const at::Tensor ids =
      (at::arange(rows, at::kLong).unsqueeze(1) * max_side + at::arange(cols, at::kLong))
          .reshape({-1});
  return {patches.contiguous(), ids};
}

class VisionTowerFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tower_ = new VisionTower(VisionTower::load(kFixtureDir, {.float_dtype = at::kFloat}));
  }
  static void TearDownTestSuite() {
    delete tower_;
    tower_ = nullptr;
  }

  static PackedImage image_of(const SafetensorsFile& file, int index) {
    const VisionConfig& config = tower_->config();
    return patchify(file.load("pixel_values_" + std::to_string(index)), config.patch_size,
                    config.max_patches_per_side());
  }

  // Encodes every image of `case_name` alone and compares both stages with the reference.
  static void expect_matches_reference(const std::string& case_name, int images) {
    const SafetensorsFile file(kFixtureDir / ("case_" + case_name + ".safetensors"));
    for (int i = 0; i < images; ++i) {
      const PackedImage image = image_of(file, i);
      const VisionOutputs out =
          tower_->encode_with_stages(image.patches, image.position_ids, {image.patches.size(0)});
      const at::Tensor vit_ref = file.load("vit_out_" + std::to_string(i));
      const at::Tensor connector_ref = file.load("connector_out_" + std::to_string(i));
      ASSERT_EQ(out.vit_out.sizes(), vit_ref.sizes());
      ASSERT_EQ(out.connector_out.sizes(), connector_ref.sizes());
      const double vit_error = test::relative_error(out.vit_out, vit_ref);
      const double connector_error = test::relative_error(out.connector_out, connector_ref);
      RecordProperty(case_name + "_vit_out_" + std::to_string(i), std::to_string(vit_error));
      RecordProperty(case_name + "_connector_out_" + std::to_string(i),
                     std::to_string(connector_error));
      std::printf("%s image %d: vit_out rel L2 %.3g, connector_out rel L2 %.3g\n",
                  case_name.c_str(), i, vit_error, connector_error);
      EXPECT_LT(vit_error, 1e-4) << case_name << " image " << i;
      EXPECT_LT(connector_error, 1e-4) << case_name << " image " << i;
    }
  }

  static VisionTower* tower_;
};

VisionTower* VisionTowerFixture::tower_ = nullptr;

TEST_F(VisionTowerFixture, ConfigFollowsTheFilesAndBagelDefaults) {
  const VisionConfig& config = tower_->config();
  EXPECT_EQ(config.hidden_size, 48);
  EXPECT_EQ(config.num_attention_heads, 3);
  EXPECT_EQ(config.layers_used(), 2);
  EXPECT_EQ(config.max_patches_per_side(), 70);
  EXPECT_EQ(config.patch_dim(), 588);
  EXPECT_EQ(config.hidden_act, "gelu_pytorch_tanh");
  EXPECT_DOUBLE_EQ(config.layer_norm_eps, 1e-6);
  EXPECT_EQ(tower_->llm_hidden_size(), 64);
}

TEST_F(VisionTowerFixture, ImageChatMatchesReference) { expect_matches_reference("image_chat", 1); }
TEST_F(VisionTowerFixture, TwoImagesMatchReference) { expect_matches_reference("two_images", 2); }
TEST_F(VisionTowerFixture, ImageDemoTfMatchesReference) {
  expect_matches_reference("image_demo_tf", 1);
}
TEST_F(VisionTowerFixture, WideImageMatchesReference) { expect_matches_reference("wide_image", 1); }

TEST_F(VisionTowerFixture, EmbeddingsAddTheSinCosTableAtThePositionIds) {
  const SafetensorsFile file(kFixtureDir / "case_image_demo_tf.safetensors");
  const PackedImage image = image_of(file, 0);
  const VisionOutputs out =
      tower_->encode_with_stages(image.patches, image.position_ids, {image.patches.size(0)});
  const SafetensorsFile ema(kFixtureDir / "ema.safetensors");
  const at::Tensor table = ema.load("vit_pos_embed.pos_embed", {.float_dtype = at::kFloat});
  EXPECT_TRUE(
      at::allclose(out.embeddings - out.connector_out, table.index_select(0, image.position_ids)));
  EXPECT_TRUE(at::equal(tower_->encode_image(image.patches, image.position_ids), out.embeddings));
}

TEST_F(VisionTowerFixture, PackedImagesEqualEachImageAlone) {
  const SafetensorsFile file(kFixtureDir / "case_two_images.safetensors");
  const PackedImage first = image_of(file, 0);
  const PackedImage second = image_of(file, 1);
  const at::Tensor packed = tower_->encode_images(
      at::cat({first.patches, second.patches}), at::cat({first.position_ids, second.position_ids}),
      {first.patches.size(0), second.patches.size(0)});
  const at::Tensor alone = at::cat({tower_->encode_image(first.patches, first.position_ids),
                                    tower_->encode_image(second.patches, second.position_ids)});
  ASSERT_EQ(packed.sizes(), alone.sizes());
  EXPECT_TRUE(at::allclose(packed, alone, 1e-5, 1e-5));
}

TEST_F(VisionTowerFixture, RejectsInconsistentInputs) {
  const at::Tensor patches = at::zeros({4, 588});
  const at::Tensor ids = at::arange(4, at::kLong);
  EXPECT_THROW(tower_->encode_images(patches, ids, {3}), std::invalid_argument);
  EXPECT_THROW(tower_->encode_image(at::zeros({4, 587}), ids), std::invalid_argument);
  EXPECT_THROW(tower_->encode_image(patches, ids + 4900), std::invalid_argument);
}

// The message of the SafetensorsError that `action` throws, or "" when it throws none.
template <typename Action>
std::string safetensors_error_of(Action action) {
  try {
    action();
  } catch (const SafetensorsError& error) {
    return error.what();
  }
  return "";
}

TEST(VisionTowerLoading, MissingLayerNamesTheKey) {
  const SafetensorsFile ema(kFixtureDir / "ema.safetensors");
  VisionConfig config = read_vision_config(kFixtureDir / "vit_config.json");
  config.num_hidden_layers = 4;  // asks for layers 0..2; the checkpoint has 0..1
  const std::string message = safetensors_error_of([&] { VisionTower tower(ema, config); });
  EXPECT_NE(message.find("missing tensor 'vit_model.vision_model.encoder.layers.2."),
            std::string::npos)
      << message;
}

TEST(VisionTowerLoading, WrongShapeNamesTheKey) {
  const SafetensorsFile ema(kFixtureDir / "ema.safetensors");
  VisionConfig config = read_vision_config(kFixtureDir / "vit_config.json");
  config.intermediate_size = 100;
  const std::string message = safetensors_error_of([&] { VisionTower tower(ema, config); });
  EXPECT_NE(message.find("'vit_model.vision_model.encoder.layers.0.mlp.fc1.weight' has shape"),
            std::string::npos)
      << message;
}

TEST(VisionConfigParsing, DefaultsAndErrors) {
  const VisionConfig config = parse_vision_config(
      R"({"hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 3,
          "num_attention_heads": 2, "patch_size": 14, "image_size": 980,
          "hidden_act": "gelu", "layer_norm_eps": 1e-5})",
      "inline");
  EXPECT_EQ(config.hidden_act, "gelu");
  EXPECT_DOUBLE_EQ(config.layer_norm_eps, 1e-5);
  EXPECT_EQ(config.connector_act, "gelu_pytorch_tanh");
  EXPECT_THROW(parse_vision_config(R"({"hidden_size": 8})", "inline"), VisionConfigError);
  EXPECT_THROW(parse_vision_config("not json", "inline"), VisionConfigError);
  EXPECT_THROW(parse_vision_config(
                   R"({"hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 3,
                       "num_attention_heads": 2, "patch_size": 14, "image_size": 980,
                       "hidden_act": "relu"})",
                   "inline"),
               VisionConfigError);
}

}  // namespace
}  // namespace seer::models
