#include "bagel_model.hpp"

#include <seer/image_io.hpp>

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <stdexcept>
#include <utility>

#include "seer/models/bagel_runtime.hpp"
#include "seer/models/conversation.hpp"
#include "seer/models/tokenizer.hpp"

namespace seer::bagel {
namespace {

void add_image(models::Conversation& conversation, const Image& image) {
  const cv::Mat rgb = image_io::to_rgb_mat(image);
  conversation.add_image({rgb.data, rgb.cols, rgb.rows, 3, rgb.step[0]});
}

models::ReplyOptions reply_options(const GenerationOptions& options) {
  return {
      .sampling = {.temperature = options.temperature,
                   .top_k = options.top_k,
                   .top_p = options.top_p,
                   .min_p = options.min_p,
                   .repeat_penalty = options.repeat_penalty,
                   .seed = options.seed},
      .num_predict = options.max_new_tokens,
      .stop = options.stop,
  };
}

}  // namespace

struct BagelModel::Loaded {
  models::Qwen2Tokenizer tokenizer;
  std::unique_ptr<models::BagelRuntime> runtime;
};

BagelModel::BagelModel(BagelSettings settings)
    : settings_(std::move(settings)),
      weights_(
          [this](const std::function<bool()>& should_stop) { return load_weights(should_stop); },
          settings_.keep_alive) {}

BagelModel::~BagelModel() = default;

std::shared_ptr<const BagelModel::Loaded> BagelModel::load_weights(
    const std::function<bool()>& should_stop) {
  if (settings_.threads) at::set_num_threads(*settings_.threads);
  const at::Device device = settings_.device == "auto"
                                ? at::Device(at::hasCUDA() ? at::kCUDA : at::kCPU)
                                : at::Device(settings_.device);
  models::Qwen2Tokenizer tokenizer = settings_.tokenizer
                                         ? models::Qwen2Tokenizer::load(*settings_.tokenizer)
                                         : models::Qwen2Tokenizer::load_directory(settings_.model);
  const at::ScalarType dtype = models::float_dtype_named(settings_.dtype, device);
  const models::BagelRuntimeOptions options{
      .load = {.float_dtype = dtype,
               .device = device,
               .progress =
                   [&should_stop](std::uint64_t, std::uint64_t) {
                     if (should_stop()) throw std::runtime_error("loading was stopped");
                   }},
      .decoder = models::parse_decoder_choice(settings_.decoder),
      .quantization = models::parse_quantization(settings_.quant),
      .quantized_cache = settings_.quantized_cache.value_or(std::filesystem::path()),
      .on_cache_warning = [this](const std::string& message) { warn(message); },
      .batch = settings_.batch,
      .context_length = settings_.context_length,
  };
  auto loaded = std::make_shared<const Loaded>(
      Loaded{std::move(tokenizer), models::BagelRuntime::load(settings_.model, options)});
  const std::lock_guard lock(footprint_mutex_);
  footprint_ = {.device = device.str(),
                .on_gpu = device.is_cuda(),
                .parameters = static_cast<std::uint64_t>(loaded->runtime->parameters()),
                .bytes = static_cast<std::uint64_t>(loaded->runtime->weight_bytes()),
                .quantization = loaded->runtime->quantization_level()};
  return loaded;
}

void BagelModel::warn(const std::string& message) {
  const std::lock_guard lock(warning_mutex_);
  if (warning_listener_) warning_listener_(message);
}

void BagelModel::set_warning_listener(std::function<void(const std::string&)> listener) {
  const std::lock_guard lock(warning_mutex_);
  warning_listener_ = std::move(listener);
}

std::string BagelModel::load(const std::function<bool()>& should_stop) {
  weights_.load_first(should_stop);
  const std::lock_guard lock(footprint_mutex_);
  return footprint_.device;
}

void BagelModel::shut_down() { weights_.fail("the model is shut down"); }

void BagelModel::set_residency_listener(std::function<void(Residency)> listener) {
  weights_.set_listener(std::move(listener));
}

ModelResidencyStatus BagelModel::status() const {
  ModelResidencyStatus status;
  switch (weights_.state()) {
    case Residency::loading:
      status.state = ModelResidencyStatus::State::loading;
      break;
    case Residency::loaded:
      status.state = ModelResidencyStatus::State::loaded;
      break;
    case Residency::unloaded:
      status.state = ModelResidencyStatus::State::unloaded;
      break;
    case Residency::failed:
      status.state = ModelResidencyStatus::State::failed;
      break;
  }
  status.context_length = static_cast<int>(settings_.context_length);
  const Footprint footprint = [this] {
    const std::lock_guard lock(footprint_mutex_);
    return footprint_;
  }();
  status.parameters = footprint.parameters;
  status.quantization = footprint.quantization;
  if (status.state == ModelResidencyStatus::State::loaded) {
    status.size_bytes = footprint.bytes;
    if (footprint.on_gpu) status.vram_bytes = footprint.bytes;
    status.reason = footprint.device;
  }
  if (status.state == ModelResidencyStatus::State::failed) status.reason = weights_.failure();
  if (const auto expires = weights_.expires_at()) {
    status.expires_at = std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            *expires - std::chrono::steady_clock::now());
  }
  return status;
}

