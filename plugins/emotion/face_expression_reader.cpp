#include "face_expression_reader.hpp"

#include <ATen/Parallel.h>
#include <opencv2/imgproc.hpp>
#include <seer/image_io.hpp>

#include <stdexcept>
#include <string>

namespace seer::emotion {

namespace {

void check_image(const Image& face) {
  if (face.empty()) throw std::invalid_argument("emotion: the face image is empty");
  const std::size_t row = static_cast<std::size_t>(face.width) * channels(face.format);
  if (face.stride < row) {
    throw std::invalid_argument("emotion: the face image's stride " + std::to_string(face.stride) +
                                " is shorter than a row of " + std::to_string(face.width) + " " +
                                std::string(to_string(face.format)) + " pixels");
  }
}

// RGB pixels the model can read: the image itself when it is RGB already, else a copy.
cv::Mat rgb_pixels(const Image& face) {
  const cv::Mat view = image_io::mat_view(face);
  if (face.format == PixelFormat::rgb8) return view;
  cv::Mat rgb;
  cv::cvtColor(view, rgb,
               face.format == PixelFormat::bgr8 ? cv::COLOR_BGR2RGB : cv::COLOR_GRAY2RGB);
  return rgb;
}

}  // namespace

FaceExpressionReader::FaceExpressionReader(const EmotionSettings& settings)
    : net_(models::FaceExpressionNet::load(settings.model)),
      threads_(settings.threads),
      resize_(settings.resize) {}

EmotionReading FaceExpressionReader::read(const Image& face) {
  check_image(face);
  const cv::Mat rgb = rgb_pixels(face);
  // OpenMP's thread count belongs to the calling thread, so it is set where the work runs.
  if (at::get_num_threads() != threads_) at::set_num_threads(threads_);
  const models::FaceExpressions result =
      net_.read({rgb.ptr<std::uint8_t>(), rgb.cols, rgb.rows, rgb.step[0]}, resize_);

  EmotionReading reading;
  const at::Tensor probabilities = result.probabilities[0].contiguous();
  const float* values = probabilities.data_ptr<float>();
  for (std::size_t i = 0; i < models::kFaceExpressionLabels.size(); ++i) {
    reading.probabilities.emplace_back(std::string(models::kFaceExpressionLabels[i]), values[i]);
  }
  reading.top_label = std::string(result.top_label());
  return reading;
}

}  // namespace seer::emotion
