// `seer doctor`: NVIDIA GPUs, the driver and the CUDA version it supports, from nvidia-smi.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "doctor_checks.hpp"

namespace seer::cli::doctor {

CommandOutput run_command(const std::string& command) {
  CommandOutput result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, read);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

namespace {

bool nvidia_device_present() {
  std::error_code error;
  return std::filesystem::exists("/dev/nvidiactl", error) ||
         std::filesystem::exists("/dev/nvidia0", error);
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

}  // namespace

Findings check_gpu() {
  Findings findings;
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  const std::string visible_note =
      visible ? std::string(" (CUDA_VISIBLE_DEVICES=") + visible + ")" : std::string();
  // `timeout`: a wedged driver can make nvidia-smi hang.
  const CommandOutput gpus = run_command(
      "timeout 20 nvidia-smi --query-gpu=index,name,driver_version,memory.total "
      "--format=csv,noheader 2>&1");
  if (gpus.status == 127 || (gpus.status != 0 && !nvidia_device_present())) {
    findings.push_back({Status::warn, "gpu",
                        "no NVIDIA GPU: nvidia-smi is not installed or finds no device, and "
                        "there is no /dev/nvidia*; models run on the CPU (slowly)",
                        "on a machine with an NVIDIA GPU, install its driver (Debian: "
                        "nvidia-driver from non-free), reboot, and check that `nvidia-smi` "
                        "lists the card"});
    return findings;
  }
  if (gpus.status != 0) {
    findings.push_back({Status::fail, "gpu",
                        "/dev/nvidia* exists but nvidia-smi fails: " + trim(gpus.out),
                        "the kernel module and the driver's libraries disagree (often after "
                        "an upgrade without a reboot): reboot, or reinstall the driver"});
    return findings;
  }
  // The CUDA version the driver supports is only in nvidia-smi's table header.
  const CommandOutput table = run_command("timeout 20 nvidia-smi 2>&1");
  std::smatch cuda;
  const std::string cuda_version =
      std::regex_search(table.out, cuda, std::regex(R"(CUDA Version:\s*([0-9.]+))"))
          ? cuda[1].str()
          : std::string("unknown");
  std::istringstream lines(gpus.out);
  for (std::string line; std::getline(lines, line);) {
    if (trim(line).empty()) continue;
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, ',');) fields.push_back(trim(field));
    if (fields.size() < 4) continue;
    findings.push_back({Status::ok,
                        "gpu " + fields[0],
                        fields[1] + ", " + fields[3] + ", driver " + fields[2] +
                            " (supports CUDA up to " + cuda_version + ")" + visible_note,
                        {}});
  }
  if (findings.empty()) {
    findings.push_back({Status::fail, "gpu", "nvidia-smi lists no GPU: " + trim(gpus.out),
                        "check `nvidia-smi -L` and the driver's kernel module (`lsmod | grep "
                        "nvidia`)"});
  }
  return findings;
}

}  // namespace seer::cli::doctor
