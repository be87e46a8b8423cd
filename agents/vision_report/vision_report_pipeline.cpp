#include <seer/agents/vision_report_pipeline.hpp>

#include <seer/faces/face_crop.hpp>

#include <algorithm>
#include <stdexcept>
#include <stop_token>

#include "background_stage.hpp"
#include "bagel_emotion.hpp"

namespace seer::agents {
namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string limit_text(Duration limit) { return std::to_string(limit.count()) + " ms"; }

const std::string* missing_reason(const VisionReportServices& services, std::string_view field) {
  for (const auto& [name, reason] : services.missing) {
    if (name == field) return &reason;
  }
  return nullptr;
}

std::vector<ReportedFace> largest_first(const std::vector<DetectedFace>& faces) {
  std::vector<ReportedFace> reported;
  for (const auto& face : faces) reported.push_back({face.box, face.score});
  std::stable_sort(reported.begin(), reported.end(), [](const auto& a, const auto& b) {
    return a.box.width * a.box.height > b.box.width * b.box.height;
  });
  return reported;
}

ReportedEmotion from_reading(const EmotionReading& reading) {
  return {reading.top_label, reading.probabilities, "cnn", {}};
}

std::vector<ReportedObject> from_detections(const std::vector<DetectedObject>& detections,
                                            const std::string& backend) {
  std::vector<ReportedObject> objects;
  for (const auto& object : detections) {
    objects.push_back({object.label, object.score, object.box, backend});
  }
  return objects;
}

// The stages that run side by side once the face is known, each started only when wanted.
struct ParallelStages {
  std::optional<BackgroundStage<EmotionReading>> emotion;
  std::optional<BackgroundStage<std::vector<DetectedObject>>> objects;
  std::optional<BackgroundStage<GenerationResult>> description;
  std::optional<BackgroundStage<GenerationResult>> emotion_bagel;
};

std::function<GenerationResult()> ask(std::shared_ptr<VisionLanguageModel> model, Image image,
                                      std::string prompt, int max_new_tokens,
                                      std::stop_token cancel) {
  return [model = std::move(model), image = std::move(image), prompt = std::move(prompt),
          max_new_tokens, cancel] {
    VisionRequest request{{image}, prompt, {}};
    request.options.max_new_tokens = max_new_tokens;
    return model->generate(
        request, [](std::string_view) { return true; }, cancel);
  };
}

}  // namespace

VisionReportPipeline::VisionReportPipeline(VisionReportServices services,
                                           VisionReportOptions options)
    : services_(std::move(services)), options_(std::move(options)) {
  if (!services_.face_detector) {
    throw std::invalid_argument("vision report: a face detector service is required");
  }
  if (!(options_.face_padding >= 0)) {
    throw std::invalid_argument("vision report: face_padding must be >= 0");
  }
  if (options_.stage_timeout.count() <= 0 || options_.capture_timeout.count() <= 0) {
    throw std::invalid_argument("vision report: stage and capture timeouts must be positive");
  }
  if (options_.emotion_source != EmotionSource::cnn && !services_.vision_language_model &&
      !missing_reason(services_, "description")) {
    throw std::invalid_argument(std::string("vision report: emotion source '") +
                                std::string(to_string(options_.emotion_source)) +
                                "' needs a vision-language model service (bagel)");
  }
}

VisionReport VisionReportPipeline::run() {
  if (!services_.camera) throw std::logic_error("vision report: there is no camera to capture");
  const auto started = Clock::now();
  VisionReport report;
  report.captured_at = std::chrono::system_clock::now();
  report.camera = services_.camera->describe();
  const Duration limit = options_.capture_timeout + options_.stage_timeout;
  BackgroundStage<Image> capture(
      [camera = services_.camera, timeout = options_.capture_timeout] {
        return camera->snapshot(timeout);
      },
      running_stages_);
  auto outcome = capture.wait_until(started + limit, limit_text(limit));
  report.timings_ms.emplace_back("capture", outcome.milliseconds);
  if (outcome.value && outcome.value->empty()) outcome.failure = "the camera gave an empty frame";
  if (!outcome.failure.empty()) {
    report.unavailable.emplace_back("frame", "capture " + outcome.failure);
    report.timings_ms.emplace_back("total", milliseconds_since(started));
    return report;
  }
  if (outcome.value->captured_at.time_since_epoch().count() != 0) {
    report.captured_at = outcome.value->captured_at;
  }
  return analyse(*outcome.value, std::move(report), started);
}

VisionReport VisionReportPipeline::run(const Image& image) {
  if (image.empty()) throw std::invalid_argument("vision report: the image is empty");
  VisionReport report;
  report.captured_at = image.captured_at.time_since_epoch().count() != 0
                           ? image.captured_at
                           : std::chrono::system_clock::now();
  return analyse(image, std::move(report), Clock::now());
}

