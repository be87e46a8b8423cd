#include "seer_process.hpp"

#include <csignal>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>

namespace seer::test {

SeerProcess::SeerProcess(const std::string& yaml, std::vector<std::string> arguments,
                         std::vector<std::string> environment) {
  directory_ = std::filesystem::temp_directory_path() /
               ("seer-faults-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(directory_);
  const std::filesystem::path config = directory_ / "seer.yaml";
  std::ofstream(config) << yaml;
  std::vector<std::string> argv{SEER_BINARY, "run", "--config", config.string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  environment.push_back(std::string("SEER_PLUGIN_PATH=") + SEER_TEST_PLUGIN_DIR);
  process_ = std::make_unique<ChildProcess>(std::move(argv), std::move(environment));
}

SeerProcess::~SeerProcess() {
  if (!process_->wait(std::chrono::milliseconds(0))) {
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

bool SeerProcess::wait_until_up(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (process_->wait_for_output("stop it with Ctrl-C", std::chrono::milliseconds(100))) {
      return true;
    }
    if (process_->wait(std::chrono::milliseconds(0))) return false;
  }
  return false;
}

std::uint16_t SeerProcess::http_port() const {
  static const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
  const std::string text = log();
  std::smatch match;
  if (!std::regex_search(text, match, listening)) {
    throw std::runtime_error("the http plugin is not listening:\n" + text);
  }
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

std::string SeerProcess::log() const { return process_->out() + process_->err(); }

}  // namespace seer::test
