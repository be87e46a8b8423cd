#pragma once
// A subscriber's pending events: a vector with a moving head, handed to the delivering
// thread whole by swapping, so the lock is held for O(1) and no memory changes hands.

#include <seer/event.hpp>

#include <cstddef>
#include <vector>

namespace seer::detail {

struct TopicStats;

struct QueuedEvent {
  EventPtr event;
  TopicStats* stats;
};

class EventQueue {
 public:
  std::size_t size() const { return items_.size() - head_; }
  bool empty() const { return size() == 0; }
  void push_back(QueuedEvent item) { items_.push_back(std::move(item)); }

  QueuedEvent& front() { return items_[head_]; }
  void pop_front() {
    items_[head_].event.reset();
    ++head_;
  }

  // The pending event on `topic`, or nullptr.
  QueuedEvent* find_topic(const std::string& topic) {
    for (std::size_t i = items_.size(); i > head_; --i) {
      if (items_[i - 1].event->topic == topic) return &items_[i - 1];
    }
    return nullptr;
  }

  // Moves every pending event into `out` (which must be empty, and lends its capacity back to
  // this queue); returns the index of the first one there.
  std::size_t take_all(std::vector<QueuedEvent>& out) {
    out.swap(items_);
    const std::size_t first = head_;
    head_ = 0;
    return first;
  }

  void clear() {
    items_.clear();
    head_ = 0;
  }

 private:
  std::vector<QueuedEvent> items_;
  std::size_t head_ = 0;  // items_[head_..] are pending; earlier ones were dropped
};

}  // namespace seer::detail
