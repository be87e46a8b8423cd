// seer-bench: BAGEL's understanding path at the 7B shape with random bf16 weights on one GPU:
// copy bandwidth, time to first token for a 980x980 image, decode tokens/s on the library's
// kernels and on seer's, batches of 2-8 sequences, a vision report on a 1280x720 frame, and
// each quantisation's decode speed, load times and peak memory at 8k context. Prints "RESULT <name>
// <value> <unit>" lines (tools/bench/gpu.sh gathers them into one table with the peer's).
#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench_clock.hpp"
#include "random_bagel_7b.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "seer/models/image_preprocessing.hpp"
#include "seer/models/quantization.hpp"
#include "seer/models/static_decoder.hpp"

namespace {

using namespace seer;

struct Settings {
  std::filesystem::path dir = "/tmp/seer-bagel-7b-random";
  std::int64_t tokens = 128;  // forced decode length
  std::int64_t prompt = 30;   // prompt tokens after the image
  int runs = 5;
};

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--dir") {
      settings.dir = value;
    } else if (flag == "--tokens") {
      settings.tokens = std::atoll(value);
    } else if (flag == "--prompt") {
      settings.prompt = std::atoll(value);
    } else if (flag == "--runs") {
      settings.runs = std::atoi(value);
    } else {
      throw std::invalid_argument("unknown flag " + std::string(flag) +
                                  " (--dir, --tokens, --prompt, --runs)");
    }
  }
  return settings;
}

void report(const std::string& name, double value, const std::string& unit) {
  std::cout << "RESULT " << name << " " << value << " " << unit << std::endl;
}

// Bytes read and written per second by a large device-to-device copy (2 GiB each way).
double copy_bandwidth() {
  const auto options = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
  const at::Tensor source = at::randn({std::int64_t{1} << 30}, options);
  at::Tensor target = at::empty_like(source);
  constexpr int kCopies = 10;
  const double seconds = bench::median_seconds(
      2, 5, [] {},
      [&] {
        for (int i = 0; i < kCopies; ++i) target.copy_(source);
      });
  return 2.0 * static_cast<double>(source.nbytes()) * kCopies / seconds;
}

std::vector<std::int64_t> prompt_ids(std::int64_t count) {
  std::vector<std::int64_t> ids;
  for (std::int64_t i = 0; i < count; ++i) ids.push_back(1000 + 37 * i);
  return ids;
}

void report_decode(const std::string& name, double seconds, std::int64_t tokens, double roofline) {
  const double per_token = seconds / static_cast<double>(tokens);
  report(name + "_tokens_per_s", 1.0 / per_token, "tok/s");
  report(name + "_roofline_pct", 100.0 * roofline / per_token, "%");
}

// `prompt` wrapped in <|im_start|> .. <|im_end|> as one causal segment of `slot`, after
// `rope` earlier positions; returns the RoPE position after it.
std::int64_t prefill_prompt(models::StaticDecoder& decoder, const std::vector<std::int64_t>& prompt,
                            std::int64_t rope, std::int64_t slot = 0) {
  std::vector<std::int64_t> wrapped{models::kImStartId};
  wrapped.insert(wrapped.end(), prompt.begin(), prompt.end());
  wrapped.push_back(models::kImEndId);
  const auto count = static_cast<std::int64_t>(wrapped.size());
  decoder.prefill({.embeddings = decoder.embed(at::tensor(wrapped, at::kLong)),
                   .positions = at::arange(rope, rope + count, at::kLong),
                   .attention = models::SegmentAttention::kCausal},
                  slot);
  return rope + count;
}

// Median seconds of decoding `tokens` tokens (forced: no end id) in `batch` slots after a
// prompt each; returns the tokens of slot 0.
double time_decode(models::StaticDecoder& decoder, const Settings& settings, std::int64_t batch,
                   std::vector<std::int64_t>* tokens = nullptr) {
  const std::vector<std::int64_t> prompt = prompt_ids(settings.prompt);
  std::vector<models::DecodeRequest> requests;
  return bench::median_seconds(
      1, settings.runs,
      [&] {
        decoder.clear();
        requests.clear();
        for (std::int64_t slot = 0; slot < batch; ++slot) {
          const std::int64_t rope = prefill_prompt(decoder, prompt, 0, slot);
          requests.push_back(
              {.rope_position = rope, .max_new_tokens = settings.tokens, .end_id = -1});
        }
      },
      [&] {
        const auto results = decoder.decode_batch(requests);
        if (tokens != nullptr) *tokens = results.front().tokens;
      });
}

