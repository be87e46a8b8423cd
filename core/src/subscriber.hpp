#pragma once
// One subscription's bounded queue and its delivery loop on the executor.

#include <seer/bus.hpp>

#include <boost/asio/io_context.hpp>

#include "event_queue.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace seer::detail {

// Publishers and delivering threads update different counters: separate cache lines keep
// them from slowing each other down.
struct TopicStats {
  alignas(64) std::atomic<std::uint64_t> published{0};
  alignas(64) std::atomic<std::uint64_t> delivered{0};
  alignas(64) std::atomic<std::uint64_t> dropped{0};
};

class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(std::string filter, EventHandler handler, SubscribeOptions options,
             boost::asio::io_context& io, std::weak_ptr<BusState> bus);

  const std::string& filter() const { return filter_; }
  const std::weak_ptr<BusState>& bus() const { return bus_; }

  // Called on the publisher's thread; may wait under OverflowPolicy::block.
  void enqueue(const EventPtr& event, TopicStats& stats);
  // Stops delivery; waits for a running handler unless called from that handler. True when
  // called from the handler (on the delivering thread).
  bool close();
  std::size_t queued() const;

 private:
  void drain();
  // Moves every pending event into `batch` from index `first`; false (and idle) when there
  // is nothing to deliver.
  bool take_batch(std::vector<QueuedEvent>& batch, std::size_t& first);
  void deliver(const QueuedEvent& item);
  // Makes room for one more event; false when the event must not be queued after all.
  bool make_room(std::unique_lock<std::mutex>& lock, const EventPtr& event, TopicStats& stats);

  const std::string filter_;
  // Declared before the handler so the keepalive (the handler's library) outlives it.
  const SubscribeOptions options_;
  const EventHandler handler_;
  boost::asio::io_context& io_;
  const std::weak_ptr<BusState> bus_;

  mutable std::mutex mutex_;
  std::condition_variable room_available_;
  std::condition_variable handler_finished_;
  EventQueue queue_;
  bool drain_scheduled_ = false;
  std::atomic<bool> closed_{false};  // read without the lock between deliveries
  std::thread::id delivering_thread_;
};

}  // namespace seer::detail
