#pragma once
// Messages waiting for the broker: a bounded FIFO that drops its oldest entry when full.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace seer::mqtt {

struct OutgoingMessage {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retain = false;
};

class OutgoingQueue {
 public:
  explicit OutgoingQueue(std::size_t capacity) : capacity_(capacity) {}

  // Appends; when full, drops the oldest first and returns it. With capacity 0 the message
  // itself is returned as dropped.
  std::optional<OutgoingMessage> push(OutgoingMessage message);
  // Puts a message that could not be sent back in front, keeping the order (never drops it).
  void push_front(OutgoingMessage message);
  std::optional<OutgoingMessage> pop();

  std::size_t size() const { return messages_.size(); }
  bool empty() const { return messages_.empty(); }
  std::size_t capacity() const { return capacity_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  std::size_t capacity_;
  std::deque<OutgoingMessage> messages_;
  std::uint64_t dropped_ = 0;
};

}  // namespace seer::mqtt
