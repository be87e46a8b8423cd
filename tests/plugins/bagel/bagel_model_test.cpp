// The bagel model service on the bagel-tiny checkpoint: the official tokens through the
// service interfaces, streaming, cancellation, and what happens while and after loading fails.

#include <seer/image_io.hpp>

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bagel_model.hpp"
#include "seer/models/tokenizer.hpp"
#include "test_assets.hpp"

namespace seer::bagel {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kFixture = SEER_BAGEL_FIXTURE_DIR;

BagelSettings tiny_settings() {
  return {.model = kFixture, .tokenizer = seer::test::asset("tokenizer/tokenizer.json")};
}

// The text the official implementation produced for a fixture case.
std::string reference_text(const std::string& name) {
  std::ifstream file(kFixture / ("case_" + name + ".json"));
  const boost::json::value meta =
      boost::json::parse(std::string((std::istreambuf_iterator<char>(file)), {}));
  std::vector<models::TokenId> ids;
  for (const auto& id : meta.at("generated_ids").as_array()) {
    ids.push_back(static_cast<models::TokenId>(id.to_number<std::int64_t>()));
  }
  ids.erase(ids.begin());  // the <|im_start|> primer
  return models::Qwen2Tokenizer::load(seer::test::asset("tokenizer/tokenizer.json")).decode(ids);
}

std::string prompt_text(const std::string& name) {
  std::ifstream file(kFixture / ("case_" + name + ".json"));
  const boost::json::value meta =
      boost::json::parse(std::string((std::istreambuf_iterator<char>(file)), {}));
  std::vector<models::TokenId> ids;
  for (const auto& id : meta.at("prompt_ids").as_array()) {
    ids.push_back(static_cast<models::TokenId>(id.to_number<std::int64_t>()));
  }
  return models::Qwen2Tokenizer::load(seer::test::asset("tokenizer/tokenizer.json")).decode(ids);
}

BagelModel& loaded_model() {
  static const std::unique_ptr<BagelModel> model = [] {
    auto loading = std::make_unique<BagelModel>(tiny_settings());
    loading->load([] { return false; });
    return loading;
  }();
  return *model;
}

TEST(BagelModel, DescribesAnImageAsTheOfficialCodeDoes) {
  const Image image = image_io::load_image_file(kFixture / "image_chat_0.png");
  const VisionRequest request{
      .images = {image}, .prompt = prompt_text("image_chat"), .options = {.max_new_tokens = 23}};
  std::string streamed;
  const GenerationResult result = loaded_model().generate(request,
                                                          [&](std::string_view piece) {
                                                            streamed += piece;
                                                            return true;
                                                          },
                                                          {});
  EXPECT_EQ(result.text, reference_text("image_chat"));
  EXPECT_EQ(streamed, result.text);
  EXPECT_GT(result.prompt_tokens, 900);  // the image's patches are part of the prompt
  EXPECT_GT(result.generation_nanoseconds, 0);
}

TEST(BagelModel, ChatsInTheNativeFormat) {
  const ChatRequest request{
      .messages = {{.role = "user", .content = prompt_text("text_only")}},
      .options = {.max_new_tokens = 23},
  };
  const GenerationResult result = loaded_model().chat(request, {}, {});
  EXPECT_EQ(result.text, reference_text("text_only"));
  EXPECT_EQ(result.done_reason, "length");
  EXPECT_EQ(result.generated_tokens, 23);
}

TEST(BagelModel, StopsWhenTheCallerCancels) {
  const VisionRequest request{.prompt = "Hello, how are you?", .options = {.max_new_tokens = 50}};
  std::stop_source cancel;
  int pieces = 0;
  const GenerationResult result = loaded_model().generate(
      request,
      [&](std::string_view) {
        if (++pieces == 2) cancel.request_stop();
        return true;
      },
      cancel.get_token());
  EXPECT_EQ(result.done_reason, "cancelled");
  EXPECT_LT(result.generated_tokens, 10);
}

TEST(BagelModel, RequestsWaitForTheLoadAndFailWithItsError) {
  BagelSettings broken = tiny_settings();
  broken.model = fs::temp_directory_path() / "seer-no-such-checkpoint";
  BagelModel model(broken);
  auto waiting =
      std::async(std::launch::async, [&model] { return model.generate({.prompt = "Hi"}, {}, {}); });
  EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout) << "did not wait for the load";
  EXPECT_ANY_THROW(model.load([] { return false; }));
  try {
    waiting.get();
    FAIL() << "a request succeeded without a model";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("seer-no-such-checkpoint"), std::string::npos)
        << error.what();
  }
}

TEST(BagelModel, AWaitingRequestCanBeCancelled) {
  BagelModel model(tiny_settings());  // never loaded
  std::stop_source cancel;
  auto waiting = std::async(
      std::launch::async, [&] { return model.generate({.prompt = "Hi"}, {}, cancel.get_token()); });
  std::this_thread::sleep_for(50ms);
  cancel.request_stop();
  EXPECT_THROW(waiting.get(), std::runtime_error);
}

TEST(BagelModel, RefusesEmptyPrompts) {
  EXPECT_ANY_THROW(loaded_model().generate({.prompt = ""}, {}, {}));
}

// On the static decoder, concurrent chats decode together and each gets the official text.
TEST(BagelModel, ConcurrentRequestsOnTheStaticDecoderEachGetTheirOwnReply) {
  BagelSettings settings = tiny_settings();
  settings.decoder = "static";
  settings.batch = 3;
  settings.context_length = 256;
  BagelModel model(settings);
  model.load([] { return false; });
  const ChatRequest request{
      .messages = {{.role = "user", .content = prompt_text("text_only")}},
      .options = {.max_new_tokens = 23},
  };
  std::vector<std::future<GenerationResult>> results;
  for (int i = 0; i < 4; ++i) {  // one more than the slots: it waits for one
    results.push_back(
        std::async(std::launch::async, [&model, &request] { return model.chat(request, {}, {}); }));
  }
  for (auto& result : results) EXPECT_EQ(result.get().text, reference_text("text_only"));
  const ModelResidencyStatus status = model.status();
  EXPECT_EQ(status.quantization, "F32");
  EXPECT_GT(status.size_bytes, 0U);
}

}  // namespace
}  // namespace seer::bagel
