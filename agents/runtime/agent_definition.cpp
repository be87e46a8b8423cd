#include <seer/agents/agent_definition.hpp>

#include <fmt/format.h>

#include <cmath>

namespace seer::agents {
namespace {

constexpr std::int64_t kMaxTokens = 1 << 20;

ConfigField number_field(std::string key, std::string description, double minimum, double maximum,
                         ConfigType type = ConfigType::number) {
  return {.key = std::move(key),
          .type = type,
          .description = std::move(description),
          .minimum = minimum,
          .maximum = maximum};
}

ConfigSchema options_schema() {
  ConfigSchema schema;
  schema.add(number_field("temperature", "0 = greedy", 0, 10));
  schema.add(number_field("top_k", "0 = off", 0, 1e6, ConfigType::integer));
  schema.add(number_field("top_p", "1 = off", 0, 1));
  schema.add(number_field("min_p", "0 = off", 0, 1));
  schema.add(number_field("repeat_penalty", "1 = off", 0, 10));
  schema.add(number_field("seed", "for reproducible sampling", 0, 9.2e18, ConfigType::integer));
  schema.add(number_field("num_predict", "the longest reply, in tokens", 1,
                          static_cast<double>(kMaxTokens), ConfigType::integer));
  schema.add(number_field("num_ctx", "the context window, in tokens", 16,
                          static_cast<double>(kMaxTokens), ConfigType::integer));
  schema.list_of("stop", ConfigType::string, "the reply ends before the first of these");
  schema.optional("think", ConfigType::boolean, "let a model that can reason think first", "false");
  return schema;
}

ConfigSchema llm_schema() {
  ConfigSchema schema;
  schema.required("backend", ConfigType::string,
                  "the plugin instance providing the chat model (e.g. bagel, ollama)");
  schema.optional("model", ConfigType::string, "the model to ask for", "the backend's");
  schema.object("options", options_schema(), "sampling and length (Ollama's option names)");
  schema.optional("keep_alive", ConfigType::string,
                  "how long the backend keeps the model loaded: a duration, or -1 for ever");
  schema.add(number_field("max_tool_rounds", "tool calls the model may make per turn", 0, 16,
                          ConfigType::integer));
  return schema;
}

ConfigSchema vision_schema() {
  ConfigSchema schema = vision_report_options_schema();
  schema.optional("enabled", ConfigType::boolean, "false: the agent has no eyes", "true");
  schema.add({.key = "freshness",
              .type = ConfigType::duration,
              .description = "a report older than this is taken again when a trigger looks",
              .default_text = "30s",
              .minimum = 0});
  return schema;
}

ConfigSchema tools_schema() {
  ConfigSchema schema;
  schema.add({.key = "lights",
              .type = ConfigType::list,
              .description = "lights the agent may switch (agents/lights/README.md)",
              .item_type = ConfigType::map});
  schema.optional("snapshot", ConfigType::boolean, "the model may take a fresh look itself",
                  "true");
  return schema;
}

ConfigSchema memory_schema() {
  ConfigSchema schema;
  schema.add(number_field("max_tokens", "the conversation history's budget per session", 64,
                          static_cast<double>(kMaxTokens), ConfigType::integer));
  schema.add(
      number_field("max_sessions", "sessions remembered at once", 1, 1e6, ConfigType::integer));
  schema.add({.key = "idle_timeout",
              .type = ConfigType::duration,
              .description = "a session unused this long is forgotten",
              .default_text = "1h",
              .minimum = 1});
  return schema;
}

GenerationOptions read_options(const ConfigNode& node) {
  GenerationOptions options;
  options.temperature = static_cast<float>(node["temperature"].double_or(options.temperature));
  options.top_k = static_cast<int>(node["top_k"].int_or(options.top_k));
  options.top_p = static_cast<float>(node["top_p"].double_or(options.top_p));
  options.min_p = static_cast<float>(node["min_p"].double_or(options.min_p));
  options.repeat_penalty =
      static_cast<float>(node["repeat_penalty"].double_or(options.repeat_penalty));
  if (node["seed"].defined()) options.seed = static_cast<std::uint64_t>(node["seed"].as_int());
  options.max_new_tokens = static_cast<int>(node["num_predict"].int_or(options.max_new_tokens));
  options.context_length = static_cast<int>(node["num_ctx"].int_or(options.context_length));
  if (node["stop"].defined()) options.stop = node["stop"].as_string_list();
  options.think = node["think"].bool_or(false);
  return options;
}

std::optional<Duration> read_keep_alive(const ConfigNode& node) {
  if (!node.defined()) return std::nullopt;
  if (node.as_string() == "-1") return Duration(-1);
  return node.as_duration();
}

LlmSettings read_llm(const ConfigNode& node) {
  LlmSettings llm;
  llm.node = node;
  llm.backend = node["backend"].as_string();
  if (llm.backend.empty()) throw node["backend"].error("name the chat model's plugin instance");
  llm.model = node["model"].string_or({});
  llm.options = read_options(node["options"]);
  llm.keep_alive = read_keep_alive(node["keep_alive"]);
  llm.max_tool_rounds = static_cast<int>(node["max_tool_rounds"].int_or(llm.max_tool_rounds));
  return llm;
}

VisionSettings read_vision(const ConfigNode& node) {
  VisionSettings vision;
  vision.node = node;
  vision.enabled = node["enabled"].bool_or(true);
  vision.report = read_vision_report_options(node);
  vision.freshness = node["freshness"].duration_or(vision.freshness);
  return vision;
}

ToolSettings read_tools(const ConfigNode& node) {
  ToolSettings tools;
  tools.node = node;
  if (node["lights"].defined()) tools.lights = read_light_definitions(node["lights"]);
  tools.snapshot = node["snapshot"].bool_or(true);
  return tools;
}

MemorySettings read_memory(const ConfigNode& node) {
  MemorySettings memory;
  memory.max_tokens = static_cast<int>(node["max_tokens"].int_or(memory.max_tokens));
  memory.max_sessions = static_cast<std::size_t>(
      node["max_sessions"].int_or(static_cast<std::int64_t>(memory.max_sessions)));
  memory.idle_timeout = node["idle_timeout"].duration_or(memory.idle_timeout);
  return memory;
}

std::string check_agent_name(const std::string& name) {
  if (name.empty()) return "an agent needs a name";
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return fmt::format(
          "'{}' is not a usable agent name: use letters, digits, '_' and '-' "
          "(it becomes part of topics such as agents/<name>/vision_report)",
          name);
    }
  }
  return {};
}

