#include "outgoing_queue.hpp"

namespace seer::mqtt {

std::optional<OutgoingMessage> OutgoingQueue::push(OutgoingMessage message) {
  if (capacity_ == 0) {
    ++dropped_;
    return message;
  }
  std::optional<OutgoingMessage> dropped;
  if (messages_.size() >= capacity_) {
    dropped = std::move(messages_.front());
    messages_.pop_front();
    ++dropped_;
  }
  messages_.push_back(std::move(message));
  return dropped;
}

void OutgoingQueue::push_front(OutgoingMessage message) {
  messages_.push_front(std::move(message));
}

std::optional<OutgoingMessage> OutgoingQueue::pop() {
  if (messages_.empty()) return std::nullopt;
  OutgoingMessage message = std::move(messages_.front());
  messages_.pop_front();
  return message;
}

}  // namespace seer::mqtt