void BagelModel::load(std::stop_token cancel) {
  try {
    weights_.acquire(cancel);
  } catch (const std::exception& error) {
    throw std::runtime_error(std::string("bagel: ") + error.what());
  }
  weights_.release(std::nullopt);
}

void BagelModel::keep_alive(Duration duration) { weights_.keep_alive(duration); }

GenerationResult BagelModel::run(const ConversationFiller& fill, const GenerationOptions& options,
                                 std::optional<Duration> keep_alive, const TokenCallback& on_piece,
                                 std::stop_token cancel) {
  const auto waiting_since = std::chrono::steady_clock::now();
  std::shared_ptr<const Loaded> held;
  try {
    held = weights_.acquire(cancel);
  } catch (const std::exception& error) {
    throw std::runtime_error(std::string("bagel: ") + error.what());
  }
  // The weights' keep_alive starts when this request ends.
  const ResidentWeights<Loaded>::Hold hold(weights_, keep_alive);
  const Loaded& loaded = *held;
  const auto waited = std::chrono::steady_clock::now() - waiting_since;
  models::Conversation conversation(
      loaded.runtime->open(cancel), loaded.tokenizer,
      {.context_length =
           options.context_length > 0 ? options.context_length : settings_.context_length,
       .think = options.think,
       .preprocessing = settings_.preprocessing == "inferencer"
                            ? models::ImagePreprocessing::inferencer()
                            : models::ImagePreprocessing::chat()});
  fill(conversation);
  // Think mode's reasoning is not streamed as answer text; it comes back in `thinking`.
  const models::ReplyCallback stream = [&on_piece](const models::ReplyPiece& piece) {
    return piece.thinking || !on_piece || on_piece(piece.text);
  };
  // The static decoder batches concurrent requests itself; the eager one takes them in turn.
  std::unique_lock<std::mutex> one_at_a_time(generation_mutex_, std::defer_lock);
  if (!loaded.runtime->uses_static_decoder()) one_at_a_time.lock();
  const models::Reply reply = conversation.reply(reply_options(options), stream, cancel);
  return {
      .text = reply.text,
      .thinking = reply.thinking,
      .done_reason = std::string(models::to_string(reply.done_reason)),
      .prompt_tokens = static_cast<int>(reply.prompt_tokens),
      .generated_tokens = static_cast<int>(reply.eval_tokens),
      .load_nanoseconds = std::chrono::nanoseconds(waited).count(),
      .prompt_nanoseconds = reply.prompt_eval_duration.count(),
      .generation_nanoseconds = reply.eval_duration.count(),
  };
}

ChatModelInfo BagelModel::info() const {
  return {.model = settings_.model_name, .vision = true, .tools = false, .thinking = true};
}

GenerationResult BagelModel::generate(const VisionRequest& request, const TokenCallback& on_piece,
                                      std::stop_token cancel) {
  const auto fill = [&request](models::Conversation& conversation) {
    for (const Image& image : request.images) add_image(conversation, image);
    conversation.add_text(request.prompt);
  };
  return run(fill, request.options, std::nullopt, on_piece, cancel);
}

GenerationResult BagelModel::chat(const ChatRequest& request, const TokenCallback& on_piece,
                                  std::stop_token cancel) {
  // BAGEL's native format has no roles: every message is its images, then its text segment.
  const auto fill = [&request](models::Conversation& conversation) {
    for (const ChatMessage& message : request.messages) {
      for (const Image& image : message.images) add_image(conversation, image);
      if (!message.content.empty()) conversation.add_text(message.content);
    }
  };
  return run(fill, request.options, request.keep_alive, on_piece, cancel);
}

}  // namespace seer::bagel
