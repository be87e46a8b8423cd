#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "seer/image_io.hpp"

namespace seer::image_io {
namespace {

void check_limits(const ImageHeader& header, const DecodeLimits& limits) {
  const std::string size = std::to_string(header.width) + "x" + std::to_string(header.height);
  if (header.width <= 0 || header.height <= 0) {
    throw ImageDecodeError("the " + header.format + " header claims an empty image (" + size + ")");
  }
  if (header.width > limits.max_side || header.height > limits.max_side ||
      std::int64_t{header.width} * header.height > limits.max_pixels) {
    throw ImageDecodeError("the " + header.format + " image is " + size + ", over the limit of " +
                           std::to_string(limits.max_pixels) + " pixels and " +
                           std::to_string(limits.max_side) + " per side");
  }
}

// 16-bit PNGs and the like become 8-bit.
cv::Mat to_8bit(const cv::Mat& decoded) {
  if (decoded.depth() == CV_8U) return decoded;
  cv::Mat converted;
  const double scale = decoded.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
  decoded.convertTo(converted, CV_8U, scale);
  return converted;
}

// Transparent pixels show the white background, as the official BAGEL code composites them.
cv::Mat composite_on_white(const cv::Mat& bgra) {
  cv::Mat bgr(bgra.size(), CV_8UC3);
  bgra.forEach<cv::Vec4b>([&bgr](const cv::Vec4b& pixel, const int* position) {
    const int alpha = pixel[3];
    cv::Vec3b& out = bgr.at<cv::Vec3b>(position[0], position[1]);
    for (int c = 0; c < 3; ++c)
      out[c] = cv::saturate_cast<uchar>((pixel[c] * alpha + 255 * (255 - alpha) + 127) / 255);
  });
  return bgr;
}

cv::Mat to_bgr(cv::Mat decoded) {
  decoded = to_8bit(decoded);
  switch (decoded.channels()) {
    case 3:
      return decoded;
    case 4:
      return composite_on_white(decoded);
    case 1: {
      cv::Mat bgr;
      cv::cvtColor(decoded, bgr, cv::COLOR_GRAY2BGR);
      return bgr;
    }
    case 2: {  // grey + alpha
      cv::Mat bgra;
      cv::cvtColor(decoded, bgra, cv::COLOR_GRAY2BGRA);
      std::vector<cv::Mat> planes;
      cv::split(decoded, planes);
      cv::insertChannel(planes[1], bgra, 3);
      return composite_on_white(bgra);
    }
    default:
      throw ImageDecodeError("the image has " + std::to_string(decoded.channels()) + " channels");
  }
}

}  // namespace

Image decode_image(std::span<const std::byte> bytes, const DecodeLimits& limits,
                   std::chrono::system_clock::time_point captured_at) {
  if (bytes.size() > limits.max_bytes) {
    throw ImageDecodeError("the encoded image is " + std::to_string(bytes.size()) +
                           " bytes, over the limit of " + std::to_string(limits.max_bytes));
  }
  const ImageHeader header = read_image_header(bytes);
  check_limits(header, limits);
  // imdecode only reads the buffer; the const_cast is for its Mat wrapper.
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1,
                        const_cast<std::byte*>(bytes.data()));
  // IMREAD_COLOR applies the EXIF orientation; alpha needs IMREAD_UNCHANGED to survive.
  const int flags = header.has_alpha ? cv::IMREAD_UNCHANGED : cv::IMREAD_COLOR;
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(encoded, flags);
  } catch (const cv::Exception& error) {
    throw ImageDecodeError("the " + header.format + " image could not be decoded: " + error.what());
  }
  if (decoded.empty()) {
    throw ImageDecodeError("the " + header.format + " image is corrupt or truncated");
  }
  return image_from_mat(to_bgr(decoded), captured_at);
}

Image load_image_file(const std::filesystem::path& path, const DecodeLimits& limits) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw ImageDecodeError(path.string() + ": " + error.message());
  if (size > limits.max_bytes) {
    throw ImageDecodeError(path.string() + ": " + std::to_string(size) +
                           " bytes, over the limit of " + std::to_string(limits.max_bytes));
  }
  std::vector<std::byte> bytes(size);
  std::ifstream file(path, std::ios::binary);
  if (!file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw ImageDecodeError(path.string() + ": could not be read");
  }
  try {
    return decode_image(bytes, limits, std::chrono::system_clock::now());
  } catch (const ImageDecodeError& decode_error) {
    throw ImageDecodeError(path.string() + ": " + decode_error.what());
  }
}

cv::Mat mat_view(const Image& image) {
  if (image.empty()) throw std::invalid_argument("mat_view: the image is empty");
  const int type = channels(image.format) == 1 ? CV_8UC1 : CV_8UC3;
  return {image.height, image.width, type, const_cast<std::byte*>(image.data.get()), image.stride};
}

cv::Mat to_bgr_mat(const Image& image) {
  const cv::Mat view = mat_view(image);
  if (image.format == PixelFormat::bgr8) return view;
  cv::Mat bgr;
  cv::cvtColor(view, bgr,
               image.format == PixelFormat::rgb8 ? cv::COLOR_RGB2BGR : cv::COLOR_GRAY2BGR);
  return bgr;
}

cv::Mat to_rgb_mat(const Image& image) {
  const cv::Mat view = mat_view(image);
  if (image.format == PixelFormat::rgb8) return view.clone();
  cv::Mat rgb;
  cv::cvtColor(view, rgb,
               image.format == PixelFormat::bgr8 ? cv::COLOR_BGR2RGB : cv::COLOR_GRAY2RGB);
  return rgb;
}

Image image_from_mat(cv::Mat mat, std::chrono::system_clock::time_point captured_at) {
  if (mat.empty() || mat.depth() != CV_8U || (mat.channels() != 1 && mat.channels() != 3)) {
    throw std::invalid_argument("image_from_mat: needs a non-empty 8-bit mat of 1 or 3 channels");
  }
  auto owner = std::make_shared<cv::Mat>(std::move(mat));
  const auto* pixels = reinterpret_cast<const std::byte*>(owner->data);
  return Image{
      .width = owner->cols,
      .height = owner->rows,
      .stride = owner->step[0],
      .format = owner->channels() == 1 ? PixelFormat::gray8 : PixelFormat::bgr8,
      .data = std::shared_ptr<const std::byte>(owner, pixels),  // aliasing: owns the Mat
      .captured_at = captured_at,
  };
}

}  // namespace seer::image_io
