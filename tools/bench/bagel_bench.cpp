// seer-bench: BAGEL's understanding path at the 7B shape with random bf16 weights on one GPU:
// copy bandwidth, time to first token for a 980x980 image, decode tokens/s for each step of the
// fast path, peak memory. Prints "RESULT <name> <value> <unit>" lines (tools/bench/gpu.sh
// gathers them into one table with the peer's).
#include <ATen/ATen.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench_clock.hpp"
#include "random_bagel_7b.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/cuda_runtime.hpp"
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

// Weight bytes one decoding step must read: every layer, the final norm, lm_head, one embedding.
double weight_bytes_per_token(const models::LanguageConfig& c) {
  const double kv = static_cast<double>(c.num_kv_heads * c.head_dim);
  const auto h = static_cast<double>(c.hidden_size);
  const auto m = static_cast<double>(c.intermediate_size);
  const double per_layer = h * (h + 2 * kv) + (h + 2 * kv) + h * h + 3 * h * m + 2 * h +
                           2.0 * static_cast<double>(c.head_dim);
  return 2.0 * (static_cast<double>(c.num_layers) * per_layer +
                static_cast<double>(c.vocab_size) * h + 2 * h);
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

void run(const Settings& settings) {
  bench::ensure_random_bagel_7b(settings.dir);
  const models::LanguageConfig config = bench::bagel_7b_language();
  const double bandwidth = copy_bandwidth();
  report("copy_bandwidth", bandwidth / 1e9, "GB/s");
  const double bytes = weight_bytes_per_token(config);
  report("weights_read_per_token", bytes / 1e9, "GB");
  const double roofline = bytes / bandwidth;  // seconds per token at the copy's rate
  report("roofline_tokens_per_s", 1.0 / roofline, "tok/s");

  const std::vector<std::int64_t> prompt = prompt_ids(settings.prompt);
  const at::Tensor image = at::rand({3, 980, 980}) * 2.0 - 1.0;
  const models::LoadOptions load{.float_dtype = at::kBFloat16, .device = at::kCUDA};

  {  // The engine as it is: eager steps, a cache grown by views, one sync per step.
    models::cuda::reset_peak_allocated_bytes();
    const models::BagelEngine engine = models::BagelEngine::load(settings.dir, load);
    report("baseline_load", std::chrono::duration<double>(engine.load_duration()).count(), "s");
    const double ttft = bench::median_seconds(
        1, 3, [] {}, [&] { engine.generate(std::vector<at::Tensor>{image}, prompt, 2); });
    report("baseline_ttft_980px_ms", ttft * 1e3, "ms");
    std::optional<models::LanguageContext> context;
    const models::LanguageModel& language = engine.language_model();
    const double decode = bench::median_seconds(
        1, settings.runs,
        [&] {
          context.emplace(models::LanguageContext{
              .cache = language.make_cache(settings.prompt + settings.tokens + 8)});
          models::prefill_text(language, *context, prompt);
        },
        [&] {
          models::decode(language, *context, {.max_new_tokens = settings.tokens, .end_id = -1});
        });
    report_decode("baseline", decode, settings.tokens, roofline);
    report("baseline_peak_memory", static_cast<double>(models::cuda::peak_allocated_bytes()) / 1e9,
           "GB");
  }

  models::cuda::reset_peak_allocated_bytes();
  const std::int64_t capacity = ((4902 + settings.prompt + 2 + settings.tokens + 8) / 64 + 1) * 64;
  const models::SafetensorsFile checkpoint(settings.dir / "ema.safetensors");
  models::StaticDecoder decoder(config, checkpoint, at::kBFloat16, at::kCUDA,
                                {.capacity = capacity});
  const models::VisionTower vision = models::VisionTower::load(settings.dir, load);
  const double ttft = bench::median_seconds(
      1, 3, [] {},
      [&] { models::generate_static(decoder, vision, std::vector<at::Tensor>{image}, prompt, 2); });
  report("static_ttft_980px_ms", ttft * 1e3, "ms");

  const auto decode_with = [&](const std::string& name, bool graph, bool fuse) {
    decoder.set_step_options(graph, fuse);
    std::vector<std::int64_t> tokens;
    const auto prompt_rows = static_cast<std::int64_t>(prompt.size()) + 2;
    const double seconds = bench::median_seconds(
        1, settings.runs,
        [&] {
          decoder.clear();
          std::vector<std::int64_t> wrapped{models::kImStartId};
          wrapped.insert(wrapped.end(), prompt.begin(), prompt.end());
          wrapped.push_back(models::kImEndId);
          decoder.prefill({.embeddings = decoder.embed(at::tensor(wrapped, at::kLong)),
                           .positions = at::arange(prompt_rows, at::kLong),
                           .attention = models::SegmentAttention::kCausal});
        },
        [&] {
          tokens = decoder.decode(models::kImStartId, prompt_rows, settings.tokens, -1).tokens;
        });
    report_decode(name, seconds, settings.tokens, roofline);
    return tokens;
  };
  const std::vector<std::int64_t> eager = decode_with("static_cache", false, false);
  const std::vector<std::int64_t> fused = decode_with("static_fused", false, true);
  const std::vector<std::int64_t> graph = decode_with("static_fused_graph", true, true);
  // Same weights and kernels with and without the graph: the same tokens. The unfused products
  // round differently, so random weights' near-ties may part them.
  report("graph_tokens_match_fused_eager", fused == graph ? 1 : 0, "bool");
  report("fused_tokens_match_unfused", eager == fused ? 1 : 0, "bool");
  report("static_peak_memory", static_cast<double>(models::cuda::peak_allocated_bytes()) / 1e9,
         "GB");
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
