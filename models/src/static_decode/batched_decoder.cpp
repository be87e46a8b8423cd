#include "seer/models/batched_decoder.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "seer/models/cuda_runtime.hpp"

namespace seer::models {

// One sequence's decoding: DecodeOptions' loop (models::decode), stepped by the loop's thread.
struct BatchedDecoder::Job {
  std::int64_t slot = 0;
  const DecodeOptions* options = nullptr;
  std::int64_t limit = 0;  // rows the sequence may fill
  std::int64_t rope_position = 0;
  std::int64_t current = 0;  // the token the next step feeds
  bool started = false;
  bool done = false;
  DecodeOutcome outcome;
  std::exception_ptr error;
};

// A conversation's sequence in one slot of a BatchedDecoder.
class StaticSequence final : public DecodingSequence {
 public:
  StaticSequence(BatchedDecoder& owner, const VisionTower& vision, std::int64_t slot)
      : owner_(owner), vision_(vision), slot_(slot) {}
  ~StaticSequence() override { owner_.release(slot_); }
  StaticSequence(const StaticSequence&) = delete;
  StaticSequence& operator=(const StaticSequence&) = delete;

  const VisionTower& vision_tower() const override { return vision_; }
  std::int64_t length() const override { return owner_.decoder_.length(slot_) + pending_rows_; }
  // The last row stays free: a step this slot rides along in writes there.
  std::int64_t max_rows() const override { return owner_.decoder_.capacity() - 1; }

  void reserve(std::int64_t rows, std::int64_t /*most*/) override {
    if (rows > max_rows()) {
      throw std::length_error("a sequence of " + std::to_string(rows) +
                              " rows exceeds the decoder's " + std::to_string(max_rows()));
    }
    limit_ = rows;
  }

  // Encoded now; its rows are prefilled with the text that follows (or before decoding), in one
  // pass over the language model's weights.
  void feed_image(const at::Tensor& pixels) override {
    owner_.between_steps([&](StaticDecoder& decoder) {
      pending_.push_back(image_segment(decoder, vision_, pixels, rope_position_));
    });
    pending_rows_ += pending_.back().embeddings.size(0);
    rope_position_ += 1;  // a whole image block advances the counter by one
  }

  void feed_text(std::span<const std::int64_t> ids) override {
    const auto count = static_cast<std::int64_t>(ids.size());
    const auto long_options = at::TensorOptions().dtype(at::kLong);
    owner_.between_steps([&](StaticDecoder& decoder) {
      pending_.push_back(
          {.embeddings = decoder.embed(
               at::tensor(at::ArrayRef<std::int64_t>(ids.data(), ids.size()), long_options)),
           .positions = at::arange(rope_position_, rope_position_ + count, long_options),
           .attention = SegmentAttention::kCausal});
    });
    pending_rows_ += count;
    rope_position_ += count;
    prefill_pending();
  }

  void wait() override {
    prefill_pending();
    if (!owner_.decoder_.device().is_cuda()) return;
    owner_.between_steps([](StaticDecoder&) { cuda::synchronize(); });
  }

  DecodeOutcome decode(const DecodeOptions& options) override {
    prefill_pending();
    const std::int64_t before = length();
    BatchedDecoder::Job job{.slot = slot_,
                            .options = &options,
                            .limit = limit_,
                            .rope_position = rope_position_,
                            .current = options.primer_id};
    DecodeOutcome outcome = owner_.run(job);
    rope_position_ += length() - before;  // every fed row took the next position
    return outcome;
  }

 private:
  // The segments fed since the last prefill, in one StaticDecoder::prefill_segments (dropped
  // when it throws: the slot keeps the rows it had).
  void prefill_pending() {
    if (pending_.empty()) return;
    const std::vector<LanguageSegment> segments = std::move(pending_);
    pending_.clear();
    pending_rows_ = 0;
    owner_.between_steps(
        [&](StaticDecoder& decoder) { decoder.prefill_segments(segments, slot_); });
  }