VisionReport VisionReportPipeline::analyse(const Image& image, VisionReport report,
                                           Clock::time_point started) {
  report.frame = FrameSize{image.width, image.height};
  const std::string limit = limit_text(options_.stage_timeout);

  BackgroundStage<std::vector<DetectedFace>> face_stage(
      [detector = services_.face_detector, image] { return detector->detect(image); },
      running_stages_);
  auto faces = face_stage.wait_until(Clock::now() + options_.stage_timeout, limit);
  report.timings_ms.emplace_back("faces", faces.milliseconds);
  if (faces.value) {
    report.faces = largest_first(*faces.value);
  } else {
    report.unavailable.emplace_back("faces", faces.failure);
    report.unavailable.emplace_back("emotion", "face detection failed");
  }

  // The CNN reads the tight detector box, as its reference logits were computed; the padded
  // crop (context for a VLM) is what BAGEL reads and what the report shows.
  std::optional<Image> tight_face;
  std::optional<Image> padded_face;
  const bool has_face = report.faces && !report.faces->empty();
  if (has_face) {
    const auto crop_start = Clock::now();
    try {
      const Box& box = report.faces->front().box;
      report.face_crop =
          faces::padded_face_box(box, image.width, image.height, options_.face_padding);
      tight_face = faces::crop_largest_face(image, *faces.value, 0.0f);
      padded_face = faces::crop_largest_face(image, *faces.value, options_.face_padding);
    } catch (const std::exception& error) {
      report.unavailable.emplace_back("emotion", std::string("face crop failed: ") + error.what());
    }
    report.timings_ms.emplace_back("crop", milliseconds_since(crop_start));
    if (!tight_face && !report.unavailable_reason("emotion")) {
      report.unavailable.emplace_back("emotion", "the largest face lies outside the frame");
    }
  }

  const bool wants_cnn = options_.emotion_source != EmotionSource::bagel;
  const bool wants_bagel_emotion = options_.emotion_source != EmotionSource::cnn;
  std::stop_source cancel_generation;
  ParallelStages stages;
  const auto parallel_start = Clock::now();
  if (tight_face && wants_cnn && services_.emotion_reader) {
    stages.emotion.emplace(
        [reader = services_.emotion_reader, face = *tight_face] { return reader->read(face); },
        running_stages_);
  }
  if (options_.objects && services_.object_detector) {
    stages.objects.emplace(
        [detector = services_.object_detector, image] { return detector->detect(image); },
        running_stages_);
  }
  if (services_.vision_language_model) {
    stages.description.emplace(ask(services_.vision_language_model, image, options_.describe_prompt,
                                   options_.description_max_tokens, cancel_generation.get_token()),
                               running_stages_);
    if (padded_face && wants_bagel_emotion) {
      stages.emotion_bagel.emplace(
          ask(services_.vision_language_model, *padded_face, options_.emotion_prompt,
              options_.emotion_max_tokens, cancel_generation.get_token()),
          running_stages_);
    }
  }

  const auto deadline = parallel_start + options_.stage_timeout;
  auto note_missing = [&](std::string_view field, std::string fallback) {
    const std::string* reason = missing_reason(services_, field);
    report.unavailable.emplace_back(std::string(field), reason ? *reason : std::move(fallback));
  };

  if (stages.emotion) {
    auto outcome = stages.emotion->wait_until(deadline, limit);
    report.timings_ms.emplace_back("emotion", outcome.milliseconds);
    if (outcome.value) {
      report.emotion = from_reading(*outcome.value);
    } else {
      report.unavailable.emplace_back("emotion", outcome.failure);
    }
  } else if (tight_face && wants_cnn) {
    note_missing("emotion", "no emotion reader service");
  }

  if (stages.objects) {
    auto outcome = stages.objects->wait_until(deadline, limit);
    report.timings_ms.emplace_back("objects", outcome.milliseconds);
    try {
      report.objects_provenance = services_.object_detector->provenance();
    } catch (const std::exception& error) {
      report.objects_provenance = std::string("provenance unknown: ") + error.what();
    }
    if (outcome.value) {
      report.objects = from_detections(*outcome.value, backend_of(*report.objects_provenance));
    } else {
      report.unavailable.emplace_back("objects", outcome.failure);
    }
  } else if (options_.objects) {
    note_missing("objects", "no object detector service");
  }

  if (stages.description) {
    auto outcome = stages.description->wait_until(deadline, limit);
    report.timings_ms.emplace_back("description", outcome.milliseconds);
    if (outcome.value) {
      report.description = outcome.value->text;
    } else {
      report.unavailable.emplace_back("description", outcome.failure);
    }
  } else if (missing_reason(services_, "description")) {
    note_missing("description", {});
  }

  if (stages.emotion_bagel) {
    auto outcome = stages.emotion_bagel->wait_until(deadline, limit);
    report.timings_ms.emplace_back("emotion_bagel", outcome.milliseconds);
    const std::string field =
        options_.emotion_source == EmotionSource::both ? "emotion_bagel" : "emotion";
    if (outcome.value) {
      (field == "emotion" ? report.emotion : report.emotion_bagel) =
          emotion_from_answer(outcome.value->text);
    } else {
      report.unavailable.emplace_back(field, outcome.failure);
    }
  } else if (padded_face && wants_bagel_emotion) {
    note_missing(options_.emotion_source == EmotionSource::both ? "emotion_bagel" : "emotion",
                 "no vision-language model service");
  }
  // A generation still running past its limit is told to stop; the others end by themselves.
  cancel_generation.request_stop();

  const double total = milliseconds_since(started);
  double stages_ms = 0;
  double longest_parallel = 0;
  for (const auto& [stage, ms] : report.timings_ms) {
    const bool parallel = stage == "emotion" || stage == "objects" || stage == "description" ||
                          stage == "emotion_bagel";
    if (parallel) {
      longest_parallel = std::max(longest_parallel, ms);
    } else {
      stages_ms += ms;
    }
  }
  // What the pipeline itself cost: the total less the stages on its critical path.
  report.timings_ms.emplace_back("overhead", std::max(0.0, total - stages_ms - longest_parallel));
  report.timings_ms.emplace_back("total", total);
  return report;
}

}  // namespace seer::agents
