#include "bagel_model.hpp"

#include <seer/image_io.hpp>

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <opencv2/core/mat.hpp>
#include <stdexcept>
#include <utility>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/conversation.hpp"
#include "seer/models/safetensors.hpp"
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
  models::BagelEngine engine;
};

BagelModel::BagelModel(BagelSettings settings) : settings_(std::move(settings)) {}

BagelModel::~BagelModel() = default;

std::string BagelModel::load(const std::function<bool()>& should_stop) {
  std::string device_name;
  try {
    if (settings_.threads) at::set_num_threads(*settings_.threads);
    const at::Device device = settings_.device == "auto"
                                  ? at::Device(at::hasCUDA() ? at::kCUDA : at::kCPU)
                                  : at::Device(settings_.device);
    models::Qwen2Tokenizer tokenizer =
        settings_.tokenizer ? models::Qwen2Tokenizer::load(*settings_.tokenizer)
                            : models::Qwen2Tokenizer::load_directory(settings_.model);
    const models::LoadOptions options{
        .float_dtype = models::float_dtype_named(settings_.dtype, device),
        .device = device,
        .progress =
            [&should_stop](std::uint64_t, std::uint64_t) {
              if (should_stop()) throw std::runtime_error("loading was stopped");
            },
    };
    models::BagelEngine engine = models::BagelEngine::load(settings_.model, options);
    device_name = device.str();
    const std::lock_guard lock(mutex_);
    loaded_ = std::make_unique<const Loaded>(Loaded{std::move(tokenizer), std::move(engine)});
  } catch (const std::exception& error) {
    const std::lock_guard lock(mutex_);
    failure_ = error.what();
    changed_.notify_all();
    throw;
  }
  changed_.notify_all();
  return device_name;
}

void BagelModel::shut_down() {
  const std::lock_guard lock(mutex_);
  if (failure_.empty()) failure_ = "the model is shut down";
  changed_.notify_all();
}

const BagelModel::Loaded& BagelModel::wait_until_loaded(std::stop_token cancel) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, cancel, [this] { return loaded_ != nullptr || !failure_.empty(); });
  if (!failure_.empty()) throw std::runtime_error("bagel: " + failure_);
  if (!loaded_) throw std::runtime_error("bagel: cancelled while the model was loading");
  return *loaded_;
}

GenerationResult BagelModel::run(const ConversationFiller& fill, const GenerationOptions& options,
                                 const TokenCallback& on_piece, std::stop_token cancel) {
  const auto waiting_since = std::chrono::steady_clock::now();
  const Loaded& loaded = wait_until_loaded(cancel);
  const auto waited = std::chrono::steady_clock::now() - waiting_since;
  models::Conversation conversation(
      loaded.engine, loaded.tokenizer,
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
  const std::lock_guard one_at_a_time(generation_mutex_);
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
  return run(fill, request.options, on_piece, cancel);
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
  return run(fill, request.options, on_piece, cancel);
}

}  // namespace seer::bagel
