#include "image_sequence_source.hpp"

#include <seer/image_io.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string_view>

namespace seer::camera {
namespace {

namespace fs = std::filesystem;

bool has_image_extension(const fs::path& path) {
  static constexpr std::array<std::string_view, 6> extensions = {".jpg", ".jpeg", ".png",
                                                                 ".bmp", ".webp", ".gif"};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

}  // namespace

ImageSequenceSource::ImageSequenceSource(SourceSettings settings)
    : settings_(std::move(settings)) {}

std::vector<fs::path> ImageSequenceSource::list_images() const {
  const fs::path& root = settings_.path;
  std::error_code error;
  if (fs::is_regular_file(root, error)) return {root};
  if (!fs::is_directory(root, error)) {
    throw SourceLost("image source " + root.string() + " does not exist");
  }
  std::vector<fs::path> images;
  for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error) && has_image_extension(it->path())) images.push_back(it->path());
  }
  if (error) throw SourceLost("cannot list " + root.string() + ": " + error.message());
  if (images.empty()) {
    throw SourceLost("no images (jpg, png, bmp, webp, gif) in " + root.string());
  }
  std::sort(images.begin(), images.end());
  return images;
}

void ImageSequenceSource::open() {
  images_ = list_images();
  next_ = 0;
}

std::optional<Image> ImageSequenceSource::read() {
  if (next_ >= images_.size()) open();
  const fs::path path = images_[next_++];
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    throw SourceLost("image " + path.string() + " is gone");
  }
  try {
    Image image = image_io::load_image_file(path);
    width_ = image.width;
    height_ = image.height;
    return image;
  } catch (const std::exception& failure) {
    throw SourceLost(failure.what());
  }
}

void ImageSequenceSource::close() {
  images_.clear();
  next_ = 0;
}

std::chrono::nanoseconds ImageSequenceSource::frame_interval() const {
  return interval_of(settings_.rate);
}

std::string ImageSequenceSource::describe() const {
  std::string rate = std::to_string(settings_.rate);
  rate.erase(rate.find_last_not_of('0') + 1);
  if (rate.ends_with('.')) rate.pop_back();
  const std::string size =
      width_ > 0 ? std::to_string(width_) + "x" + std::to_string(height_) : "slideshow";
  return size + "@" + rate + " " + settings_.path.string();
}

}  // namespace seer::camera
