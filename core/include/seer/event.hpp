#pragma once
// An event on the bus: an immutable message shared by every subscriber that receives it.

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seer {

// A binary blob travelling with an event (an image frame, an audio chunk). The bytes are
// shared between every holder, never copied; `meta` describes them (width, height, format).
struct Attachment {
  std::string name;
  std::string media_type;
  std::shared_ptr<const std::byte> data;
  std::size_t size = 0;
  boost::json::object meta;
};

// Identifies one chain of cause and effect (a trigger, the report it caused, the reply).
using TraceId = std::uint64_t;

struct Event {
  std::string topic;
  boost::json::value payload;
  std::vector<Attachment> attachments;
  std::string source;
  std::chrono::system_clock::time_point timestamp;
  TraceId trace_id = 0;
};

using EventPtr = std::shared_ptr<const Event>;

// A fresh random trace id, never 0.
TraceId new_trace_id();

}  // namespace seer