std::string default_persona(const std::string& name) {
  return fmt::format(
      "You are {}, a friendly assistant who can see through a camera and control the lights. "
      "Answer briefly.",
      name);
}

}  // namespace

ConfigSchema agent_schema() {
  ConfigSchema schema;
  schema.required("name", ConfigType::string, "the agent's name: [a-zA-Z0-9_-]+");
  schema.optional("persona", ConfigType::string, "the system prompt: who the character is");
  schema.object("llm", llm_schema(), "the chat model she thinks with (none: she cannot chat)");
  schema.object("vision", vision_schema(), "what she sees and how (the vision report)");
  schema.add({.key = "triggers",
              .type = ConfigType::list,
              .description = "what she reacts to (agents/triggers/README.md)",
              .item_type = ConfigType::map});
  schema.object("tools", tools_schema(), "what she may touch");
  schema.object("memory", memory_schema(), "how much conversation she keeps");
  schema.optional("home_assistant", ConfigType::boolean,
                  "announce mood, presence and description to Home Assistant over MQTT", "true");
  return schema;
}

AgentDefinitionError::AgentDefinitionError(std::vector<std::string> problems)
    : std::runtime_error(fmt::format("{}", fmt::join(problems, "\n"))),
      problems_(std::move(problems)) {}

AgentDefinitionError::AgentDefinitionError(const ConfigError& error)
    : AgentDefinitionError({ConfigDiagnostic{.severity = ConfigDiagnostic::Severity::error,
                                             .location = error.location(),
                                             .key_path = error.key_path(),
                                             .message = error.message()}
                                .to_string()}) {}

AgentDefinition read_agent_definition(const ConfigNode& root) {
  if (!root.is_map()) throw AgentDefinitionError(root.error("an agent file is a map"));
  std::vector<std::string> problems;
  for (ConfigDiagnostic diagnostic : agent_schema().validate(root)) {
    diagnostic.severity = ConfigDiagnostic::Severity::error;
    problems.push_back(diagnostic.to_string());
  }
  if (!problems.empty()) throw AgentDefinitionError(std::move(problems));
  try {
    AgentDefinition agent;
    agent.root = root;
    agent.name = root["name"].as_string();
    if (const std::string problem = check_agent_name(agent.name); !problem.empty()) {
      throw root["name"].error(problem);
    }
    agent.persona = root["persona"].string_or(default_persona(agent.name));
    if (root["llm"].defined()) agent.llm = read_llm(root["llm"]);
    agent.vision = read_vision(root["vision"]);
    if (root["triggers"].defined()) {
      agent.triggers = read_trigger_definitions(root["triggers"], {kLookAction, kReportAction});
    }
    agent.tools = read_tools(root["tools"]);
    agent.memory = read_memory(root["memory"]);
    agent.home_assistant = root["home_assistant"].bool_or(true);
    return agent;
  } catch (const ConfigError& error) {
    throw AgentDefinitionError(error);
  }
}

AgentDefinition load_agent_file(const std::filesystem::path& path) {
  try {
    return read_agent_definition(ConfigNode::load_file(path));
  } catch (const ConfigError& error) {
    throw AgentDefinitionError(error);
  }
}

}  // namespace seer::agents
