// seer-kernel-bench: seer's decode-step kernels alone at BAGEL-7B's shapes on random data, each
// captured in a CUDA graph of many launches and replayed: the products on every weight format,
// each as the step runs it (normalising its input, gated), as GB/s of weights read and as
// milliseconds per decoding step, and the step's attention kernel.
// Prints "RESULT <name> <value> <unit>" lines like seer-bench.
#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "kernels/decode_kernels.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "seer/models/quantization.hpp"

namespace {

using namespace seer::models;

void report(const std::string& name, double value, const std::string& unit) {
  std::cout << "RESULT " << name << " " << value << " " << unit << std::endl;
}

// Seconds per call of `work`, from a graph of `repeats` calls replayed `replays` times.
double graph_seconds(const std::function<void()>& work, int repeats = 20, int replays = 10) {
  work();  // warm: handles, allocator
  cuda::Graph graph;
  graph.capture([&] {
    for (int i = 0; i < repeats; ++i) work();
  });
  graph.replay();
  cuda::synchronize();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < replays; ++i) graph.replay();
  cuda::synchronize();
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return total / (repeats * replays);
}

// How the step runs a product: plain, normalising its input, or normalising and gated.
enum class Epilogue { plain, normed, gated };

struct Shape {
  std::string name;
  std::int64_t out, in;
  int per_step;  // times a decoding step multiplies by it
  Epilogue epilogue;
};

const std::vector<Shape> kShapes{{"qkv", 4608, 3584, 28, Epilogue::normed},
                                 {"o", 3584, 3584, 28, Epilogue::plain},
                                 {"gate_up", 37888, 3584, 28, Epilogue::gated},
                                 {"down", 3584, 18944, 28, Epilogue::plain},
                                 {"lm_head", 152064, 3584, 1, Epilogue::normed}};

void products(Quantization quantization, std::int64_t rows) {
  const auto options = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
  const std::string format(quantization_name(quantization));
  double step = 0, bytes_per_step = 0;
  for (const Shape& shape : kShapes) {
    // Enough copies that the weights never sit in the 50 MB L2 between calls.
    const LinearWeight probe =
        quantize(at::randn({shape.out, shape.in}, options), quantization, at::kBFloat16);
    const auto bytes = static_cast<double>(probe.bytes());
    const int copies = std::max(1, static_cast<int>(std::ceil(200e6 / bytes)));
    std::vector<LinearWeight> weights{probe};
    for (int i = 1; i < copies; ++i) {
      weights.push_back(
          quantize(at::randn({shape.out, shape.in}, options), quantization, at::kBFloat16));
    }
    const at::Tensor x = at::randn({rows, shape.in}, options);
    std::size_t next = 0;
    const double seconds = graph_seconds(
        [&] {
          switch (shape.epilogue) {
            case Epilogue::plain:
              kernels::gemv(x, weights[next], {}, {});
              break;
            case Epilogue::normed:
              kernels::normed_gemv(x, weights[next], {}, 1e-6);
              break;
            case Epilogue::gated:
              kernels::gated_gemv(x, weights[next], 1e-6);
              break;
          }
          next = (next + 1) % weights.size();
        },
        static_cast<int>(std::max<std::size_t>(20, weights.size())));
    const std::string name = "gemv_" + format + "_rows" + std::to_string(rows) + "_" + shape.name;
    report(name + "_us", seconds * 1e6, "us");
    report(name + "_GBps", bytes / seconds / 1e9, "GB/s");
    step += seconds * shape.per_step;
    bytes_per_step += bytes * shape.per_step;
  }
  const std::string name = "gemv_" + format + "_rows" + std::to_string(rows);
  report(name + "_step_ms", step * 1e3, "ms");
  report(name + "_step_GBps", bytes_per_step / step / 1e9, "GB/s");
}

void small_kernels() {
  const auto options = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
  const auto longs = at::TensorOptions().dtype(at::kLong).device(at::kCUDA);
  const std::int64_t heads = 28, kv_heads = 4, d = 128, capacity = 5184, hidden = 3584;
  at::Tensor keys = at::randn({1, kv_heads, capacity, d}, options);
  at::Tensor values = at::randn_like(keys);
  const at::Tensor qkv = at::randn({1, (heads + 2 * kv_heads) * d}, options);
  const at::Tensor qk_norm = at::rand({heads + kv_heads, d}, options);
  const at::Tensor frequencies = at::rand({d / 2}, options.dtype(at::kFloat));
  const at::Tensor positions = at::full({1}, 150, longs);
  const at::Tensor x = at::randn({1, hidden}, options);
  const at::Tensor norm_weight = at::rand({hidden}, options);
  const at::Tensor gate_up = at::randn({1, 2 * 18944}, options);
  const at::Tensor logits = at::randn({1, 152064}, options);
  double step = 0;
  const auto measure = [&](const std::string& name, int per_step,
                           const std::function<void()>& work) {
    const double seconds = graph_seconds(work, 50);
    report("kernel_" + name + "_us", seconds * 1e6, "us");
    step += seconds * per_step;
  };
  const kernels::AttentionScratch scratch =
      kernels::attention_scratch(1, heads, kv_heads, d, capacity, at::kCUDA);
  for (const bool separate : {false, true}) {
    for (const std::int64_t rows : {160, 5000}) {
      const at::Tensor row = at::full({1}, rows, longs);
      measure(std::string(separate ? "attention_then_combine_" : "attention_") +
                  std::to_string(rows) + "_rows",
              rows == 160 && !separate ? 28 : 0, [&] {
                kernels::decode_attention(qkv, qk_norm, frequencies, positions, row, keys, values,
                                          scratch, heads, 1e-6, separate);
              });
    }
  }
  // For products that go to cuBLAS (4+ rows of bf16): not in the one-row step.
  measure("rms_norm", 0, [&] { kernels::rms_norm(x, norm_weight, 1e-6); });
  measure("silu_mul", 0, [&] { kernels::silu_mul(gate_up); });
  measure("argmax", 1, [&] { logits.argmax(-1); });
  report("small_kernels_step_ms", step * 1e3, "ms");
}

}  // namespace

int main() {
  if (!cuda::available()) {
    std::cerr << "seer-kernel-bench: no CUDA device\n";
    return 2;
  }
  try {
    small_kernels();
    for (const Quantization q :
         {Quantization::none, Quantization::int8, Quantization::int4, Quantization::nf4}) {
      products(q, 1);
    }
    // Eight rows: the packed formats stay on seer's kernels (bf16/fp16 go to cuBLAS from four).
    products(Quantization::int4, 8);
    products(Quantization::nf4, 8);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "seer-kernel-bench: " << error.what() << "\n";
    return 1;
  }
}
