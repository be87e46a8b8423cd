#include "synthetic_video.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <stdexcept>

namespace seer::camera::test {
namespace {

constexpr int kBlockSide = 40;
constexpr int kBlockStep = 6;  // pixels per frame

cv::Mat background(cv::Size size) {
  cv::Mat frame(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      // Smooth gradients with a mild checker texture: survives JPEG without flicker.
      const auto checker = static_cast<unsigned char>(((x / 16 + y / 16) % 2) * 20);
      frame.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<unsigned char>(40 + x * 60 / size.width),
                                            static_cast<unsigned char>(50 + checker),
                                            static_cast<unsigned char>(60 + y * 60 / size.height));
    }
  }
  return frame;
}

}  // namespace

cv::Rect block_at(const ClipSpec& spec, int index) {
  if (!spec.moving_block) return {};
  const int travel = spec.size.width - kBlockSide;
  const int x = (index * kBlockStep) % travel;
  return {x, spec.size.height / 2 - kBlockSide / 2, kBlockSide, kBlockSide};
}

cv::Mat clip_frame(const ClipSpec& spec, int index) {
  cv::Mat frame = background(spec.size);
  if (spec.moving_block) {
    cv::rectangle(frame, block_at(spec, index), cv::Scalar(230, 240, 250), cv::FILLED);
  }
  return frame;
}

void write_clip(const std::filesystem::path& path, const ClipSpec& spec) {
  cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), spec.fps,
                         spec.size);
  if (!writer.isOpened()) {
    throw std::runtime_error("OpenCV cannot write an MJPG .avi to " + path.string());
  }
  for (int i = 0; i < spec.frames; ++i) writer.write(clip_frame(spec, i));
}

std::vector<std::vector<unsigned char>> clip_jpegs(const ClipSpec& spec) {
  std::vector<std::vector<unsigned char>> jpegs;
  for (int i = 0; i < spec.frames; ++i) {
    std::vector<unsigned char> bytes;
    cv::imencode(".jpg", clip_frame(spec, i), bytes);
    jpegs.push_back(std::move(bytes));
  }
  return jpegs;
}

}  // namespace seer::camera::test
