#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "seer/image_io.hpp"
#include "test_assets.hpp"

namespace {

using seer::Image;
using seer::PixelFormat;
using seer::image_io::decode_image;
using seer::image_io::DecodeLimits;
using seer::image_io::ImageDecodeError;
using seer::image_io::read_image_header;

std::vector<std::byte> encode(const cv::Mat& mat, const std::string& extension,
                              const std::vector<int>& params = {}) {
  std::vector<uchar> buffer;
  EXPECT_TRUE(cv::imencode(extension, mat, buffer, params));
  std::vector<std::byte> bytes(buffer.size());
  std::memcpy(bytes.data(), buffer.data(), buffer.size());
  return bytes;
}

cv::Mat gradient(int width, int height) {
  cv::Mat mat(height, width, CV_8UC3);
  mat.forEach<cv::Vec3b>([](cv::Vec3b& pixel, const int* position) {
    pixel = {static_cast<uchar>(position[1]), static_cast<uchar>(position[0]), 77};
  });
  return mat;
}

// A PNG signature and IHDR chunk claiming `width`×`height` RGB, followed by no pixel data.
std::vector<std::byte> png_header_only(std::uint32_t width, std::uint32_t height) {
  std::vector<std::uint8_t> bytes{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                  0,    0,   0,   13,  'I',  'H',  'D',  'R'};
  for (std::uint32_t value : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((value >> shift) & 0xFF);
  }
  bytes.insert(bytes.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});  // depth, colour type, ..., CRC
  std::vector<std::byte> out(bytes.size());
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

TEST(ImageHeader, ReadsTheSizeOfEveryAcceptedFormat) {
  const cv::Mat mat = gradient(123, 45);
  for (const std::string extension : {".png", ".jpg", ".bmp", ".webp"}) {
    const auto header = read_image_header(encode(mat, extension));
    EXPECT_EQ(header.width, 123) << extension;
    EXPECT_EQ(header.height, 45) << extension;
    EXPECT_FALSE(header.has_alpha) << extension;
  }
  const auto lossless = read_image_header(encode(mat, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101}));
  EXPECT_EQ(lossless.width, 123);
  EXPECT_EQ(lossless.height, 45);
}

TEST(ImageHeader, SeesAlphaInPng) {
  const cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(0, 0, 255, 128));
  EXPECT_TRUE(read_image_header(encode(bgra, ".png")).has_alpha);
}

TEST(ImageHeader, RefusesWhatIsNotAnImage) {
  const std::string text = "GET / HTTP/1.1\r\n";
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  EXPECT_THROW(read_image_header(bytes), ImageDecodeError);
  EXPECT_THROW(read_image_header({}), ImageDecodeError);
}

// Found by fuzz/image_fuzzer: a BMP whose height is the lowest int32 was negated (overflow).
TEST(ImageHeader, RefusesABmpHeightThatHasNoPositiveValue) {
  std::vector<std::byte> bmp = encode(gradient(9, 7), ".bmp");
  const std::uint32_t lowest = 0x80000000u;  // height -2147483648, little-endian at byte 22
  for (int i = 0; i < 4; ++i) bmp[22 + i] = static_cast<std::byte>((lowest >> (8 * i)) & 0xFF);
  try {
    decode_image(bmp);
    FAIL() << "a BMP of height -2147483648 was accepted";
  } catch (const ImageDecodeError& error) {
    EXPECT_NE(std::string(error.what()).find("-2147483648"), std::string::npos) << error.what();
  }
  // Any other negative height is a top-down image of that height.
  for (int i = 0; i < 4; ++i) bmp[22 + i] = static_cast<std::byte>(((-7) >> (8 * i)) & 0xFF);
  EXPECT_EQ(read_image_header(bmp).height, 7);
}

TEST(DecodeImage, DecodesToSharedBgrPixels) {
  const cv::Mat mat = gradient(64, 32);
  const Image image = decode_image(encode(mat, ".png"));
  EXPECT_EQ(image.width, 64);
  EXPECT_EQ(image.height, 32);
  EXPECT_EQ(image.format, PixelFormat::bgr8);
  EXPECT_EQ(cv::norm(seer::image_io::mat_view(image), mat, cv::NORM_INF), 0.0);
}

TEST(DecodeImage, CompositesTransparencyOntoWhite) {
  cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(0, 0, 0, 0));  // fully transparent black
  bgra.at<cv::Vec4b>(0, 0) = {255, 0, 0, 255};          // one opaque blue pixel
  const Image decoded = decode_image(encode(bgra, ".png"));
  const cv::Mat bgr = seer::image_io::mat_view(decoded);
  EXPECT_EQ(bgr.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 0));
  EXPECT_EQ(bgr.at<cv::Vec3b>(1, 1), cv::Vec3b(255, 255, 255));
}

