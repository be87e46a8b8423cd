// `seer generate`: one reply from a BAGEL checkpoint directory, streamed to stdout, or as one
// JSON object with the token ids and Ollama's timings (--json).
#include <seer/image_io.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "seer/models/bagel_runtime.hpp"
#include "seer/models/conversation.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/tokenizer.hpp"

namespace seer::cli {
namespace {

struct GenerateOptions {
  std::filesystem::path model_dir;
  std::optional<std::filesystem::path> tokenizer;
  std::vector<std::filesystem::path> images;
  std::string prompt;
  std::int64_t max_tokens = 512;
  std::int64_t context_length = 8192;
  float temperature = 0.0F;
  int top_k = 0;
  float top_p = 1.0F;
  float min_p = 0.0F;
  float repeat_penalty = 1.0F;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> stop;
  bool think = false;
  std::string device = "cpu";
  std::string dtype;
  std::string decoder = "auto";
  std::string quant = "none";
  std::filesystem::path quantized_cache;
  std::string preprocessing = "chat";
  bool json = false;
};

// Decoded (size-checked) by image_io, then handed to the engine as RGB.
void add_image(models::Conversation& conversation, const std::filesystem::path& path) {
  const cv::Mat rgb = image_io::to_rgb_mat(image_io::load_image_file(path));
  conversation.add_image({rgb.data, rgb.cols, rgb.rows, 3, rgb.step[0]});
}

std::int64_t nanoseconds(std::chrono::nanoseconds duration) { return duration.count(); }

boost::json::object reply_json(const GenerateOptions& options, const models::Reply& reply,
                               const models::BagelRuntime& runtime) {
  const std::chrono::nanoseconds load_duration = runtime.load_duration();
  boost::json::array ids;
  for (std::int64_t id : reply.token_ids) ids.push_back(id);
  boost::json::object out{
      {"model", options.model_dir.filename().string()},
      {"text", reply.text},
      {"token_ids", std::move(ids)},
      {"done_reason", models::to_string(reply.done_reason)},
      {"prompt_tokens", reply.prompt_tokens},
      {"eval_tokens", reply.eval_tokens},
      // Ollama's names and units (nanoseconds).
      {"load_duration", nanoseconds(load_duration)},
      {"prompt_eval_count", reply.prompt_tokens},
      {"prompt_eval_duration", nanoseconds(reply.prompt_eval_duration)},
      {"eval_count", reply.eval_tokens},
      {"eval_duration", nanoseconds(reply.eval_duration)},
      {"total_duration", nanoseconds(load_duration + reply.total_duration)},
      {"decoder", runtime.uses_static_decoder() ? "static" : "eager"},
      {"quantization_level", runtime.quantization_level()},
      {"weight_bytes", runtime.weight_bytes()},
  };
  if (options.think) out["thinking"] = reply.thinking;
  return out;
}

int generate(const GenerateOptions& options) {
  const at::Device device(options.device);
  const models::BagelRuntimeOptions runtime_options{
      .load = {.float_dtype = models::float_dtype_named(options.dtype, device),
               .device = device,
               .progress = models::terminal_progress_bar("loading " + options.model_dir.string())},
      .decoder = models::parse_decoder_choice(options.decoder),
      .quantization = models::parse_quantization(options.quant),
      .quantized_cache = options.quantized_cache,
      .on_cache_warning =
          [](const std::string& message) { std::cerr << "seer generate: " << message << '\n'; },
      .batch = 1,
      .context_length = options.context_length,
  };
  const models::Qwen2Tokenizer tokenizer =
      options.tokenizer ? models::Qwen2Tokenizer::load(*options.tokenizer)
                        : models::Qwen2Tokenizer::load_directory(options.model_dir);
  const std::unique_ptr<models::BagelRuntime> runtime =
      models::BagelRuntime::load(options.model_dir, runtime_options);

  models::Conversation conversation(runtime->open(), tokenizer,
                                    {.context_length = options.context_length,
                                     .think = options.think,
                                     .preprocessing = options.preprocessing == "inferencer"
                                                          ? models::ImagePreprocessing::inferencer()
                                                          : models::ImagePreprocessing::chat()});
  for (const std::filesystem::path& image : options.images) add_image(conversation, image);
  conversation.add_text(options.prompt);

  const models::ReplyOptions reply_options{
      .sampling = {.temperature = options.temperature,
                   .top_k = options.top_k,
                   .top_p = options.top_p,
                   .min_p = options.min_p,
                   .repeat_penalty = options.repeat_penalty,
                   .seed = options.seed},
      .num_predict = options.max_tokens,
      .stop = options.stop,
  };
  const models::ReplyCallback stream = [&options](const models::ReplyPiece& piece) {
    if (!options.json) std::cout << piece.text << std::flush;
    return true;
  };
  const models::Reply reply = conversation.reply(reply_options, stream);
  if (options.json) {
    std::cout << boost::json::serialize(reply_json(options, reply, *runtime)) << '\n';
  } else {
    std::cout << '\n';
  }
  return 0;
}

}  // namespace

void add_generate_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command = app.add_subcommand(
      "generate", "Generate a reply with a BAGEL checkpoint (images + prompt → text)");
  command
      ->add_option("--model", options->model_dir,
                   "Checkpoint directory (ema.safetensors, "
                   "llm_config.json, vit_config.json)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--tokenizer", options->tokenizer,
                   "tokenizer.json (default: the model directory's tokenizer)")
      ->check(CLI::ExistingFile);
  command->add_option("--image", options->images, "An image before the prompt (repeatable)")
      ->check(CLI::ExistingFile);
  command->add_option("--prompt", options->prompt, "The question or instruction")->required();
  command
      ->add_option("--max-tokens", options->max_tokens,
                   "New tokens at most (Ollama's num_predict; -1: until the end token)")
      ->capture_default_str();
  command->add_option("--num-ctx", options->context_length, "Context length in tokens")
      ->capture_default_str();
  command->add_option("--temperature", options->temperature, "0 picks the most likely token")
      ->capture_default_str();
  command->add_option("--top-k", options->top_k, "0 disables")->capture_default_str();
  command->add_option("--top-p", options->top_p, "1 disables")->capture_default_str();
  command->add_option("--min-p", options->min_p, "0 disables")->capture_default_str();
  command->add_option("--repeat-penalty", options->repeat_penalty, "1 disables")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for sampling (default: random)");
  command->add_option("--stop", options->stop, "End the reply before this text (repeatable)");
  command->add_flag("--think", options->think, "Reason in <think> … </think> before answering");
  command->add_option("--device", options->device, "cpu, cuda or cuda:N")->capture_default_str();
  command->add_option("--dtype", options->dtype,
                      "float32, bfloat16 or float16 (default: float32 on the CPU, bfloat16 on "
                      "a GPU)");
  command
      ->add_option("--decoder", options->decoder,
                   "eager (the reference engine) or static (fused weights, CUDA graphs, "
                   "quantisation); auto: static on a GPU or with --quant, else eager")
      ->check(CLI::IsMember({"auto", "eager", "static"}))
      ->capture_default_str();
  command
      ->add_option("--quant", options->quant,
                   "weight-only quantisation of the language model at load (static decoder)")
      ->check(CLI::IsMember({"none", "int8", "int4", "nf4"}))
      ->capture_default_str();
  command->add_option("--quantized-cache", options->quantized_cache,
                      "file to save the quantised weights to and read them back from next time");
  command
      ->add_option("--preprocessing", options->preprocessing,
                   "chat (the official chat() path) or inferencer (the demo's)")
      ->check(CLI::IsMember({"chat", "inferencer"}))
      ->capture_default_str();
  command->add_flag("--json", options->json,
                    "Print one JSON object at the end instead of streaming text");
  command->callback([options, &exit_code] {
    try {
      exit_code = generate(*options);
    } catch (const std::exception& error) {
      std::cerr << "seer generate: " << error.what() << '\n';
      exit_code = 1;
    }
  });
}

}  // namespace seer::cli
