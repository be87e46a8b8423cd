#pragma once
// Shared parts of the camera tests: a temporary folder, a health log and a
// harness running the camera plugin with a real executor, bus and registry.

#include "camera_plugin.hpp"

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/plugin.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace seer::camera::test {

using namespace std::chrono_literals;

// How long to wait for something that should come quickly: CI machines are small and busy.
constexpr auto kPatience = 15s;

// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("seer-camera-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Every health change a plugin reports, in order.
class HealthLog {
 public:
  HealthReporter::Listener listener() {
    return [this](const Health& health) {
      std::lock_guard lock(mutex_);
      changes_.push_back(health);
      changed_.notify_all();
    };
  }
  // True when a change to `state` arrives at or after position `from` within `timeout`;
  // `from` then points past it.
  bool wait_for(HealthState state, std::size_t& from,
                std::chrono::milliseconds timeout = kPatience) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (; from < changes_.size(); ++from) {
        if (changes_[from].state == state) {
          ++from;
          return true;
        }
      }
      return false;
    });
  }
  std::vector<Health> changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
  }
  std::string dump() const {
    std::string text;
    for (const Health& health : changes()) {
      text += std::string(to_string(health.state)) + ": " + health.reason + "\n";
    }
    return text;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Health> changes_;
};

// The camera plugin driven directly (no dlopen) with a real executor, bus and registry.
class CameraHarness : public ::testing::Test {
 protected:
  void start(const std::string& config) {
    plugin.configure(ConfigNode::load_string(config, "camera-test.yaml"));
    plugin.start(context);
  }
  std::shared_ptr<Camera> camera() { return registry.get<Camera>("cam"); }

  Executor executor{2};
  Bus bus{executor};
  ServiceRegistry registry;
  HealthLog health_log;
  HealthReporter health{health_log.listener()};
  PluginContext context{"cam",  bus,    registry, executor, std::make_shared<spdlog::logger>("cam"),
                        health, nullptr};
  TempDir temp;
  // Last, so it stops before anything it uses goes away.
  CameraPlugin plugin;
};

}  // namespace seer::camera::test
