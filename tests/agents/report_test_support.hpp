#pragma once
// The vision-report tests' shared parts: the real faces, emotion and objects plugins started
// by the runtime once per test suite, the real photos, and test doubles for the services that
// a test registers for itself only.

#include <seer/agents/vision_report_pipeline.hpp>
#include <seer/host/runtime.hpp>
#include <seer/image_io.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "test_assets.hpp"

namespace seer::agents::test {

using namespace std::chrono_literals;

// faces (Haar, the golden settings), emotion (INTER_AREA, as the golden logits) and objects
// (the simulated Hailo with one scripted person), as `seer report`'s built-in config has them.
inline constexpr const char* kPluginsConfig = R"(
seer:
  log: {level: error}
plugins:
  faces: {detector: haar}
  emotion: {resize: area}
  objects:
    backend: hailo
    stub:
      frames:
        - detections:
            - {label: person, score: 0.9, box: [0.2, 0.1, 0.8, 0.95]}
)";

// A test suite whose tests share one runtime with the real plugins started.
class RealPluginsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<ConfigDiagnostic> diagnostics;
    const ConfigNode root = ConfigNode::load_string(kPluginsConfig, "report-test.yaml");
    runtime_ = std::make_unique<Runtime>(read_runtime_config(root, diagnostics),
                                         PluginLoader({SEER_PLUGIN_BUILD_DIR}));
    const auto found = runtime_->prepare();
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    for (const auto& diagnostic : diagnostics) ADD_FAILURE() << diagnostic.to_string();
    runtime_->start();
    for (const auto& status : runtime_->status()) {
      EXPECT_EQ(status.health.state, HealthState::ready)
          << status.instance << ": " << status.health.reason;
    }
  }
  static void TearDownTestSuite() {
    if (runtime_) runtime_->stop();
    runtime_.reset();
  }

  static ServiceRegistry& registry() { return runtime_->registry(); }

  // The real plugins' services with `names` picking among them and any test doubles.
  static VisionReportServices services(const VisionReportServiceNames& names = {}) {
    VisionReportServiceNames chosen = names;
    if (chosen.object_detector.empty()) chosen.object_detector = "objects";
    if (chosen.emotion_reader.empty()) chosen.emotion_reader = "emotion";
    if (chosen.face_detector.empty()) chosen.face_detector = "faces";
    return find_vision_report_services(registry(), chosen);
  }

  static Image photo(const std::string& relative) {
    return image_io::load_image_file(seer::test::asset(relative));
  }

 private:
  static inline std::unique_ptr<Runtime> runtime_;
};

// Registers a service under `name` for the life of this object (one test).
template <typename Interface>
class ScopedService {
 public:
  ScopedService(ServiceRegistry& registry, std::string name, std::shared_ptr<Interface> service)
      : registry_(registry), name_(std::move(name)) {
    registry_.add<Interface>(name_, std::move(service), "test");
  }
  ~ScopedService() { registry_.remove(Interface::interface_id, name_); }
  ScopedService(const ScopedService&) = delete;
  ScopedService& operator=(const ScopedService&) = delete;

 private:
  ServiceRegistry& registry_;
  std::string name_;
};

class SlowObjectDetector final : public ObjectDetector {
 public:
  explicit SlowObjectDetector(std::chrono::milliseconds delay) : delay_(delay) {}
  std::vector<DetectedObject> detect(const Image&) override {
    std::this_thread::sleep_for(delay_);
    return {{"cup", 41, 0.5f, {1, 2, 3, 4}}};
  }
  std::string provenance() const override { return "backend test-double: sleeps, then a cup"; }

 private:
  std::chrono::milliseconds delay_;
};

class ThrowingObjectDetector final : public ObjectDetector {
 public:
  std::vector<DetectedObject> detect(const Image&) override {
    throw std::runtime_error("the accelerator fell off the bus");
  }
  std::string provenance() const override { return "backend broken: always throws"; }
};

class SlowEmotionReader final : public EmotionReader {
 public:
  explicit SlowEmotionReader(std::chrono::milliseconds delay) : delay_(delay) {}
  EmotionReading read(const Image&) override {
    std::this_thread::sleep_for(delay_);
    return {{{"neutral", 1.0f}}, "neutral"};
  }

 private:
  std::chrono::milliseconds delay_;
};

class ThrowingFaceDetector final : public FaceDetector {
 public:
  std::vector<DetectedFace> detect(const Image&) override {
    throw std::runtime_error("cascade went missing");
  }
};

// Answers every prompt with `answer` after `delay`, or works until cancelled when `hang` is
// set; remembers what it was asked.
class FakeVisionLanguageModel final : public VisionLanguageModel {
 public:
  GenerationResult generate(const VisionRequest& request, const TokenCallback& on_piece,
                            std::stop_token cancel) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (hang) {
      while (!cancel.stop_requested()) std::this_thread::sleep_for(5ms);
      cancelled = true;
      return {"", "cancelled"};
    }
    std::this_thread::sleep_for(delay);
    const std::string answer = request.prompt == kDefaultEmotionPrompt ? emotion : description;
    on_piece(answer);
    return {answer, "stop"};
  }
  std::vector<VisionRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::chrono::milliseconds delay{0};
  bool hang = false;
  std::atomic<bool> cancelled = false;
  std::string description = "A woman in a naval uniform looks at the camera.";
  std::string emotion = "Happy.";

 private:
  mutable std::mutex mutex_;
  std::vector<VisionRequest> requests_;
};

class FakeCamera final : public Camera {
 public:
  explicit FakeCamera(Image frame) : frame_(std::move(frame)) {}
  Image snapshot(Duration) override {
    if (fail) throw std::runtime_error("no frame within 5000 ms from /dev/video9");
    return frame_;
  }
  std::string describe() const override { return "512x600@1 test double"; }
  bool fail = false;

 private:
  Image frame_;
};

inline double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace seer::agents::test
