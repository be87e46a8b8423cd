#include "seer/models/bagel_engine.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/image_preprocessing.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;

using test::kFixtureDir;
using test::read_json_object;
using test::relative_error;
using test::to_ids;

const BagelEngine& tiny_engine() {
  static const BagelEngine engine = BagelEngine::load(kFixtureDir, {.float_dtype = at::kFloat});
  return engine;
}

// One fixture case: its metadata, its tensors and the reference pixel values of its images.
struct FixtureCase {
  boost::json::object meta;
  SafetensorsFile tensors;
  std::vector<at::Tensor> pixel_values;

  explicit FixtureCase(const std::string& name)
      : meta(read_json_object(kFixtureDir / ("case_" + name + ".json"))),
        tensors(kFixtureDir / ("case_" + name + ".safetensors")) {
    const std::size_t image_count = meta.at("images").as_array().size();
    for (std::size_t i = 0; i < image_count; ++i) {
      pixel_values.push_back(tensors.load("pixel_values_" + std::to_string(i)));
    }
  }
  std::int64_t number(const char* field) const { return meta.at(field).to_number<std::int64_t>(); }
  std::vector<std::int64_t> prompt() const { return to_ids(tensors.load("prompt_ids")); }
};

// An 8-bit RGB(A) copy of a PNG (OpenCV decodes to BGR(A)).
struct RgbPixels {
  std::vector<std::uint8_t> bytes;
  cv::Mat mat;
  ImageView view() const { return {bytes.data(), mat.cols, mat.rows, mat.channels(), 0}; }
};

RgbPixels decode_png(const fs::path& path) {
  RgbPixels image{.mat = cv::imread(path.string(), cv::IMREAD_UNCHANGED)};
  if (image.mat.empty() || image.mat.depth() != CV_8U) {
    throw std::runtime_error("cannot decode " + path.string() + " as 8-bit");
  }
  const int channels = image.mat.channels();
  for (int y = 0; y < image.mat.rows; ++y) {
    const std::uint8_t* row = image.mat.ptr<std::uint8_t>(y);
    for (int x = 0; x < image.mat.cols; ++x) {
      const std::uint8_t* pixel = row + x * channels;
      if (channels >= 3) {
        image.bytes.insert(image.bytes.end(), {pixel[2], pixel[1], pixel[0]});
        if (channels == 4) image.bytes.push_back(pixel[3]);
      } else {
        image.bytes.insert(image.bytes.end(), pixel, pixel + channels);
      }
    }
  }
  return image;
}

class BagelEngineFixture : public testing::TestWithParam<std::string> {};

TEST_P(BagelEngineFixture, MatchesTheOfficialReferenceFromPixelValues) {
  const FixtureCase fixture(GetParam());
  const GenerationOutput output =
      tiny_engine().generate(fixture.pixel_values, fixture.prompt(), fixture.number("max_length"));

  EXPECT_EQ(output.kv_len_after_prefill, fixture.number("kv_len_after_prefill"));
  EXPECT_EQ(output.rope_after_prefill, fixture.number("rope_after_prefill"));
  ASSERT_TRUE(output.first_logits.defined());
  const double first_error =
      relative_error(output.first_logits, fixture.tensors.load("first_logits"));
  EXPECT_LT(first_error, 1e-4);
  std::cout << GetParam() << ": first_logits relative L2 error " << first_error << "\n";
  EXPECT_EQ(output.ids, to_ids(fixture.tensors.load("generated_ids")));
}

INSTANTIATE_TEST_SUITE_P(EveryCase, BagelEngineFixture,
                         testing::Values("image_chat", "two_images", "image_demo_tf", "wide_image",
                                         "text_only"));

TEST(BagelEngine, ImageChatFromThePngThroughOurPreprocessing) {
  const FixtureCase fixture("image_chat");
  const RgbPixels png = decode_png(kFixtureDir / "image_chat_0.png");
  const GenerationOutput output =
      tiny_engine().generate(std::vector<ImageView>{png.view()}, fixture.prompt(),
                             fixture.number("max_length"), ImagePreprocessing::chat());
  EXPECT_EQ(output.kv_len_after_prefill, fixture.number("kv_len_after_prefill"));
  EXPECT_EQ(output.ids, to_ids(fixture.tensors.load("generated_ids")));
}

TEST(BagelEngine, EmptyPromptIsRefused) {
  const std::vector<std::int64_t> empty;
  try {
    tiny_engine().generate(std::vector<at::Tensor>{}, empty, 4);
    FAIL() << "an empty prompt was accepted";
  } catch (const GenerationRequestError& error) {
    EXPECT_NE(std::string(error.what()).find("prompt"), std::string::npos) << error.what();
  }
}

TEST(BagelEngine, ZeroMaxLengthIsRefused) {
  const std::vector<std::int64_t> prompt{9707};
  EXPECT_THROW(tiny_engine().generate(std::vector<at::Tensor>{}, prompt, 0),
               GenerationRequestError);
}

}  // namespace
}  // namespace seer::models
