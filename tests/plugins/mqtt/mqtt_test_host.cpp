// Runs the mqtt plugin with the YAML config given as the only argument, prints READY once it
// is connected, and runs until killed. The Last Will test kills it with SIGKILL.

#include "mqtt_plugin.hpp"

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/service_registry.hpp>

#include <spdlog/sinks/stdout_sinks.h>

#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " 'YAML config of the mqtt plugin'\n";
    return 2;
  }
  try {
    seer::Executor executor(2);
    seer::Bus bus(executor);
    seer::ServiceRegistry registry;
    seer::HealthReporter health([](const seer::Health& state) {
      if (state.state == seer::HealthState::ready) std::cout << "READY" << std::endl;
    });
    seer::PluginContext context(
        "mqtt", bus, registry, executor,
        std::make_shared<spdlog::logger>("mqtt", std::make_shared<spdlog::sinks::stderr_sink_mt>()),
        health, nullptr);
    seer::mqtt::MqttPlugin plugin;
    plugin.configure(seer::ConfigNode::load_string(argv[1], "argv"));
    plugin.start(context);
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  } catch (const std::exception& failure) {
    std::cerr << failure.what() << "\n";
    return 1;
  }
}
