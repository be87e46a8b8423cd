#pragma once
// The vision-report pipeline: capture → faces → crop the largest face → in parallel {emotion
// CNN on the face, objects on the frame, the VLM's description of the frame, the VLM's emotion
// on the face} → one VisionReport. Every stage has a time limit; a stage that throws or runs
// past it leaves its field null with the reason under `unavailable`, never a lost report.

#include <seer/agents/vision_report.hpp>
#include <seer/agents/vision_report_options.hpp>
#include <seer/service_registry.hpp>
#include <seer/services/camera.hpp>
#include <seer/services/emotion_reader.hpp>
#include <seer/services/face_detector.hpp>
#include <seer/services/object_detector.hpp>
#include <seer/services/vision_language_model.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace seer::agents {

struct VisionReportServices {
  std::shared_ptr<FaceDetector> face_detector;  // required
  std::shared_ptr<EmotionReader> emotion_reader;
  std::shared_ptr<ObjectDetector> object_detector;
  std::shared_ptr<VisionLanguageModel> vision_language_model;
  std::shared_ptr<Camera> camera;
  // Why a service that was wanted is missing (report field → reason), e.g. its plugin failed
  // to start; copied to `unavailable` when the stage would have run.
  std::vector<std::pair<std::string, std::string>> missing;
};

// The services named in `names` (empty: the only one registered; none registered: null).
// Throws std::invalid_argument when a name is empty and several are registered, or a name is
// given and nothing is registered under it.
VisionReportServices find_vision_report_services(const ServiceRegistry& registry,
                                                 const VisionReportServiceNames& names);

class VisionReportPipeline {
 public:
  // Throws std::invalid_argument without a face detector, with a negative padding or a
  // non-positive timeout, or when the emotion source needs a service that is absent.
  VisionReportPipeline(VisionReportServices services, VisionReportOptions options);

  // Takes a frame from the camera. Throws std::logic_error when there is no camera; a failed
  // snapshot gives a report whose frame is null with the reason under `unavailable`.
  VisionReport run();
  // Reports on `image`. Throws std::invalid_argument for an empty image.
  VisionReport run(const Image& image);

  // Stages that ran past their limit and are still working on their own threads (they hold
  // their services alive until they finish).
  int stages_still_running() const { return running_stages_->load(); }

  const VisionReportOptions& options() const { return options_; }

 private:
  VisionReport analyse(const Image& image, VisionReport report,
                       std::chrono::steady_clock::time_point started);

  VisionReportServices services_;
  VisionReportOptions options_;
  std::shared_ptr<std::atomic<int>> running_stages_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace seer::agents
