#pragma once
// The events the camera publishes: frames (pixels as a shared attachment) and motion.

#include "motion_detector.hpp"

#include <seer/event.hpp>
#include <seer/image.hpp>

#include <cstdint>
#include <string>

namespace seer::camera {

std::string frame_topic(const std::string& instance);
std::string motion_topic(const std::string& instance);

// Milliseconds since the Unix epoch, as every camera event's "timestamp".
std::int64_t unix_ms(std::chrono::system_clock::time_point time);

// `camera/<instance>/frame`: {width, height, format, timestamp, sequence}, with the pixels
// attached as "frame" (shared with the grabber, never copied).
Event frame_event(const std::string& instance, const Image& frame, std::uint64_t sequence);
// {state: "start"|"stop", area, boxes: [[x, y, w, h], ...], timestamp}
boost::json::object motion_payload(const MotionEvent& motion);

}  // namespace seer::camera