// generate_static's stages (StageMark) for one image and `prompt`, to the first token: the
// device synchronised at each stage's end; the median of `runs` per stage, after a warm-up.
// Reported as ttft_<stage>_ms beside ttft_980px_ms (measured without the synchronisations).
void report_ttft_stages(models::StaticDecoder& decoder, const models::VisionTower& vision,
                        const at::Tensor& image, const std::vector<std::int64_t>& prompt,
                        int runs) {
  std::map<std::string, std::vector<double>, std::less<>> stages;
  for (int run = 0; run <= runs; ++run) {
    models::cuda::synchronize();
    auto last = std::chrono::steady_clock::now();
    models::generate_static(
        decoder, vision, std::vector<at::Tensor>{image}, prompt, 2, [&](std::string_view stage) {
          models::cuda::synchronize();
          const auto now = std::chrono::steady_clock::now();
          if (run > 0) {  // run 0 warms up
            stages[std::string(stage)].push_back(std::chrono::duration<double>(now - last).count());
          }
          last = now;
        });
  }
  for (auto& [stage, times] : stages) {
    std::sort(times.begin(), times.end());
    report("ttft_" + stage + "_ms", times[times.size() / 2] * 1e3, "ms");
  }
}

// The pixels BAGEL's chat() path makes of a frame of `width` x `height` (random content).
at::Tensor frame_pixels(int width, int height) {
  const models::ImageSize size = models::resized_size(
      {.width = width, .height = height}, models::ImagePreprocessing::chat().vit_resize);
  return at::rand({3, size.height, size.width}) * 2.0 - 1.0;
}

// A vision report as the agent runs it on one camera frame: the frame encoded and prefilled
// once, its cache rows shared by the description and the emotion prompts, both decoded in one
// batch (150 and 30 tokens).
double time_vision_report(models::StaticDecoder& decoder, const models::VisionTower& vision,
                          const Settings& settings) {
  const at::Tensor pixels = frame_pixels(1280, 720);
  const std::vector<std::int64_t> description = prompt_ids(24);
  const std::vector<std::int64_t> emotion = prompt_ids(32);
  return bench::median_seconds(
      1, settings.runs, [&] { decoder.clear(); },
      [&] {
        decoder.prefill(models::image_segment(decoder, vision, pixels, 0), 0);
        decoder.copy_prefix(0, 1, decoder.length(0));
        const std::int64_t rope0 = prefill_prompt(decoder, description, 1, 0);
        const std::int64_t rope1 = prefill_prompt(decoder, emotion, 1, 1);
        const std::vector<models::DecodeRequest> requests{
            {.rope_position = rope0, .max_new_tokens = 150, .end_id = -1},
            {.rope_position = rope1, .max_new_tokens = 30, .end_id = -1}};
        decoder.decode_batch(requests);
      });
}

