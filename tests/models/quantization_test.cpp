// Weight-only quantisation on the CPU: each format's error on random weights, the products
// through the stored form, and a StaticDecoder quantised at load, saved and read back.
#include "seer/models/quantization.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "checkpoint_scratch_dir.hpp"
#include "fixture_support.hpp"
#include "seer/models/static_decoder.hpp"

namespace seer::models {
namespace {

using test::kFixtureDir;
using test::relative_error;

TEST(Quantization, NamesRoundTripAndUnknownNamesAreRefusedWithTheChoices) {
  for (const Quantization q :
       {Quantization::none, Quantization::int8, Quantization::int4, Quantization::nf4}) {
    EXPECT_EQ(parse_quantization(quantization_name(q)), q);
  }
  try {
    parse_quantization("fp4");
    FAIL() << "fp4 was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("none, int8, int4 or nf4"), std::string::npos);
  }
}

struct FormatError {
  Quantization quantization;
  double bound;  // relative L2 error of the dequantised matrix on normal weights
};

class QuantizationError : public testing::TestWithParam<FormatError> {};

TEST_P(QuantizationError, DequantisedWeightsStayCloseAndProductsUseThem) {
  at::manual_seed(7);
  const at::Tensor weight = at::randn({96, 512});
  const LinearWeight stored = quantize(weight, GetParam().quantization, at::kFloat);
  EXPECT_EQ(stored.out_features, 96);
  EXPECT_EQ(stored.in_features, 512);
  const at::Tensor restored = dequantize(stored, at::kFloat);
  const double error = relative_error(restored, weight);
  EXPECT_LT(error, GetParam().bound) << quantization_name(GetParam().quantization);
  EXPECT_GT(error, 0.0);
  // Products through the stored form equal the product with the dequantised matrix.
  const at::Tensor x = at::randn({3, 512});
  const at::Tensor bias = at::randn({96});
  const at::Tensor residual = at::randn({3, 96});
  const at::Tensor ours = apply_linear(x, stored, bias, residual);
  EXPECT_LT(relative_error(ours, at::linear(x, restored, bias) + residual), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(EveryFormat, QuantizationError,
                         testing::Values(FormatError{Quantization::int8, 0.01},
                                         FormatError{Quantization::int4, 0.12},
                                         FormatError{Quantization::nf4, 0.11}),
                         [](const auto& format) {
                           return std::string(quantization_name(format.param.quantization));
                         });

TEST(Quantization, StoredSizesAreWhatTheFormatsPromise) {
  const at::Tensor weight = at::randn({64, 1024});
  EXPECT_EQ(quantize(weight, Quantization::int8, at::kBFloat16).data.nbytes(), 64u * 1024u);
  const LinearWeight int4 = quantize(weight, Quantization::int4, at::kBFloat16);
  EXPECT_EQ(int4.data.nbytes(), 64u * 512u);
  EXPECT_EQ(int4.group, 128);
  EXPECT_EQ(int4.scales.sizes(), (std::vector<std::int64_t>{64, 8}));
  const LinearWeight nf4 = quantize(weight, Quantization::nf4, at::kBFloat16);
  EXPECT_EQ(nf4.data.nbytes(), 64u * 512u);
  EXPECT_EQ(nf4.scales.numel(), 64 * 1024 / 64);             // one int8 absmax code per block
  EXPECT_EQ(nf4.absmax_scales.numel(), (1024 + 255) / 256);  // one float per 256 codes
  // A row of 160 inputs takes int4 groups of 32; 100 inputs fit no 4-bit format.
  EXPECT_EQ(quantize(at::randn({4, 160}), Quantization::int4, at::kFloat).group, 32);
  EXPECT_THROW(quantize(at::randn({4, 100}), Quantization::int4, at::kFloat),
               std::invalid_argument);
  EXPECT_THROW(quantize(at::randn({4, 100}), Quantization::nf4, at::kFloat), std::invalid_argument);
}

TEST(Quantization, Nf4ReproducesWeightsOnItsCodes) {
  // Weights that are NF4 values times one absmax per block come back up to the absmax's own
  // int8 quantisation.
  const at::Tensor codes = at::randint(0, 16, {8, 64}, at::kLong);
  const at::Tensor values = at::tensor(std::vector<float>{
      -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
      -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
      0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
      0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f});
  at::Tensor weight = values.index_select(0, codes.flatten()).view({8, 64});
  weight.select(1, 0).fill_(1.0f);  // every block's absmax is 1 * its row's scale
  weight = weight * at::arange(1, 9, at::kFloat).unsqueeze(1);
  const at::Tensor restored =
      dequantize(quantize(weight, Quantization::nf4, at::kFloat), at::kFloat);
  EXPECT_LT(relative_error(restored, weight), 5e-3);
}

StaticDecoder tiny_decoder(Quantization quantization, const std::filesystem::path& cache,
                           std::int64_t slots = 1) {
  const SafetensorsFile checkpoint(kFixtureDir / "ema.safetensors");
  return StaticDecoder(
      LanguageConfig::from_json_file(kFixtureDir / "llm_config.json"), checkpoint, at::kFloat,
      at::kCPU,
      {.capacity = 256, .slots = slots, .quantization = quantization, .quantized_cache = cache});
}

std::vector<std::int64_t> greedy(StaticDecoder& decoder, std::int64_t slot = 0) {
  const std::vector<std::int64_t> prompt{kImStartId, 872, 198, 9707, 11, 1246, kImEndId};
  const auto rows = static_cast<std::int64_t>(prompt.size());
  decoder.prefill({.embeddings = decoder.embed(at::tensor(prompt, at::kLong)),
                   .positions = at::arange(rows, at::kLong),
                   .attention = SegmentAttention::kCausal},
                  slot);
  return decoder.decode(kImStartId, rows, 12, -1).tokens;
}

TEST(QuantizedDecoder, WeightsAreSavedOnceAndReadBackWithTheSameTokens) {
  const test::ScratchDir scratch;
  const std::filesystem::path cache = scratch.path() / "cache" / "tiny-int4.safetensors";
  StaticDecoder first = tiny_decoder(Quantization::int4, cache);
  ASSERT_TRUE(std::filesystem::exists(cache));
  EXPECT_FALSE(std::filesystem::exists(cache.string() + ".tmp"));
  const SafetensorsFile stored(cache);
  EXPECT_EQ(stored.metadata().at("seer.quantization"), "int4");
  EXPECT_EQ(stored.metadata().at("seer.source"), "ema.safetensors");
  const auto written = std::filesystem::last_write_time(cache);
  StaticDecoder second = tiny_decoder(Quantization::int4, cache);
  EXPECT_EQ(std::filesystem::last_write_time(cache), written) << "read, not written again";
  EXPECT_EQ(greedy(first), greedy(second));
  EXPECT_EQ(first.weight_bytes_per_step(), second.weight_bytes_per_step());
  // Another format is not read from the int4 file: it is quantised again and replaces it.
  StaticDecoder nf4 = tiny_decoder(Quantization::nf4, cache);
  EXPECT_EQ(SafetensorsFile(cache).metadata().at("seer.quantization"), "nf4");
}

TEST(QuantizedDecoder, QuantisedWeightsReadFewerBytesAndStillDecode) {
  StaticDecoder plain = tiny_decoder(Quantization::none, {});
  StaticDecoder int8 = tiny_decoder(Quantization::int8, {});
  EXPECT_LT(int8.weight_bytes_per_step(), plain.weight_bytes_per_step() / 3);
  EXPECT_EQ(greedy(int8).size(), 12u);
}

TEST(BatchedDecoder, SlotsDecodingTogetherGiveEachSlotsOwnTokens) {
  StaticDecoder single = tiny_decoder(Quantization::none, {});
  const std::vector<std::int64_t> alone = greedy(single);
  StaticDecoder batched = tiny_decoder(Quantization::none, {}, 3);
  const std::vector<std::int64_t> prompt{kImStartId, 872, 198, 9707, 11, 1246, kImEndId};
  const std::vector<std::int64_t> other{kImStartId, 872, 198, 3838, 374, kImEndId};
  for (std::int64_t slot = 0; slot < 3; ++slot) {
    const std::vector<std::int64_t>& ids = slot == 1 ? other : prompt;
    batched.prefill({.embeddings = batched.embed(at::tensor(ids, at::kLong)),
                     .positions = at::arange(static_cast<std::int64_t>(ids.size()), at::kLong),
                     .attention = SegmentAttention::kCausal},
                    slot);
  }
  const std::vector<DecodeRequest> requests{
      {.rope_position = 7, .max_new_tokens = 12, .end_id = -1},
      {.rope_position = 6, .max_new_tokens = 5, .end_id = -1},
      {.rope_position = 7, .max_new_tokens = 12, .end_id = -1}};
  const std::vector<StaticDecodeResult> results = batched.decode_batch(requests);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].tokens, alone);
  EXPECT_EQ(results[2].tokens, alone);
  EXPECT_EQ(results[1].tokens.size(), 5u);
  EXPECT_EQ(batched.length(1), 6 + 5);
  EXPECT_EQ(batched.length(0), 7 + 12);
}

}  // namespace
}  // namespace seer::models
