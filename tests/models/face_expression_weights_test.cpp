// The tfjs weights-manifest reader: the real face expression model, and small manifests
// written here to check decoding and every error the reader promises.

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "face_expression_assets.hpp"
#include "seer/models/tfjs_weights.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;
using test::asset_present;
using test::face_expression_manifest;

// A folder of its own per test, holding a manifest and its binary file.
class SyntheticModel : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::path(::testing::TempDir()) / (std::string("tfjs_") + info->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path write(const std::string& name, const std::string& content) const {
    std::ofstream(folder_ / name, std::ios::binary) << content;
    return folder_ / name;
  }

  // Loads and returns the error message; fails the test when loading succeeds.
  std::string load_error(const fs::path& manifest) const {
    try {
      TfjsWeights::load(manifest);
    } catch (const TfjsWeightsError& error) {
      return error.what();
    }
    ADD_FAILURE() << "loading " << manifest << " succeeded";
    return {};
  }

  fs::path folder_;
};

std::string float_bytes(const std::vector<float>& values) {
  std::string bytes(values.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// One float32 weight "w" [2, 2] and one uint8-quantised weight "q" [3], in model.bin.
constexpr const char* kTwoWeights = R"([{"paths": ["model.bin"], "weights": [
  {"name": "w", "shape": [2, 2], "dtype": "float32"},
  {"name": "q", "shape": [3], "dtype": "float32",
   "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}}]}])";

std::string two_weights_bin() {
  return float_bytes({1.5F, -2.0F, 3.25F, 0.0F}) + std::string("\x00\x02\xff", 3);
}

TEST_F(SyntheticModel, DecodesFloat32AndDequantisesUint8) {
  write("model.bin", two_weights_bin());
  const TfjsWeights weights = TfjsWeights::load(write("model.json", kTwoWeights));
  EXPECT_EQ(weights.names(), (std::vector<std::string>{"q", "w"}));
  EXPECT_TRUE(
      at::equal(weights.require("w", {2, 2}), at::tensor({1.5F, -2.0F, 3.25F, 0.0F}).view({2, 2})));
  // q × 0.5 − 1 for q = 0, 2, 255.
  EXPECT_TRUE(at::equal(weights.require("q", {3}), at::tensor({-1.0F, 0.0F, 126.5F})));
}

TEST_F(SyntheticModel, ConcatenatesShardsAndReadsUint16AndFloat16) {
  const std::uint16_t quantised[] = {0, 1000, 65535};
  std::string uint16_bytes(sizeof quantised, '\0');
  std::memcpy(uint16_bytes.data(), quantised, sizeof quantised);
  const std::string half_bytes("\x00\x3c\x00\xc0", 4);  // 1.0 and -2.0 as float16
  const std::string all = uint16_bytes + half_bytes;
  write("part1.bin", all.substr(0, 5));  // a weight may straddle two shards
  write("part2.bin", all.substr(5));
  const TfjsWeights weights = TfjsWeights::load(write("model.json", R"([{
    "paths": ["part1.bin", "part2.bin"], "weights": [
    {"name": "u", "shape": [3], "dtype": "float32",
     "quantization": {"dtype": "uint16", "scale": 0.001, "min": 2.0}},
    {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]}])"));
  EXPECT_TRUE(at::allclose(weights.require("u", {3}), at::tensor({2.0F, 3.0F, 67.535F})));
  EXPECT_TRUE(at::equal(weights.require("h", {2}), at::tensor({1.0F, -2.0F})));
}

TEST_F(SyntheticModel, TruncatedBinNamesTheFileAndTheWeightThatRunsPastTheEnd) {
  write("model.bin", two_weights_bin().substr(0, 17));
  const std::string message = load_error(write("model.json", kTwoWeights));
  EXPECT_NE(message.find("model.bin holds 17 bytes"), std::string::npos) << message;
  EXPECT_NE(message.find("weight 'q'"), std::string::npos) << message;
}

TEST_F(SyntheticModel, BinLongerThanItsWeightsIsRefused) {
  write("model.bin", two_weights_bin() + "extra");
  const std::string message = load_error(write("model.json", kTwoWeights));
  EXPECT_NE(message.find("holds 24 bytes but its weights take 19"), std::string::npos) << message;
}

TEST_F(SyntheticModel, MissingBinNamesTheFileAndItsWeights) {
  const std::string message = load_error(write("model.json", kTwoWeights));
  EXPECT_NE(message.find((folder_ / "model.bin").string()), std::string::npos) << message;
  EXPECT_NE(message.find("weight 'w' and 1 more"), std::string::npos) << message;
}

TEST_F(SyntheticModel, MissingManifestNamesIt) {
  const std::string message = load_error(folder_ / "absent.json");
  EXPECT_NE(message.find("absent.json: cannot open the weights manifest"), std::string::npos)
      << message;
}

TEST_F(SyntheticModel, BadJsonNamesTheManifest) {
  const fs::path manifest = write("model.json", R"([{"paths": ["model.bin"], "weights": [)");
  const std::string message = load_error(manifest);
  EXPECT_NE(message.find(manifest.string() + ": not valid JSON"), std::string::npos) << message;
}

TEST_F(SyntheticModel, WrongJsonShapesAreNamed) {
  EXPECT_NE(load_error(write("a.json", R"({"paths": []})")).find("expected a JSON array"),
            std::string::npos);
  EXPECT_NE(load_error(write("b.json", R"([{"weights": []}])")).find("group 0 has no 'paths'"),
            std::string::npos);
  const std::string no_shape =
      load_error(write("c.json", R"([{"paths": ["m.bin"], "weights": [{"name": "x"}]}])"));
  EXPECT_NE(no_shape.find("weight 'x' has no 'shape'"), std::string::npos) << no_shape;
  const std::string negative = load_error(write(
      "d.json",
      R"([{"paths": ["m.bin"], "weights": [{"name": "x", "shape": [-1], "dtype": "float32"}]}])"));
  EXPECT_NE(negative.find("weight 'x': 'shape' holds a negative"), std::string::npos) << negative;
}

TEST_F(SyntheticModel, UnknownDtypesAreNamedWithTheWeight) {
  const std::string dtype = load_error(write(
      "a.json",
      R"([{"paths": ["m.bin"], "weights": [{"name": "x", "shape": [1], "dtype": "complex64"}]}])"));
  EXPECT_NE(dtype.find("weight 'x' has dtype 'complex64'"), std::string::npos) << dtype;
  const std::string quantisation = load_error(write("b.json", R"([{"paths": ["m.bin"],
    "weights": [{"name": "y", "shape": [1], "dtype": "float32",
                 "quantization": {"dtype": "int4", "scale": 1, "min": 0}}]}])"));
  EXPECT_NE(quantisation.find("weight 'y' is quantised as 'int4'"), std::string::npos)
      << quantisation;
}

TEST_F(SyntheticModel, DuplicateNamesAndPathsOutsideTheFolderAreRefused) {
  const std::string duplicate = load_error(write("a.json", R"([{"paths": ["m.bin"], "weights": [
    {"name": "x", "shape": [1], "dtype": "float32"},
    {"name": "x", "shape": [1], "dtype": "float32"}]}])"));
  EXPECT_NE(duplicate.find("weight 'x' is listed twice"), std::string::npos) << duplicate;
  const std::string outside = load_error(write("b.json", R"([{"paths": ["../secret.bin"],
    "weights": [{"name": "x", "shape": [1], "dtype": "float32"}]}])"));
  EXPECT_NE(outside.find("'../secret.bin' must be a path inside"), std::string::npos) << outside;
}

