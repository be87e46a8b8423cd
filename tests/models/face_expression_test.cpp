// FaceExpressionNet on the real photos against the golden logits of shared/specs/assets.md,
// whose crops came from OpenCV's Haar cascade and cv::resize(INTER_AREA).

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "face_expression_assets.hpp"
#include "seer/models/face_expression.hpp"
#include "seer/models/tfjs_weights.hpp"

namespace seer::models {
namespace {

using test::asset_present;
using test::face_expression_manifest;
using test::photo;

const char* const kHaarCascade =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

struct GoldenFace {
  const char* photo;
  cv::Rect box;
  std::vector<float> logits;
  const char* label;
  double probability;
};

const std::vector<GoldenFace>& golden_faces() {
  static const std::vector<GoldenFace> faces{
      {"grace_hopper.jpg",
       {155, 105, 222, 222},
       {2.200568F, -0.543751F, -6.141709F, -8.314180F, -12.400890F, -4.730181F, -8.786039F},
       "neutral",
       0.9385},
      {"astronaut.png",
       {177, 66, 95, 95},
       {-12.978780F, 13.441382F, -14.978318F, -17.971781F, -14.638166F, -14.024279F, -16.068274F},
       "happy",
       1.0},
  };
  return faces;
}

// The one face the spec's Haar settings find in `image`.
cv::Rect haar_face(const cv::Mat& bgr) {
  cv::CascadeClassifier cascade;
  if (!cascade.load(kHaarCascade))
    throw std::runtime_error(std::string("cannot load ") + kHaarCascade);
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(gray, faces, 1.1, 8, 0, cv::Size(40, 40));
  if (faces.size() != 1) throw std::runtime_error(std::to_string(faces.size()) + " faces found");
  return faces.front();
}

// [1, 3, 112, 112] float RGB 0..255 of an 8-bit RGB image (already 112×112).
at::Tensor rgb_tensor(const cv::Mat& rgb) {
  return at::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, at::kByte)
      .permute({2, 0, 1})
      .to(at::kFloat)
      .unsqueeze(0)
      .contiguous();
}

RgbImageView view_of(const cv::Mat& rgb) {
  return {rgb.ptr<std::uint8_t>(), rgb.cols, rgb.rows, rgb.step[0]};
}

class FaceExpressionNetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::filesystem::exists(face_expression_manifest())) {
      net_ = new FaceExpressionNet(FaceExpressionNet::load(face_expression_manifest()));
    }
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(asset_present(face_expression_manifest()));
    ASSERT_NE(net_, nullptr);
  }
  static const FaceExpressionNet& net() { return *net_; }

  // The photo's face crop in RGB, at its own size.
  static cv::Mat face_crop(const GoldenFace& face) {
    const cv::Mat bgr = cv::imread(photo(face.photo).string(), cv::IMREAD_COLOR);
    if (bgr.empty()) throw std::runtime_error(photo(face.photo).string() + " cannot be read");
    cv::Mat rgb;
    cv::cvtColor(bgr(face.box), rgb, cv::COLOR_BGR2RGB);
    return rgb;
  }

 private:
  static inline FaceExpressionNet* net_ = nullptr;
};

TEST_F(FaceExpressionNetTest, HaarFindsTheGoldenBoxes) {
  for (const GoldenFace& face : golden_faces()) {
    ASSERT_TRUE(asset_present(photo(face.photo)));
    EXPECT_EQ(haar_face(cv::imread(photo(face.photo).string())), face.box) << face.photo;
  }
}

TEST_F(FaceExpressionNetTest, MatchesTheGoldenLogitsOnOpenCvAreaCrops) {
  for (const GoldenFace& face : golden_faces()) {
    ASSERT_TRUE(asset_present(photo(face.photo)));
    cv::Mat resized;
    cv::resize(face_crop(face), resized, cv::Size(112, 112), 0, 0, cv::INTER_AREA);
    const FaceExpressions result = net().forward(rgb_tensor(resized));
    ASSERT_EQ(result.logits.sizes(), (at::IntArrayRef{1, 7}));
    const at::Tensor expected = at::tensor(face.logits);
    EXPECT_LE((result.logits[0] - expected).abs().max().item<float>(), 1e-3F)
        << face.photo << ": " << result.logits;
    EXPECT_EQ(result.top_label(), face.label);
    EXPECT_NEAR(result.probabilities[0].max().item<double>(), face.probability, 1e-4);
    EXPECT_NEAR(result.probabilities.sum().item<double>(), 1.0, 1e-5);
  }
}

