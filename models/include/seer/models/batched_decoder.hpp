#pragma once

// Concurrent requests decoding together on one StaticDecoder (continuous batching). Each
// request holds a slot for its sequence's life: it prefills into the slot between steps, then
// joins the decoding loop, which steps every decoding slot at once (slots 0..the highest one
// busy; idle ones ride along, which costs nearly nothing in a weight-bound step). Each request
// keeps its own sampler, stream, stop strings, cancel and num_predict; one that ends leaves the
// loop at once and frees its slot when its sequence is destroyed. Requests beyond the slots
// wait for one. All device work (vision, prefill, steps) is serialised by one mutex; the
// loop's thread runs each request's choose and on_token between steps.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "seer/models/decoding_sequence.hpp"
#include "seer/models/static_decoder.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

class BatchedDecoder {
 public:
  // Starts the decoding loop's thread.
  explicit BatchedDecoder(StaticDecoder decoder);
  ~BatchedDecoder();
  BatchedDecoder(const BatchedDecoder&) = delete;
  BatchedDecoder& operator=(const BatchedDecoder&) = delete;

  const StaticDecoder& decoder() const { return decoder_; }
  // A sequence in a free slot, waiting for one while all are taken; throws
  // std::runtime_error when `cancel` is requested meanwhile. `vision` must outlive it; the
  // decoder must outlive the sequence.
  std::unique_ptr<DecodingSequence> open(const VisionTower& vision, std::stop_token cancel = {});
  // Slots held by open sequences.
  std::int64_t busy_slots() const;

 private:
  struct Job;
  friend class StaticSequence;
  void release(std::int64_t slot);
  // Runs `work` on the decoder between two steps.
  void between_steps(const std::function<void(StaticDecoder&)>& work);
  DecodeOutcome run(Job& job);
  void loop(const std::stop_token& stop);
  // One step of every decoding job; called with the mutex held.
  void step_jobs();

  StaticDecoder decoder_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<bool> taken_;
  std::vector<Job*> jobs_;       // decoding now, by slot (null: none)
  std::atomic<int> waiting_{0};  // threads waiting to work between steps: the loop lets them
  std::jthread loop_;            // last: stopped and joined first
};

}  // namespace seer::models