TEST_F(SyntheticModel, RequireNamesTheMissingWeightOrTheWrongShape) {
  write("model.bin", two_weights_bin());
  const fs::path manifest = write("model.json", kTwoWeights);
  const TfjsWeights weights = TfjsWeights::load(manifest);
  try {
    weights.require("dense0/conv0/filters", {3, 3, 3, 32});
    ADD_FAILURE() << "a missing weight was found";
  } catch (const TfjsWeightsError& error) {
    EXPECT_EQ(std::string(error.what()),
              manifest.string() + ": has no weight 'dense0/conv0/filters'");
  }
  try {
    weights.require("w", {4});
    ADD_FAILURE() << "a wrong shape was accepted";
  } catch (const TfjsWeightsError& error) {
    EXPECT_NE(std::string(error.what()).find("weight 'w' has shape [2, 2], expected [4]"),
              std::string::npos)
        << error.what();
  }
}

TEST(RealTfjsWeights, FaceExpressionModelDequantisesLikeTfjs) {
  ASSERT_TRUE(asset_present(face_expression_manifest()));
  const TfjsWeights weights = TfjsWeights::load(face_expression_manifest());
  EXPECT_EQ(weights.size(), 49U);
  // The first byte of the .bin is dense0/conv0/filters[0]; its scale and min from the manifest.
  std::ifstream bin(face_expression_manifest().parent_path() / "face_expression_model.bin",
                    std::ios::binary);
  const auto first = static_cast<unsigned char>(bin.get());
  const double expected = first * 0.0057930146946626555 + -0.7125408074435067;
  const at::Tensor filters = weights.require("dense0/conv0/filters", {3, 3, 3, 32});
  EXPECT_EQ(filters.flatten()[0].item<float>(), static_cast<float>(expected));
}

}  // namespace
}  // namespace seer::models
