// The Haar detector on real photos: the golden boxes of ../shared/specs/assets.md (computed
// with detectMultiScale(gray, 1.1, 8, 40×40)), downscaling of large frames, and bad input.

#include "haar_face_detector.hpp"

#include "face_test_assets.hpp"

#include <seer/image_io.hpp>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>
#include <thread>

namespace seer::faces {
namespace {

using test::load_photo;

void expect_near_box(const Box& actual, const Box& expected, float tolerance) {
  EXPECT_NEAR(actual.x, expected.x, tolerance);
  EXPECT_NEAR(actual.y, expected.y, tolerance);
  EXPECT_NEAR(actual.width, expected.width, tolerance);
  EXPECT_NEAR(actual.height, expected.height, tolerance);
}

// `photo` scaled to fit 1280×720 and centred on black, as a camera frame would hold it.
Image letterboxed_frame(const Image& photo, double& scale, int& left, int& top) {
  scale = std::min(1280.0 / photo.width, 720.0 / photo.height);
  cv::Mat resized;
  cv::resize(image_io::mat_view(photo), resized, cv::Size(), scale, scale, cv::INTER_LINEAR);
  cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar::all(0));
  left = (1280 - resized.cols) / 2;
  top = (720 - resized.rows) / 2;
  resized.copyTo(frame(cv::Rect(left, top, resized.cols, resized.rows)));
  return image_io::image_from_mat(frame);
}

TEST(HaarFaceDetector, FindsGraceHopperAtTheGoldenBox) {
  HaarFaceDetector detector({});
  const std::vector<DetectedFace> faces = detector.detect(load_photo("photos/grace_hopper.jpg"));
  ASSERT_EQ(faces.size(), 1u);
  expect_near_box(faces[0].box, Box{155, 105, 222, 222}, 10);
  EXPECT_EQ(faces[0].score, 1.0f);
  EXPECT_TRUE(faces[0].landmarks.empty());
}

TEST(HaarFaceDetector, FindsTheAstronautAtTheGoldenBox) {
  HaarFaceDetector detector({});
  const std::vector<DetectedFace> faces = detector.detect(load_photo("photos/astronaut.png"));
  ASSERT_EQ(faces.size(), 1u);
  expect_near_box(faces[0].box, Box{177, 66, 95, 95}, 10);
}

TEST(HaarFaceDetector, FindsNoFrontalFaceInAStreetScene) {
  HaarFaceDetector detector({});
  EXPECT_TRUE(detector.detect(load_photo("darknet/data/person.jpg")).empty());
}

TEST(HaarFaceDetector, ReadsRgbAndGrayImagesLikeBgr) {
  HaarFaceDetector detector({});
  const Image bgr = load_photo("photos/grace_hopper.jpg");
  cv::Mat rgb;
  cv::Mat gray;
  cv::cvtColor(image_io::mat_view(bgr), rgb, cv::COLOR_BGR2RGB);
  cv::cvtColor(image_io::mat_view(bgr), gray, cv::COLOR_BGR2GRAY);
  Image rgb_image = image_io::image_from_mat(rgb);
  rgb_image.format = PixelFormat::rgb8;

  const Box expected = detector.detect(bgr).at(0).box;
  for (const Image& image : {rgb_image, image_io::image_from_mat(gray)}) {
    const std::vector<DetectedFace> faces = detector.detect(image);
    ASSERT_EQ(faces.size(), 1u) << to_string(image.format);
    expect_near_box(faces[0].box, expected, 0.5f);
  }
}

TEST(HaarFaceDetector, DownscalesWideFramesAndMapsBoxesBack) {
  double scale = 1;
  int left = 0;
  int top = 0;
  const Image frame = letterboxed_frame(load_photo("photos/grace_hopper.jpg"), scale, left, top);
  const Box expected{static_cast<float>(left + 155 * scale), static_cast<float>(top + 105 * scale),
                     static_cast<float>(222 * scale), static_cast<float>(222 * scale)};

  for (int max_width : {0, 640, 320}) {
    HaarSettings settings;
    settings.max_width = max_width;
    HaarFaceDetector detector(settings);
    const std::vector<DetectedFace> faces = detector.detect(frame);
    ASSERT_EQ(faces.size(), 1u) << "max_width " << max_width;
    // Boxes found at a coarser scale are coarser: one detection pixel is 1280 / max_width.
    expect_near_box(faces[0].box, expected, 20);
  }
}

TEST(HaarFaceDetector, MinSizeStaysInFramePixelsWhenDownscaling) {
  double scale = 1;
  int left = 0;
  int top = 0;
  const Image frame = letterboxed_frame(load_photo("photos/grace_hopper.jpg"), scale, left, top);
  HaarSettings settings;
  settings.max_width = 640;
  settings.min_size = static_cast<int>(400 * scale);  // bigger than the face (~312 px)
  EXPECT_TRUE(HaarFaceDetector(settings).detect(frame).empty());
}

TEST(HaarFaceDetector, ServesSeveralThreadsAtOnce) {
  HaarFaceDetector detector({});
  const Image photo = load_photo("photos/grace_hopper.jpg");
  std::vector<std::size_t> counts(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 3; ++round) counts[i] += detector.detect(photo).size();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counts, std::vector<std::size_t>(4, 3));
}

TEST(HaarFaceDetector, FindsNothingInTinyOrExtremeFrames) {
  HaarFaceDetector detector({});
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(10000, 1), cv::Size(1, 10000)}) {
    const Image frame = image_io::image_from_mat(cv::Mat(size, CV_8UC3, cv::Scalar::all(128)));
    EXPECT_TRUE(detector.detect(frame).empty()) << size;
  }
}

TEST(HaarFaceDetector, RefusesAnEmptyImage) {
  HaarFaceDetector detector({});
  try {
    detector.detect(Image{});
    FAIL() << "an empty image was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("empty"), std::string::npos) << error.what();
  }
}

TEST(HaarFaceDetector, NamesACascadeItCannotLoad) {
  HaarSettings missing;
  missing.cascade = "/nonexistent/cascade.xml";
  EXPECT_THROW(
      {
        try {
          HaarFaceDetector detector(missing);
        } catch (const std::runtime_error& error) {
          EXPECT_NE(std::string(error.what()).find("/nonexistent/cascade.xml"), std::string::npos);
          throw;
        }
      },
      std::runtime_error);

  HaarSettings not_a_cascade;
  not_a_cascade.cascade = test::blazeface_model();  // a file, but not a cascade
  EXPECT_THROW(HaarFaceDetector detector(not_a_cascade), std::runtime_error);
}

TEST(HaarFaceDetector, RefusesSettingsOutOfRange) {
  HaarSettings settings;
  settings.scale_factor = 1.0;
  EXPECT_THROW(HaarFaceDetector detector(settings), std::invalid_argument);
  settings = {};
  settings.min_size = 0;
  EXPECT_THROW(HaarFaceDetector detector(settings), std::invalid_argument);
}

}  // namespace
}  // namespace seer::faces
