#pragma once
// Types shared by the text-generating services (vision-language and chat models).

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer {

struct GenerationOptions {
  int max_new_tokens = 512;
  float temperature = 0.0f;  // 0 = greedy
  int top_k = 0;
  float top_p = 1.0f;
  float min_p = 0.0f;
  float repeat_penalty = 1.0f;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> stop;
  int context_length = 0;  // Ollama's num_ctx; 0 = the model's own default
  bool think = false;      // let a model that can reason think first (into `thinking`)
};

// A function the model asked to call, with its arguments as the model wrote them.
struct ToolCall {
  std::string name;
  boost::json::object arguments;
};

struct GenerationResult {
  std::string text;
  std::string thinking;              // the reasoning before the answer, when `think` was set
  std::string done_reason;           // "stop", "length", "cancelled"
  std::vector<ToolCall> tool_calls;  // chat models that were offered tools
  int prompt_tokens = 0;
  int generated_tokens = 0;
  std::int64_t load_nanoseconds = 0;  // waiting for the model to load for this request
  std::int64_t prompt_nanoseconds = 0;
  std::int64_t generation_nanoseconds = 0;
};

// Receives each piece of text as soon as it is whole UTF-8; returns false to stop early.
using TokenCallback = std::function<bool(std::string_view piece)>;

}  // namespace seer
