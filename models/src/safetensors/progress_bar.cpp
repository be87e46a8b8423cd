#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "seer/models/safetensors.hpp"

namespace seer::models {

namespace {

constexpr int kBarWidth = 30;

// Redraws one stderr line in place, only when the whole percentage changes.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label) : label_(std::move(label)) {}

  void update(std::uint64_t done, std::uint64_t total) {
    const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    const int filled = percent * kBarWidth / 100;
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::fprintf(stderr, "\r%s [%s] %3d%% %.2f/%.2f GB", label_.c_str(), bar.c_str(), percent,
                 static_cast<double>(done) / 1e9, static_cast<double>(total) / 1e9);
    if (done >= total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_;
  int last_percent_ = -1;
};

}  // namespace

LoadProgress terminal_progress_bar(std::string label) {
  if (::isatty(STDERR_FILENO) == 0) return [](std::uint64_t, std::uint64_t) {};
  auto line = std::make_shared<ProgressLine>(std::move(label));
  return [line](std::uint64_t done, std::uint64_t total) { line->update(done, total); };
}

}  // namespace seer::models
