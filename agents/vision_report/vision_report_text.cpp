// The VisionReport as a few lines for people.
#include <seer/agents/vision_report.hpp>

#include <fmt/format.h>
#include <algorithm>

namespace seer::agents {
namespace {

std::string box_text(const Box& box) {
  return fmt::format("({:.0f}, {:.0f}, {:.0f}, {:.0f})", box.x, box.y, box.width, box.height);
}

std::string emotion_text(const ReportedEmotion& emotion) {
  std::string text = fmt::format("{} (from {})", emotion.label, emotion.source);
  auto probabilities = emotion.probabilities;
  std::sort(probabilities.begin(), probabilities.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  if (!probabilities.empty()) {
    text += ":";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, probabilities.size()); ++i) {
      text += fmt::format(" {} {:.1f}%", probabilities[i].first, 100.0 * probabilities[i].second);
    }
  }
  if (!emotion.answer.empty()) text += fmt::format(" — answered \"{}\"", emotion.answer);
  return text;
}

}  // namespace

std::string to_text(const VisionReport& report) {
  std::string text;
  const std::string source = report.image    ? *report.image
                             : report.camera ? "camera " + *report.camera
                                             : "an image";
  if (report.frame) {
    text += fmt::format("Frame {}x{} from {}, captured {}\n", report.frame->width,
                        report.frame->height, source, iso8601_utc(report.captured_at));
  } else {
    text += fmt::format("No frame from {}\n", source);
  }
  if (report.faces) {
    text += fmt::format("Faces: {}", report.faces->size());
    for (const auto& face : *report.faces) {
      text += fmt::format("  {} score {:.2f}", box_text(face.box), face.score);
    }
    text += '\n';
  }
  if (report.face_crop) text += "Face crop: " + box_text(*report.face_crop) + '\n';
  if (report.emotion) text += "Emotion: " + emotion_text(*report.emotion) + '\n';
  if (report.emotion_bagel)
    text += "Emotion (BAGEL): " + emotion_text(*report.emotion_bagel) + '\n';
  if (report.objects) {
    text += fmt::format("Objects: {}", report.objects->empty() ? "none" : "");
    for (const auto& object : *report.objects) {
      text += fmt::format("  {} {:.2f} {}", object.label, object.score, box_text(object.box));
    }
    text += '\n';
  }
  if (report.objects_provenance) text += "  (" + *report.objects_provenance + ")\n";
  if (report.description) text += "Description: " + *report.description + '\n';
  for (const auto& [field, reason] : report.unavailable) {
    text += fmt::format("Unavailable: {} — {}\n", field, reason);
  }
  text += "Timings:";
  for (const auto& [stage, ms] : report.timings_ms)
    text += fmt::format(" {} {:.1f} ms,", stage, ms);
  if (text.back() == ',') text.pop_back();
  text += '\n';
  return text;
}

}  // namespace seer::agents