void run(const Settings& settings) {
  bench::ensure_random_bagel_7b(settings.dir);
  const models::LanguageConfig config = bench::bagel_7b_language();
  const double bandwidth = copy_bandwidth();
  report("copy_bandwidth", bandwidth / 1e9, "GB/s");

  const std::vector<std::int64_t> prompt = prompt_ids(settings.prompt);
  const at::Tensor image = at::rand({3, 980, 980}) * 2.0 - 1.0;
  const models::LoadOptions load{.float_dtype = at::kBFloat16, .device = at::kCUDA};
  const models::VisionTower vision = models::VisionTower::load(settings.dir, load);
  const models::SafetensorsFile checkpoint(settings.dir / "ema.safetensors");
  const std::int64_t capacity = ((4902 + settings.prompt + 2 + settings.tokens + 8) / 64 + 1) * 64;

  {  // bfloat16: time to first token, decode on the library's kernels and on seer's, batches.
    models::StaticDecoder decoder(config, checkpoint, at::kBFloat16, at::kCUDA,
                                  {.capacity = capacity, .slots = 8});
    const double bytes = static_cast<double>(decoder.weight_bytes_per_step());
    report("weights_read_per_token", bytes / 1e9, "GB");
    const double roofline = bytes / bandwidth;  // seconds per token at the copy's rate
    report("roofline_tokens_per_s", 1.0 / roofline, "tok/s");
    report("own_kernels", decoder.uses_own_kernels() ? 1 : 0, "bool");
    const double ttft = bench::median_seconds(
        1, 3, [] {},
        [&] {
          models::generate_static(decoder, vision, std::vector<at::Tensor>{image}, prompt, 2);
        });
    report("ttft_980px_ms", ttft * 1e3, "ms");
    report_ttft_stages(decoder, vision, image, prompt, 3);

    std::vector<std::int64_t> library_tokens, kernel_tokens;
    decoder.set_step_options(true, true, false);
    report_decode("library_graph", time_decode(decoder, settings, 1, &library_tokens),
                  settings.tokens, roofline);
    decoder.set_step_options(true, true, true);
    report_decode("bf16", time_decode(decoder, settings, 1, &kernel_tokens), settings.tokens,
                  roofline);
    report("bf16_tokens_match_library", kernel_tokens == library_tokens ? 1 : 0, "bool");
    for (const std::int64_t batch : {2, 4, 8}) {
      const double seconds = time_decode(decoder, settings, batch);
      report("bf16_batch" + std::to_string(batch) + "_aggregate_tokens_per_s",
             static_cast<double>(batch * settings.tokens) / seconds, "tok/s");
    }
    report("vision_report_1280x720_ms", time_vision_report(decoder, vision, settings) * 1e3, "ms");
  }

  for (const models::Quantization quantization :
       {models::Quantization::int8, models::Quantization::int4, models::Quantization::nf4}) {
    const std::string name(models::quantization_name(quantization));
    const std::filesystem::path cache = settings.dir / ("quantized-" + name + ".safetensors");
    std::filesystem::remove(cache);
    const models::StaticDecoderOptions options{
        .capacity = 8192, .quantization = quantization, .quantized_cache = cache};
    const auto quantized_at = std::chrono::steady_clock::now();
    std::optional<models::StaticDecoder> decoder;
    decoder.emplace(config, checkpoint, at::kBFloat16, at::kCUDA, options);
    report(name + "_quantize_and_save_s",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - quantized_at).count(),
           "s");
    decoder.reset();
    const auto reloaded_at = std::chrono::steady_clock::now();
    decoder.emplace(config, checkpoint, at::kBFloat16, at::kCUDA, options);
    report(name + "_reload_s",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - reloaded_at).count(),
           "s");
    const double roofline = static_cast<double>(decoder->weight_bytes_per_step()) / bandwidth;
    report(name + "_weights_read_per_token",
           static_cast<double>(decoder->weight_bytes_per_step()) / 1e9, "GB");
    report_decode(name, time_decode(*decoder, settings, 1), settings.tokens, roofline);
    // The understanding path at 8k context: the 980x980 image (4,902 rows), a 3,200-token
    // prompt, then decoding to the end of the cache.
    models::cuda::reset_peak_allocated_bytes();
    decoder->clear();
    decoder->prefill(models::image_segment(*decoder, vision, image, 0));
    const std::int64_t rope = prefill_prompt(*decoder, prompt_ids(3200), 1);
    decoder->decode(models::kImStartId, rope, 8192 - decoder->length(), -1);
    report(name + "_peak_memory_8k",
           static_cast<double>(models::cuda::peak_allocated_bytes()) / 1e9, "GB");
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings settings = parse(argc, argv);
    if (!models::cuda::available()) {
      std::cerr << "seer-bench: no CUDA device (this libtorch has no CUDA or sees no GPU)\n";
      return 2;
    }
    run(settings);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "seer-bench: " << error.what() << "\n";
    return 1;
  }
}