  BatchedDecoder& owner_;
  const VisionTower& vision_;
  std::int64_t slot_;
  std::int64_t rope_position_ = 0;
  std::int64_t limit_ = 0;
  std::vector<LanguageSegment> pending_;
  std::int64_t pending_rows_ = 0;
};

BatchedDecoder::BatchedDecoder(StaticDecoder decoder)
    : decoder_(std::move(decoder)),
      taken_(static_cast<std::size_t>(decoder_.slots()), false),
      jobs_(static_cast<std::size_t>(decoder_.slots()), nullptr) {
  loop_ = std::jthread([this](const std::stop_token& stop) { loop(stop); });
}

BatchedDecoder::~BatchedDecoder() {
  loop_.request_stop();
  loop_.join();
}

std::unique_ptr<DecodingSequence> BatchedDecoder::open(const VisionTower& vision,
                                                       std::stop_token cancel) {
  std::unique_lock lock(mutex_);
  const auto free_slot = [this] { return std::find(taken_.begin(), taken_.end(), false); };
  changed_.wait(lock, cancel, [&] { return free_slot() != taken_.end(); });
  if (free_slot() == taken_.end()) {
    throw std::runtime_error("cancelled while waiting for a decoding slot");
  }
  const auto slot = free_slot() - taken_.begin();
  taken_[static_cast<std::size_t>(slot)] = true;
  decoder_.clear(slot);
  return std::make_unique<StaticSequence>(*this, vision, slot);
}

std::int64_t BatchedDecoder::busy_slots() const {
  const std::lock_guard lock(mutex_);
  return std::count(taken_.begin(), taken_.end(), true);
}

void BatchedDecoder::release(std::int64_t slot) {
  between_steps([slot](StaticDecoder& decoder) { decoder.clear(slot); });
  const std::lock_guard lock(mutex_);
  taken_[static_cast<std::size_t>(slot)] = false;
  changed_.notify_all();
}

void BatchedDecoder::between_steps(const std::function<void(StaticDecoder&)>& work) {
  ++waiting_;
  std::unique_lock lock(mutex_);
  --waiting_;
  // Wakes the loop whatever `work` does: it waits while others want the decoder.
  struct Notify {
    std::condition_variable_any& changed;
    ~Notify() { changed.notify_all(); }
  } notify{changed_};
  work(decoder_);
}

DecodeOutcome BatchedDecoder::run(Job& job) {
  std::unique_lock lock(mutex_);
  jobs_[static_cast<std::size_t>(job.slot)] = &job;
  changed_.notify_all();
  // Not cancellable here: the loop sees the job's own cancel token before every step.
  changed_.wait(lock, [&job] { return job.done; });
  if (job.error) std::rethrow_exception(job.error);
  return std::move(job.outcome);
}

void BatchedDecoder::loop(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, stop, [this] {
      return waiting_ == 0 &&
             std::any_of(jobs_.begin(), jobs_.end(), [](const Job* job) { return job != nullptr; });
    });
    if (stop.stop_requested()) return;
    step_jobs();
    changed_.notify_all();
  }
}

void BatchedDecoder::step_jobs() {
  const auto finish = [this](Job& job, DecodeStop stop, bool unfed) {
    job.outcome.stop = stop;
    if (unfed) job.outcome.unfed.push_back(job.current);
    job.done = true;
    jobs_[static_cast<std::size_t>(job.slot)] = nullptr;
  };
  // The checks models::decode makes before every step.
  std::vector<std::int64_t> active;
  for (Job* job : jobs_) {
    if (job == nullptr) continue;
    const DecodeOptions& options = *job->options;
    if (options.cancel.stop_requested()) {
      finish(*job, DecodeStop::kCancelled, true);
    } else if (static_cast<std::int64_t>(job->outcome.tokens.size()) >= options.max_new_tokens) {
      finish(*job, DecodeStop::kLength, true);
    } else if (decoder_.length(job->slot) + 1 + options.reserved_rows > job->limit) {
      finish(*job, DecodeStop::kContextFull, true);
    } else {
      active.push_back(job->slot);
    }
  }
  if (active.empty()) return;

  at::Tensor argmax;
  at::Tensor logits;
  try {
    for (const std::int64_t slot : active) {
      Job& job = *jobs_[static_cast<std::size_t>(slot)];
      if (!job.started) decoder_.start_slot(slot, job.current, job.rope_position);
      job.started = true;
    }
    const std::int64_t batch = active.back() + 1;
    decoder_.step_slots(batch, active);
    argmax = decoder_.step_argmax(batch).cpu();  // the one read of the device per step
    logits = decoder_.step_logits();
  } catch (...) {
    for (const std::int64_t slot : active) {
      Job& job = *jobs_[static_cast<std::size_t>(slot)];
      job.error = std::current_exception();
      finish(job, DecodeStop::kCancelled, false);
    }
    return;
  }
  for (const std::int64_t slot : active) {
    Job& job = *jobs_[static_cast<std::size_t>(slot)];
    const DecodeOptions& options = *job.options;
    try {
      const std::int64_t best = argmax[slot].item<std::int64_t>();
      // Greedy decoding (no `choose`) never reads the logits.
      const std::int64_t next = options.choose ? options.choose(logits[slot].to(at::kFloat)) : best;
      if (next != best) decoder_.set_next_token(slot, next);
      if (next == options.end_id) {
        finish(job, DecodeStop::kEndToken, false);
        continue;
      }
      job.outcome.tokens.push_back(next);
      job.current = next;
      if (options.on_token && !options.on_token(next)) finish(job, DecodeStop::kStopped, true);
    } catch (...) {
      job.error = std::current_exception();
      finish(job, DecodeStop::kCancelled, false);
    }
  }
}

}  // namespace seer::models
