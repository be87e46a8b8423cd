#include "camera_events.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace seer::camera {

std::string frame_topic(const std::string& instance) { return "camera/" + instance + "/frame"; }

std::string motion_topic(const std::string& instance) { return "camera/" + instance + "/motion"; }

std::int64_t unix_ms(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

Event frame_event(const std::string& instance, const Image& frame, std::uint64_t sequence) {
  const std::string format(to_string(frame.format));
  Event event;
  event.topic = frame_topic(instance);
  event.source = instance;
  event.timestamp = frame.captured_at;
  event.payload = boost::json::object{{"width", frame.width},
                                      {"height", frame.height},
                                      {"format", format},
                                      {"timestamp", unix_ms(frame.captured_at)},
                                      {"sequence", sequence}};
  Attachment pixels;
  pixels.name = "frame";
  pixels.media_type = "image/x-raw";
  pixels.data = frame.data;
  pixels.size = frame.stride * static_cast<std::size_t>(frame.height);
  pixels.meta = {{"width", frame.width},
                 {"height", frame.height},
                 {"stride", frame.stride},
                 {"format", format}};
  event.attachments.push_back(std::move(pixels));
  return event;
}

boost::json::object motion_payload(const MotionEvent& motion) {
  boost::json::array boxes;
  for (const cv::Rect& box : motion.boxes) {
    boxes.push_back(boost::json::array{box.x, box.y, box.width, box.height});
  }
  return {{"state", to_string(motion.kind)},
          {"area", motion.area},
          {"boxes", std::move(boxes)},
          {"timestamp", unix_ms(motion.timestamp)}};
}

}  // namespace seer::camera
