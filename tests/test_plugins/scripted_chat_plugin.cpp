// A test plugin: a deterministic `seer.chat_model/2` for the compatibility tests with real
// client libraries (tests/node/), where the tiny BAGEL checkpoint's random text cannot show
// that tool calls, images and streaming cross the wire intact.
//   - offered tools and last asked by the user: calls the first tool with {"city": <the last
//     word of the user's message>}
//   - after a tool result: "The tool said: <result>"
//   - otherwise: "You said: <text> (N images)", streamed one word at a time
//   - with `fail_marker` set and in the user's message: throws after `fail_after_words` words,
//     as a model failing mid-stream (the fault-injection tests, tests/integration/)
#include <seer/plugin.hpp>
#include <seer/services/chat_model.hpp>

#include <cctype>
#include <chrono>
#include <sstream>
#include <thread>

namespace {

std::string last_word(const std::string& text) {
  std::istringstream words(text);
  std::string word;
  std::string last;
  while (words >> word) last = word;
  while (!last.empty() && std::ispunct(static_cast<unsigned char>(last.back()))) last.pop_back();
  return last;
}

struct Failure {
  std::string marker;  // empty: never fails
  int after_words = 2;
};

class ScriptedChat final : public seer::ChatModel {
 public:
  ScriptedChat(std::string name, std::chrono::milliseconds word_delay, Failure failure)
      : name_(std::move(name)), word_delay_(word_delay), failure_(std::move(failure)) {}

  seer::ChatModelInfo info() const override {
    return {.model = name_, .vision = true, .tools = true};
  }

  seer::GenerationResult chat(const seer::ChatRequest& request, const seer::TokenCallback& on_piece,
                              std::stop_token cancel) override {
    if (request.messages.empty()) throw std::runtime_error("scripted: no messages");
    const seer::ChatMessage& last = request.messages.back();
    seer::GenerationResult result;
    result.prompt_tokens = static_cast<int>(request.messages.size());
    result.done_reason = "stop";
    if (last.role == "user" && !request.tools.empty()) {
      result.tool_calls.push_back(
          {.name = request.tools.front().name, .arguments = {{"city", last_word(last.content)}}});
      return result;
    }
    const std::string reply =
        last.role == "tool"
            ? "The tool said: " + last.content
            : "You said: " + last.content + " (" + std::to_string(last.images.size()) + " images)";
    const bool fails = !failure_.marker.empty() && last.role == "user" &&
                       last.content.find(failure_.marker) != std::string::npos;
    std::istringstream words(reply);
    std::string word;
    for (bool first = true; words >> word; first = false) {
      if (fails && result.generated_tokens == failure_.after_words) {
        throw std::runtime_error("scripted: the model failed after " +
                                 std::to_string(failure_.after_words) + " words");
      }
      if (cancel.stop_requested()) {
        result.done_reason = "cancelled";
        break;
      }
      if (result.generated_tokens >= request.options.max_new_tokens) {
        result.done_reason = "length";
        break;
      }
      const std::string piece = (first ? "" : " ") + word;
      result.text += piece;
      ++result.generated_tokens;
      if (!on_piece(piece)) break;
      std::this_thread::sleep_for(word_delay_);
    }
    return result;
  }

 private:
  std::string name_;
  std::chrono::milliseconds word_delay_;
  Failure failure_;
};

class ScriptedChatPlugin final : public seer::Plugin {
 public:
  seer::ConfigSchema config_schema() const override {
    seer::ConfigSchema schema;
    schema.optional("model_name", seer::ConfigType::string, "the model's name", "scripted");
    schema.optional("word_delay_ms", seer::ConfigType::integer, "pause after each word", "0");
    schema.optional("fail_marker", seer::ConfigType::string,
                    "a user message containing this fails mid-stream", "none");
    schema.optional("fail_after_words", seer::ConfigType::integer,
                    "words streamed before such a failure", "2");
    return schema;
  }
  std::vector<seer::ServiceInfo> provided_services() const override {
    return {{std::string(seer::ChatModel::interface_id), "a scripted chat model"}};
  }
  void configure(const seer::ConfigNode& config) override {
    name_ = config["model_name"].string_or("scripted");
    delay_ = std::chrono::milliseconds(config["word_delay_ms"].int_or(0));
    failure_.marker = config["fail_marker"].string_or("");
    failure_.after_words = static_cast<int>(config["fail_after_words"].int_or(2));
  }
  void start(seer::PluginContext& context) override {
    context.provide<seer::ChatModel>(context.instance_name(),
                                     std::make_shared<ScriptedChat>(name_, delay_, failure_));
    context.health().ready("scripted");
  }
  void stop() override {}

 private:
  std::string name_;
  std::chrono::milliseconds delay_{0};
  Failure failure_;
};

}  // namespace

SEER_PLUGIN(ScriptedChatPlugin, "scripted-chat", "0.1.0",
            "Test plugin: a deterministic chat model for client compatibility tests")
