// `seer generate` on the bagel-tiny checkpoint, as a user runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_assets.hpp"

namespace seer::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSeer = SEER_BINARY;
const fs::path kFixture = fs::path(SEER_TEST_DATA_DIR) / "fixtures/bagel-tiny";

std::vector<std::string> generate_args(std::vector<std::string> extra) {
  std::vector<std::string> args{kSeer,         "generate",
                                "--model",     kFixture.string(),
                                "--tokenizer", asset("tokenizer/tokenizer.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The official output of the text_only case, without the <|im_start|> primer.
std::vector<std::int64_t> text_only_reference() {
  std::ifstream file(kFixture / "case_text_only.json");
  const std::string text((std::istreambuf_iterator<char>(file)), {});
  const boost::json::value meta = boost::json::parse(text);
  std::vector<std::int64_t> ids;
  for (const auto& id : meta.at("generated_ids").as_array()) {
    ids.push_back(id.to_number<std::int64_t>());
  }
  ids.erase(ids.begin());
  return ids;
}

TEST(SeerGenerate, ReproducesTheOfficialTokensAsJson) {
  const auto result = run_to_completion(
      generate_args({"--prompt", "Hello, how are you?", "--max-tokens", "23", "--json"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const boost::json::object out = boost::json::parse(result.out).as_object();
  std::vector<std::int64_t> ids;
  for (const auto& id : out.at("token_ids").as_array()) ids.push_back(id.to_number<std::int64_t>());
  EXPECT_EQ(ids, text_only_reference());
  EXPECT_EQ(out.at("prompt_tokens").to_number<int>(), 8);  // <|im_start|> + 6 ids + <|im_end|>
  EXPECT_EQ(out.at("eval_tokens").to_number<int>(), 23);
  EXPECT_EQ(out.at("done_reason").as_string(), "length");
  for (const char* duration :
       {"load_duration", "prompt_eval_duration", "eval_duration", "total_duration"}) {
    EXPECT_GT(out.at(duration).to_number<std::int64_t>(), 0) << duration;
  }
  EXPECT_FALSE(out.at("text").as_string().empty());
}

TEST(SeerGenerate, StreamsTheSameTextToStdout) {
  const auto json = run_to_completion(
      generate_args({"--prompt", "Hello, how are you?", "--max-tokens", "10", "--json"}));
  const auto streamed =
      run_to_completion(generate_args({"--prompt", "Hello, how are you?", "--max-tokens", "10"}));
  ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
  EXPECT_EQ(streamed.out, std::string(boost::json::parse(json.out).at("text").as_string()) + "\n");
}

TEST(SeerGenerate, PutsImagesBeforeThePrompt) {
  const auto result = run_to_completion(
      generate_args({"--image", (kFixture / "image_chat_0.png").string(), "--prompt",
                     "What is this?", "--max-tokens", "3", "--json"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // 320x240 becomes 504x378 (chat path): 36x27 patches and the two markers, then the text.
  const auto out = boost::json::parse(result.out).as_object();
  EXPECT_GT(out.at("prompt_tokens").to_number<int>(), 36 * 27 + 2);
}

TEST(SeerGenerate, RefusesBadInputWithAClearMessage) {
  const auto empty = run_to_completion(generate_args({"--prompt", ""}));
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_THAT(empty.err, HasSubstr("the prompt is empty"));

  const fs::path not_an_image = fs::temp_directory_path() / "seer-generate-not-an-image.png";
  std::ofstream(not_an_image) << "this is text, not pixels";
  const auto bad_image =
      run_to_completion(generate_args({"--image", not_an_image.string(), "--prompt", "Hi"}));
  EXPECT_EQ(bad_image.exit_code, 1);
  EXPECT_THAT(bad_image.err, HasSubstr(not_an_image.string()));
  EXPECT_THAT(bad_image.err, HasSubstr("not a PNG, JPEG, WebP or BMP image"));
  fs::remove(not_an_image);

  const auto no_tokenizer =
      run_to_completion({kSeer, "generate", "--model", kFixture.string(), "--prompt", "Hi"});
  EXPECT_EQ(no_tokenizer.exit_code, 1);
  EXPECT_THAT(no_tokenizer.err, HasSubstr("no tokenizer.json"));
}

TEST(SeerGenerate, RefusesATruncatedCheckpointNamingTheFile) {
  const fs::path model = fs::temp_directory_path() / "seer-generate-truncated-model";
  fs::remove_all(model);
  fs::create_directories(model);
  for (const char* file : {"llm_config.json", "vit_config.json"}) {
    fs::copy_file(kFixture / file, model / file);
  }
  fs::copy_file(kFixture / "ema.safetensors", model / "ema.safetensors");
  fs::resize_file(model / "ema.safetensors", fs::file_size(model / "ema.safetensors") / 2);
  const auto result =
      run_to_completion({kSeer, "generate", "--model", model.string(), "--tokenizer",
                         asset("tokenizer/tokenizer.json").string(), "--prompt", "Hi"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr((model / "ema.safetensors").string()));
  fs::remove_all(model);
}

// The static decoder reproduces the official tokens; int8 weights run on it, saved once to
// --quantized-cache and read back by the next run.
TEST(SeerGenerate, RunsTheStaticDecoderAndQuantisedWeights) {
  const auto exact = run_to_completion(generate_args(
      {"--prompt", "Hello, how are you?", "--max-tokens", "23", "--decoder", "static", "--json"}));
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  const boost::json::object exact_out = boost::json::parse(exact.out).as_object();
  std::vector<std::int64_t> ids;
  for (const auto& id : exact_out.at("token_ids").as_array()) {
    ids.push_back(id.to_number<std::int64_t>());
  }
  EXPECT_EQ(ids, text_only_reference());
  EXPECT_EQ(exact_out.at("decoder").as_string(), "static");

  const fs::path cache = fs::temp_directory_path() / "seer-generate-int8" / "tiny.safetensors";
  fs::remove_all(cache.parent_path());
  fs::file_time_type written;
  for (int run = 0; run < 2; ++run) {
    const auto result = run_to_completion(
        generate_args({"--prompt", "Hello, how are you?", "--max-tokens", "8", "--quant", "int8",
                       "--quantized-cache", cache.string(), "--json"}));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const boost::json::object out = boost::json::parse(result.out).as_object();
    EXPECT_EQ(out.at("decoder").as_string(), "static");  // auto with --quant
    EXPECT_EQ(out.at("quantization_level").as_string(), "INT8");
    EXPECT_LT(out.at("weight_bytes").to_number<std::int64_t>(),
              exact_out.at("weight_bytes").to_number<std::int64_t>() * 7 / 10);
    EXPECT_EQ(out.at("eval_tokens").to_number<int>(), 8);
    ASSERT_TRUE(fs::exists(cache));
    if (run == 0) written = fs::last_write_time(cache);
    EXPECT_EQ(fs::last_write_time(cache), written) << "the second run quantised again";
  }
  fs::remove_all(cache.parent_path());
}

TEST(SeerGenerate, RefusesQuantisationOnTheEagerDecoder) {
  const auto eager =
      run_to_completion(generate_args({"--prompt", "Hi", "--decoder", "eager", "--quant", "nf4"}));
  EXPECT_EQ(eager.exit_code, 1);
  EXPECT_THAT(eager.err, HasSubstr("needs the static decoder"));
  const auto unknown = run_to_completion(generate_args({"--prompt", "Hi", "--quant", "fp4"}));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("--quant"));
}

}  // namespace
}  // namespace seer::test
