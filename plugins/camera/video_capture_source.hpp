#pragma once
// Devices, video files and network streams, read through OpenCV's VideoCapture.

#include "frame_source.hpp"

#include <opencv2/videoio.hpp>

namespace seer::camera {

class VideoCaptureSource final : public FrameSource {
 public:
  explicit VideoCaptureSource(SourceSettings settings);

  void open() override;
  std::optional<Image> read() override;
  void close() override;
  std::chrono::nanoseconds frame_interval() const override;
  bool needs_pacing() const override { return settings_.kind == SourceKind::file; }
  std::string describe() const override;

 private:
  void open_device();
  void open_file();
  void open_url();
  std::optional<cv::Mat> next_file_frame();
  // What the source is called in messages: the device, the file, the URL without password.
  std::string name() const;

  SourceSettings settings_;
  cv::VideoCapture capture_;
  int width_ = 0;
  int height_ = 0;
  double fps_ = 0;
};

// `url` with any user:password@ part replaced by ***@, for logs and health reasons.
std::string redact_credentials(const std::string& url);

}  // namespace seer::camera
