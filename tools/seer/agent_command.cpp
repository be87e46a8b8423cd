// `seer agent`: start the runtime and the agents of a configuration, run one turn of one
// agent from the terminal, print the streamed reply and what was injected, stop.
#include <seer/agents/observation.hpp>
#include <seer/log.hpp>

#include <boost/json.hpp>

#include <iostream>

#include "agents_setup.hpp"
#include "commands.hpp"
#include "load_config.hpp"

namespace seer::cli {
namespace {

constexpr int kTurnFailed = 1;
constexpr int kConfigError = 2;

struct AgentOptions {
  std::string config_file;
  std::string say;
  std::string agent;
  std::string session = "terminal";
  std::string log_level;
  bool json = false;
};

// The observation block the turn's last request carried, if any.
std::optional<std::string> injected_observation(const ChatRequest& request) {
  for (const ChatMessage& message : request.messages) {
    if (message.role == "system" && message.content.starts_with(agents::kObservationHeading)) {
      return message.content;
    }
  }
  return std::nullopt;
}

std::shared_ptr<agents::RunningAgent> choose_agent(const agents::AgentHost& host,
                                                   const std::string& name) {
  if (!name.empty()) {
    if (auto agent = host.find(name)) return agent;
    std::cerr << "error: no agent named '" << name << "' in the configuration\n";
    return nullptr;
  }
  if (host.agents().empty()) {
    std::cerr << "error: the configuration has no agents (add an `agents:` section)\n";
    return nullptr;
  }
  return host.agents().front();
}

boost::json::object reply_json(const agents::RunningAgent& agent, const AgentReply& reply,
                               const std::optional<std::string>& observation) {
  boost::json::array actions;
  for (const AgentAction& action : reply.actions) {
    actions.push_back(
        {{"tool", action.tool}, {"arguments", action.arguments}, {"result", action.result}});
  }
  return {{"agent", agent.name()},
          {"reply", reply.result.text},
          {"done_reason", reply.result.done_reason},
          {"observation", observation ? boost::json::value(*observation) : nullptr},
          {"vision_report", reply.vision_report},
          {"actions", std::move(actions)},
          {"prompt_eval_count", reply.result.prompt_tokens},
          {"eval_count", reply.result.generated_tokens},
          {"prompt_eval_duration", reply.result.prompt_nanoseconds},
          {"eval_duration", reply.result.generation_nanoseconds}};
}

int run_turn(agents::RunningAgent& agent, const AgentOptions& options) {
  const AgentTurn turn{.session = options.session, .text = options.say};
  const TokenCallback print = [&options](std::string_view piece) {
    if (!options.json) std::cout << piece << std::flush;
    return true;
  };
  AgentReply reply;
  try {
    reply = agent.say(turn, print, {});
  } catch (const std::exception& error) {
    std::cout << std::endl;
    std::cerr << "error: " << agent.name() << ": " << error.what() << '\n';
    return kTurnFailed;
  }
  const auto observation = injected_observation(agent.last_request());
  if (options.json) {
    std::cout << boost::json::serialize(reply_json(agent, reply, observation)) << '\n';
    return 0;
  }
  std::cout << "\n";
  if (observation) std::cout << "\n--- injected into the prompt ---\n" << *observation;
  for (const AgentAction& action : reply.actions) {
    std::cout << "\n--- " << action.tool << ' ' << boost::json::serialize(action.arguments) << " → "
              << boost::json::serialize(action.result) << '\n';
  }
  return 0;
}

int run(const AgentOptions& options) {
  auto loaded = load_config(options.config_file);
  if (!loaded) return kConfigError;
  RuntimeConfig& config = loaded->runtime;
  try {
    config.log.level =
        log_level_from_string(options.log_level.empty() ? "warning" : options.log_level);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: --log-level: " << error.what() << '\n';
    return kConfigError;
  }
  configure_logging(config.log);
  if (print_diagnostics(loaded->diagnostics) > 0) return kConfigError;

  Runtime runtime(config, PluginLoader(PluginLoader::default_search_path(config.plugin_path)));
  if (print_diagnostics(runtime.prepare()) > 0) return kConfigError;
  runtime.start();
  int exit_code = kConfigError;
  if (auto host = start_agents(runtime, loaded->root)) {
    if (auto agent = choose_agent(*host, options.agent)) exit_code = run_turn(*agent, options);
    host->stop();
  }
  runtime.stop();
  return exit_code;
}

}  // namespace

void add_agent_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<AgentOptions>();
  CLI::App* command =
      app.add_subcommand("agent", "Run one turn of an agent from the terminal and print it");
  command->add_option("-c,--config", options->config_file, "configuration with `agents:` (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--say", options->say, "what you say to the agent")->required();
  command->add_option("--agent", options->agent, "which agent (default: the first)");
  command->add_option("--session", options->session, "conversation memory to use");
  command->add_option("--log-level", options->log_level, "trace, debug, info, warning, error");
  command->add_flag("--json", options->json, "print one JSON object instead of text");
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace seer::cli
