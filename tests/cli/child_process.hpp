#pragma once
// Runs a program as a child process with its output captured, as a user's shell would.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seer::test {

class ChildProcess {
 public:
  // Starts `argv` with `extra_environment` ("NAME=value") added to this process's own.
  explicit ChildProcess(std::vector<std::string> argv,
                        std::vector<std::string> extra_environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int number);
  // The exit code (128 + signal when killed), or nullopt when still running at the timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // True once `text` has appeared on stdout or stderr, polling until the timeout.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

  std::string out() const;
  std::string err() const;

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_file_;
  std::filesystem::path err_file_;
};

struct Completed {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs to completion (killed after `timeout`).
Completed run_to_completion(std::vector<std::string> argv,
                            std::vector<std::string> extra_environment = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace seer::test