TEST_F(FaceExpressionNetTest, OurAreaResizeGivesTheGoldenLogitsToo) {
  for (const GoldenFace& face : golden_faces()) {
    ASSERT_TRUE(asset_present(photo(face.photo)));
    const cv::Mat crop = face_crop(face);
    const at::Tensor input = face_expression_input(view_of(crop), FaceResize::area);
    // Rounded to 8 bits as cv::resize does, our shrunk pixels are OpenCV's; enlarging, OpenCV
    // rounds its weights to 11-bit fixed point, which moves the astronaut's logits by ~0.1.
    const float tolerance = crop.cols > kFaceExpressionInputSize ? 1e-3F : 0.2F;
    const FaceExpressions rounded = net().forward(input.round());
    EXPECT_LE((rounded.logits[0] - at::tensor(face.logits)).abs().max().item<float>(), tolerance)
        << face.photo << ": " << rounded.logits;
    // Unrounded, the logits move a little (the astronaut's by about 0.15) but not the class.
    const FaceExpressions result = net().read(view_of(crop), FaceResize::area);
    EXPECT_LE((result.logits[0] - at::tensor(face.logits)).abs().max().item<float>(), 0.25F)
        << face.photo << ": " << result.logits;
    EXPECT_EQ(result.top_label(), face.label);
  }
}

TEST_F(FaceExpressionNetTest, BilinearLikeFaceApiAgreesOnTheClass) {
  for (const GoldenFace& face : golden_faces()) {
    ASSERT_TRUE(asset_present(photo(face.photo)));
    const cv::Mat crop = face_crop(face);
    EXPECT_EQ(net().read(view_of(crop)).top_label(), face.label) << face.photo;
  }
}

TEST_F(FaceExpressionNetTest, ABatchGivesEachFaceItsOwnResult) {
  std::vector<at::Tensor> inputs;
  for (const GoldenFace& face : golden_faces()) {
    ASSERT_TRUE(asset_present(photo(face.photo)));
    const cv::Mat crop = face_crop(face);
    inputs.push_back(face_expression_input(view_of(crop), FaceResize::area));
  }
  const FaceExpressions batch = net().forward(at::cat(inputs));
  ASSERT_EQ(batch.logits.size(0), 2);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const at::Tensor alone = net().forward(inputs[i]).logits[0];
    EXPECT_TRUE(at::allclose(batch.logits[static_cast<std::int64_t>(i)], alone, 1e-4, 1e-4));
    EXPECT_EQ(batch.top_label(static_cast<std::int64_t>(i)), golden_faces()[i].label);
  }
}

TEST_F(FaceExpressionNetTest, RefusesBatchesOfTheWrongShape) {
  EXPECT_THROW(net().forward(at::zeros({1, 3, 64, 64})), std::invalid_argument);
  EXPECT_THROW(net().forward(at::zeros({3, 112, 112})), std::invalid_argument);
  EXPECT_THROW(net().forward(at::zeros({1, 112, 112, 3})), std::invalid_argument);
  EXPECT_THROW(net().forward(at::zeros({1, 3, 112, 112}, at::kByte)), std::invalid_argument);
  EXPECT_THROW(net().forward(at::Tensor()), std::invalid_argument);
}

TEST(FaceExpressionNetLoad, AMissingManifestIsAClearError) {
  try {
    FaceExpressionNet::load("/nonexistent/face_expression_model-weights_manifest.json");
    ADD_FAILURE() << "loaded a missing manifest";
  } catch (const TfjsWeightsError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/face_expression_model"),
              std::string::npos);
  }
}

TEST(FaceExpressionNetLoad, AWeightMissingFromTheManifestIsNamed) {
  ASSERT_TRUE(asset_present(face_expression_manifest()));
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(::testing::TempDir()) / "face_expression_missing_weight";
  fs::create_directories(folder);
  fs::copy_file(face_expression_manifest().parent_path() / "face_expression_model.bin",
                folder / "face_expression_model.bin", fs::copy_options::overwrite_existing);
  std::ifstream in(face_expression_manifest());
  std::string manifest{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string name = "\"fc/bias\"";
  manifest.replace(manifest.find(name), name.size(), "\"fc/offset\"");
  std::ofstream(folder / "manifest.json") << manifest;
  try {
    FaceExpressionNet::load(folder / "manifest.json");
    ADD_FAILURE() << "loaded a model without fc/bias";
  } catch (const TfjsWeightsError& error) {
    EXPECT_NE(std::string(error.what()).find("has no weight 'fc/bias'"), std::string::npos)
        << error.what();
  }
  fs::remove_all(folder);
}

}  // namespace
}  // namespace seer::models
