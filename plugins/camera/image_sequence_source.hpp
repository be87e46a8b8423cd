#pragma once
// One image, or a directory of images shown in name order as a slideshow at `rate` slides per
// second. The directory is listed again at every pass, so images added or removed are seen.

#include "frame_source.hpp"

#include <filesystem>
#include <vector>

namespace seer::camera {

class ImageSequenceSource final : public FrameSource {
 public:
  explicit ImageSequenceSource(SourceSettings settings);

  void open() override;
  std::optional<Image> read() override;
  void close() override;
  std::chrono::nanoseconds frame_interval() const override;
  bool needs_pacing() const override { return true; }
  std::string describe() const override;

 private:
  // The images to show, sorted by name. Throws SourceLost when there are none.
  std::vector<std::filesystem::path> list_images() const;

  SourceSettings settings_;
  std::vector<std::filesystem::path> images_;
  std::size_t next_ = 0;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace seer::camera
