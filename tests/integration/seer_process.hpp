#pragma once
// The real `seer run` for the fault-injection and security tests: a configuration written to a
// temporary folder, the process's log captured, the http plugin's ephemeral port read from it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace seer::test {

class SeerProcess {
 public:
  // Writes `yaml` (the test plugins' folder is added to seer.plugin_path) and starts
  // `seer run` with `arguments` after it and `environment` added to this process's own.
  SeerProcess(const std::string& yaml, std::vector<std::string> arguments = {},
              std::vector<std::string> environment = {});
  ~SeerProcess();
  SeerProcess(const SeerProcess&) = delete;
  SeerProcess& operator=(const SeerProcess&) = delete;

  // True once seer says it is up; false (the log tells why) when it exited or took too long.
  bool wait_until_up(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // The http plugin's port, from its "listening on 127.0.0.1:PORT" health line.
  std::uint16_t http_port() const;
  ChildProcess& process() { return *process_; }
  // Everything seer wrote to stdout and stderr so far.
  std::string log() const;

 private:
  std::filesystem::path directory_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace seer::test
