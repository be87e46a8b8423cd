// Per-frame cost of each face detector on grace_hopper.jpg letterboxed into a 1280×720 frame
// (a camera-sized input). Run: build/tests/seer-faces-bench (SEER_ASSETS_DIR as in the tests).

#include "blazeface_detector.hpp"
#include "haar_face_detector.hpp"

#include "face_test_assets.hpp"

#include <seer/image_io.hpp>

#include <benchmark/benchmark.h>
#include <opencv2/imgproc.hpp>

namespace seer::faces {
namespace {

Image camera_frame() {
  const Image image = test::load_photo("photos/grace_hopper.jpg");
  const cv::Mat photo = image_io::mat_view(image);
  const double scale = std::min(1280.0 / photo.cols, 720.0 / photo.rows);
  cv::Mat resized;
  cv::resize(photo, resized, cv::Size(), scale, scale, cv::INTER_LINEAR);
  cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar::all(0));
  resized.copyTo(frame(
      cv::Rect((1280 - resized.cols) / 2, (720 - resized.rows) / 2, resized.cols, resized.rows)));
  return image_io::image_from_mat(frame);
}

void run(benchmark::State& state, FaceDetector& detector) {
  const Image frame = camera_frame();
  std::size_t faces = 0;
  for (auto _ : state) {
    faces = detector.detect(frame).size();
    benchmark::DoNotOptimize(faces);
  }
  state.counters["faces"] = static_cast<double>(faces);
}

void haar(benchmark::State& state) {
  HaarSettings settings;
  settings.max_width = static_cast<int>(state.range(0));
  HaarFaceDetector detector(settings);
  run(state, detector);
}
BENCHMARK(haar)
    ->ArgName("max_width")
    ->Arg(0)
    ->Arg(960)
    ->Arg(640)
    ->Arg(480)
    ->Unit(benchmark::kMillisecond);

void blazeface(benchmark::State& state) {
  BlazeFaceSettings settings;
  settings.model = test::blazeface_model();
  BlazeFaceDetector detector(settings);
  run(state, detector);
}
BENCHMARK(blazeface)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace seer::faces

BENCHMARK_MAIN();
