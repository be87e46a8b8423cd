#include "camera_frames.hpp"

#include <seer/image.hpp>
#include <seer/image_io.hpp>

#include <opencv2/imgcodecs.hpp>

#include <array>

namespace seer::http {

namespace {

namespace json = boost::json;

std::optional<PixelFormat> pixel_format(std::string_view name) {
  for (const PixelFormat format : {PixelFormat::bgr8, PixelFormat::rgb8, PixelFormat::gray8}) {
    if (to_string(format) == name) return format;
  }
  return std::nullopt;
}

std::int64_t integer(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return 0;
  boost::system::error_code error;
  const auto number = value->to_number<std::int64_t>(error);
  return error ? 0 : number;
}

// The attached pixels as an Image sharing them (valid while the event is), if they are
// consistent with what the meta says.
std::optional<Image> attached_image(const Event& event) {
  for (const Attachment& attachment : event.attachments) {
    if (attachment.name != "frame" || attachment.data == nullptr) continue;
    const json::value* format_name = attachment.meta.if_contains("format");
    const auto format = format_name != nullptr && format_name->is_string()
                            ? pixel_format(format_name->get_string())
                            : std::nullopt;
    const std::int64_t width = integer(attachment.meta, "width");
    const std::int64_t height = integer(attachment.meta, "height");
    const std::int64_t stride = integer(attachment.meta, "stride");
    if (!format || width <= 0 || height <= 0 || stride < width * channels(*format) ||
        static_cast<std::size_t>(stride * height) > attachment.size) {
      return std::nullopt;
    }
    return Image{.width = static_cast<int>(width),
                 .height = static_cast<int>(height),
                 .stride = static_cast<std::size_t>(stride),
                 .format = *format,
                 .data = attachment.data,
                 .captured_at = event.timestamp};
  }
  return std::nullopt;
}

std::string camera_of(std::string_view topic) {
  // camera/<name>/frame
  const std::size_t first = topic.find('/');
  const std::size_t last = topic.rfind('/');
  if (first == std::string_view::npos || last <= first + 1) return {};
  return std::string(topic.substr(first + 1, last - first - 1));
}

}  // namespace

void CameraFrames::record(const Event& event) {
  const std::string name = camera_of(event.topic);
  if (name.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  const json::object* payload = event.payload.if_object();
  const std::uint64_t sequence =
      payload != nullptr ? static_cast<std::uint64_t>(integer(*payload, "sequence")) : 0;
  bool encode = false;
  {
    const std::lock_guard lock(mutex_);
    Camera& camera = cameras_[name];
    camera.stats.camera = name;
    ++camera.stats.frames;
    camera.stats.last_frame_at = event.timestamp;
    camera.last_seen = now;
    if (payload != nullptr) {
      camera.stats.width = static_cast<int>(integer(*payload, "width"));
      camera.stats.height = static_cast<int>(integer(*payload, "height"));
    }
    // The rate over windows of at least a second, from the camera's sequence numbers: the
    // subscription keeps only the newest frame, so frames skipped while encoding still count.
    ++camera.window_frames;
    const std::chrono::duration<double> window = now - camera.window_start;
    if (camera.window_start == std::chrono::steady_clock::time_point{}) {
      camera.window_start = now;
      camera.window_frames = 0;
      camera.window_sequence = sequence;
    } else if (window >= std::chrono::seconds(1)) {
      const std::uint64_t frames = sequence > camera.window_sequence
                                       ? sequence - camera.window_sequence
                                       : camera.window_frames;
      camera.stats.fps = static_cast<double>(frames) / window.count();
      camera.window_start = now;
      camera.window_frames = 0;
      camera.window_sequence = sequence;
    }
    encode = camera.frame.jpeg.empty() || now - camera.encoded_at >= encode_interval_;
    if (encode) camera.encoded_at = now;
  }
  if (!encode) return;
  const std::optional<Image> image = attached_image(event);
  if (!image) return;
  std::vector<unsigned char> jpeg;
  const std::array<int, 2> quality{cv::IMWRITE_JPEG_QUALITY, 80};
  if (!cv::imencode(".jpg", image_io::to_bgr_mat(*image), jpeg,
                    std::vector<int>(quality.begin(), quality.end()))) {
    return;
  }
  CameraFrame frame{.jpeg = std::string(jpeg.begin(), jpeg.end()),
                    .width = image->width,
                    .height = image->height,
                    .sequence = sequence,
                    .captured_at = event.timestamp};
  const std::lock_guard lock(mutex_);
  cameras_[name].frame = std::move(frame);
  newest_ = name;
}

std::optional<CameraFrame> CameraFrames::latest(const std::string& camera) const {
  const std::lock_guard lock(mutex_);
  const auto found = cameras_.find(camera.empty() ? newest_ : camera);
  if (found == cameras_.end() || found->second.frame.jpeg.empty()) return std::nullopt;
  return found->second.frame;
}

std::vector<CameraStats> CameraFrames::stats() const {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  std::vector<CameraStats> result;
  for (const auto& [name, camera] : cameras_) {
    CameraStats stats = camera.stats;
    if (now - camera.last_seen > std::chrono::seconds(2)) stats.fps = 0;
    result.push_back(std::move(stats));
  }
  return result;
}

}  // namespace seer::http
