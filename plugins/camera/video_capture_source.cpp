#include "video_capture_source.hpp"

#include <seer/image_io.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <vector>

namespace seer::camera {
namespace {

bool is_index(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

std::string format_fps(double fps) {
  if (std::abs(fps - std::round(fps)) < 0.01) return std::to_string(std::lround(fps));
  std::string text = std::to_string(std::round(fps * 100) / 100);
  text.erase(text.find_last_not_of('0') + 1);
  return text;
}

int milliseconds(Duration duration) { return static_cast<int>(duration.count()); }

}  // namespace

std::string redact_credentials(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t host = scheme + 3;
  const std::size_t at = url.find('@', host);
  const std::size_t path = url.find('/', host);
  if (at == std::string::npos || (path != std::string::npos && at > path)) return url;
  return url.substr(0, host) + "***" + url.substr(at);
}

VideoCaptureSource::VideoCaptureSource(SourceSettings settings) : settings_(std::move(settings)) {}

void VideoCaptureSource::open() {
  close();
  switch (settings_.kind) {
    case SourceKind::device:
      open_device();
      break;
    case SourceKind::file:
      open_file();
      break;
    case SourceKind::url:
      open_url();
      break;
    case SourceKind::images:
      throw SourceLost("an images source is not read through VideoCapture");
  }
  width_ = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_WIDTH));
  height_ = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_HEIGHT));
  fps_ = capture_.get(cv::CAP_PROP_FPS);
}

void VideoCaptureSource::open_device() {
  const std::string& device = settings_.device;
  const bool opened = is_index(device) ? capture_.open(std::stoi(device), cv::CAP_V4L2)
                                       : capture_.open(device, cv::CAP_V4L2);
  if (!opened) throw SourceLost("cannot open video device " + device);
  // The driver picks the nearest mode it supports; describe() reports what it chose.
  if (!settings_.fourcc.empty()) {
    const std::string& code = settings_.fourcc;
    capture_.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc(code[0], code[1], code[2], code[3]));
  }
  capture_.set(cv::CAP_PROP_FRAME_WIDTH, settings_.width);
  capture_.set(cv::CAP_PROP_FRAME_HEIGHT, settings_.height);
  capture_.set(cv::CAP_PROP_FPS, settings_.fps);
  // A short driver queue: the grabber wants the newest frame, not a backlog.
  capture_.set(cv::CAP_PROP_BUFFERSIZE, 1);
}

void VideoCaptureSource::open_file() {
  const std::filesystem::path& path = settings_.path;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw SourceLost("video file " + path.string() + " does not exist");
  }
  const std::vector<int> parameters = {cv::CAP_PROP_OPEN_TIMEOUT_MSEC,
                                       milliseconds(settings_.open_timeout)};
  if (!capture_.open(path.string(), cv::CAP_FFMPEG, parameters)) {
    throw SourceLost("cannot read video file " + path.string() +
                     " (not a format OpenCV's FFmpeg backend decodes?)");
  }
}

void VideoCaptureSource::open_url() {
  // FFmpeg gives up on opens and reads after these, so stop() never waits on a dead host.
  const std::vector<int> parameters = {
      cv::CAP_PROP_OPEN_TIMEOUT_MSEC, milliseconds(settings_.open_timeout),
      cv::CAP_PROP_READ_TIMEOUT_MSEC, milliseconds(settings_.read_timeout)};
  if (!capture_.open(settings_.url, cv::CAP_FFMPEG, parameters)) {
    throw SourceLost("cannot open stream " + name());
  }
}

std::optional<Image> VideoCaptureSource::read() {
  if (!capture_.isOpened()) throw SourceLost(name() + " is not open");
  std::optional<cv::Mat> frame;
  if (settings_.kind == SourceKind::file) {
    frame = next_file_frame();
    if (!frame) return std::nullopt;
  } else {
    // A fresh Mat per frame: the previous one may still be shared with snapshot callers.
    cv::Mat pixels;
    if (!capture_.read(pixels) || pixels.empty()) {
      throw SourceLost(settings_.kind == SourceKind::url
                           ? "stream " + name() + " ended or stalled"
                           : "video device " + name() + " stopped delivering frames");
    }
    frame = std::move(pixels);
  }
  return image_io::image_from_mat(std::move(*frame));
}

std::optional<cv::Mat> VideoCaptureSource::next_file_frame() {
  cv::Mat pixels;
  if (capture_.read(pixels) && !pixels.empty()) return pixels;
  if (!settings_.loop) return std::nullopt;
  // Reopened rather than rewound, so a file that was replaced or removed is noticed.
  open();
  if (!capture_.read(pixels) || pixels.empty()) {
    throw SourceLost("video file " + name() + " holds no frames");
  }
  return pixels;
}

void VideoCaptureSource::close() { capture_.release(); }

std::chrono::nanoseconds VideoCaptureSource::frame_interval() const {
  if (fps_ > 0 && std::isfinite(fps_)) return interval_of(fps_);
  return interval_of(settings_.kind == SourceKind::device ? settings_.fps : 0);
}

std::string VideoCaptureSource::describe() const {
  if (width_ > 0 && height_ > 0) {
    const double fps = fps_ > 0 && std::isfinite(fps_) ? fps_ : settings_.fps;
    return std::to_string(width_) + "x" + std::to_string(height_) + "@" + format_fps(fps) + " " +
           name();
  }
  if (settings_.kind == SourceKind::device) {
    return std::to_string(settings_.width) + "x" + std::to_string(settings_.height) + "@" +
           format_fps(settings_.fps) + " " + name();
  }
  return name();
}

std::string VideoCaptureSource::name() const {
  switch (settings_.kind) {
    case SourceKind::device:
      return is_index(settings_.device) ? "/dev/video" + settings_.device : settings_.device;
    case SourceKind::url:
      return redact_credentials(settings_.url);
    case SourceKind::file:
    case SourceKind::images:
      break;
  }
  return settings_.path.string();
}

}  // namespace seer::camera