TEST(DecodeImage, ExpandsGreyAndSixteenBitImages) {
  const cv::Mat grey(3, 5, CV_8UC1, cv::Scalar(200));
  const Image from_grey = decode_image(encode(grey, ".png"));
  EXPECT_EQ(from_grey.format, PixelFormat::bgr8);
  EXPECT_EQ(seer::image_io::mat_view(from_grey).at<cv::Vec3b>(2, 4), cv::Vec3b(200, 200, 200));

  const cv::Mat deep(3, 5, CV_16UC3, cv::Scalar(65535, 0, 257 * 10));
  const Image from_deep = decode_image(encode(deep, ".png"));
  EXPECT_EQ(seer::image_io::mat_view(from_deep).at<cv::Vec3b>(0, 0), cv::Vec3b(255, 0, 10));
}

TEST(DecodeImage, AcceptsAOnePixelImage) {
  const Image image = decode_image(encode(gradient(1, 1), ".png"));
  EXPECT_EQ(image.width, 1);
  EXPECT_EQ(image.height, 1);
}

TEST(DecodeImage, RefusesADecompressionBombFromItsHeader) {
  try {
    decode_image(png_header_only(20000, 20000));
    FAIL() << "a 20000x20000 PNG was accepted";
  } catch (const ImageDecodeError& error) {
    EXPECT_NE(std::string(error.what()).find("20000x20000"), std::string::npos) << error.what();
  }
}

TEST(DecodeImage, RefusesCorruptTruncatedAndOversizedInput) {
  std::vector<std::byte> jpeg = encode(gradient(200, 100), ".jpg");
  const std::vector<std::byte> header_only(jpeg.begin(), jpeg.begin() + 200);
  EXPECT_THROW(decode_image(header_only), ImageDecodeError);

  std::vector<std::byte> corrupt = png_header_only(16, 16);  // valid header, no pixel data
  EXPECT_THROW(decode_image(corrupt), ImageDecodeError);

  EXPECT_THROW(decode_image(jpeg, DecodeLimits{.max_bytes = 100}), ImageDecodeError);
  EXPECT_THROW(decode_image(png_header_only(0, 10)), ImageDecodeError);
}

TEST(LoadImageFile, NamesTheFileInItsErrors) {
  const auto missing = std::filesystem::temp_directory_path() / "seer-no-such-image.png";
  try {
    seer::image_io::load_image_file(missing);
    FAIL() << "a missing file was loaded";
  } catch (const ImageDecodeError& error) {
    EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos);
  }
  const auto empty = std::filesystem::temp_directory_path() / "seer-empty-image.jpg";
  std::ofstream(empty).close();
  EXPECT_THROW(seer::image_io::load_image_file(empty), ImageDecodeError);
  std::filesystem::remove(empty);
}

TEST(LoadImageFile, ReadsTheRealPhotos) {
  const Image hopper =
      seer::image_io::load_image_file(seer::test::asset("photos/grace_hopper.jpg"));
  EXPECT_EQ(hopper.width, 512);
  EXPECT_EQ(hopper.height, 600);
  const Image astronaut =
      seer::image_io::load_image_file(seer::test::asset("photos/astronaut.png"));
  EXPECT_EQ(astronaut.width, 512);
  EXPECT_EQ(astronaut.height, 512);
}

TEST(ImageFromMat, SharesThePixelsWithoutCopying) {
  cv::Mat mat = gradient(8, 8);
  const uchar* pixels = mat.data;
  const Image image = seer::image_io::image_from_mat(mat);
  EXPECT_EQ(reinterpret_cast<const uchar*>(image.data.get()), pixels);
  EXPECT_EQ(seer::image_io::mat_view(image).data, pixels);
  EXPECT_THROW(seer::image_io::image_from_mat(cv::Mat()), std::invalid_argument);
}

TEST(ToBgrMat, ConvertsRgbImages) {
  cv::Mat rgb(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
  Image image = seer::image_io::image_from_mat(rgb);
  image.format = PixelFormat::rgb8;
  EXPECT_EQ(seer::image_io::to_bgr_mat(image).at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10));
}

TEST(ToRgbMat, ConvertsBgrAndGreyImages) {
  const cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
  EXPECT_EQ(seer::image_io::to_rgb_mat(seer::image_io::image_from_mat(bgr)).at<cv::Vec3b>(0, 0),
            cv::Vec3b(30, 20, 10));
  const cv::Mat grey(1, 1, CV_8UC1, cv::Scalar(99));
  EXPECT_EQ(seer::image_io::to_rgb_mat(seer::image_io::image_from_mat(grey)).at<cv::Vec3b>(0, 0),
            cv::Vec3b(99, 99, 99));
}

}  // namespace
