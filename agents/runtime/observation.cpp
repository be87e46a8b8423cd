#include <seer/agents/observation.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace seer::agents {
namespace {

std::string mood_text(const ReportedEmotion& emotion) {
  auto probabilities = emotion.probabilities;
  std::sort(probabilities.begin(), probabilities.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text = emotion.label;
  if (!probabilities.empty()) {
    text += " (";
    for (std::size_t i = 0; i < std::min<std::size_t>(2, probabilities.size()); ++i) {
      text += fmt::format("{}{} {:.0f}%", i ? ", " : "", probabilities[i].first,
                          100.0 * probabilities[i].second);
    }
    text += ")";
  }
  return text + (emotion.source == "bagel" ? " according to the vision model" : "");
}

std::string people_text(const VisionReport& report) {
  if (!report.faces) return {};
  switch (report.faces->size()) {
    case 0:
      return "Nobody is in view.\n";
    case 1:
      return "One person is in view, facing the camera.\n";
    default:
      return fmt::format("{} people are in view.\n", report.faces->size());
  }
}

std::string objects_text(const VisionReport& report) {
  if (!report.objects) return {};
  std::string text = "Objects:";
  if (report.objects->empty()) text += " none";
  for (const ReportedObject& object : *report.objects) {
    text += fmt::format(" {} ({:.0f}%)", object.label, 100.0 * object.score);
  }
  if (report.objects_provenance) text += " — " + *report.objects_provenance;
  return text + "\n";
}

}  // namespace

std::string age_text(std::chrono::seconds age) {
  const auto seconds = age.count();
  if (seconds < 2) return "just now";
  if (seconds < 120) return fmt::format("{} s ago", seconds);
  if (seconds < 2 * 3600) return fmt::format("{} min ago", seconds / 60);
  return fmt::format("{} h ago", seconds / 3600);
}

std::string observation_text(const VisionReport& report, std::chrono::seconds age) {
  std::string text = kObservationHeading;
  if (report.camera) text += " from camera " + *report.camera;
  text += ", seen " + age_text(age) + "]\n";
  if (!report.frame) text += "No picture could be taken.\n";
  text += people_text(report);
  if (report.emotion) text += "Their mood: " + mood_text(*report.emotion) + ".\n";
  if (report.emotion_bagel) {
    text += "Their mood, asked of the vision model: " + mood_text(*report.emotion_bagel) + ".\n";
  }
  if (report.description) text += "What the camera sees: " + *report.description + "\n";
  text += objects_text(report);
  for (const auto& [field, reason] : report.unavailable) {
    text += fmt::format("Not available: {} ({}).\n", field, reason);
  }
  return text;
}

}  // namespace seer::agents
