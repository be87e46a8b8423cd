// The VisionReport's JSON form and the small facts it is built from.
#include <seer/agents/vision_report.hpp>

#include <boost/json.hpp>

#include <fmt/format.h>
#include <cmath>
#include <ctime>

namespace seer::agents {
namespace {

namespace json = boost::json;

// Whole pixels: detectors' sub-pixel digits carry no meaning in a report.
json::array box_json(const Box& box) {
  return {std::lround(box.x), std::lround(box.y), std::lround(box.width), std::lround(box.height)};
}

// Four decimals are plenty for a probability and keep the document short.
double rounded(double value, double scale = 1e4) { return std::round(value * scale) / scale; }

json::value emotion_json(const std::optional<ReportedEmotion>& emotion) {
  if (!emotion) return nullptr;
  json::object probabilities;
  for (const auto& [label, p] : emotion->probabilities) probabilities[label] = rounded(p);
  json::object out{{"label", emotion->label},
                   {"probabilities", std::move(probabilities)},
                   {"source", emotion->source}};
  if (!emotion->answer.empty()) out["answer"] = emotion->answer;
  return out;
}

template <typename T>
json::value optional_json(const std::optional<T>& value) {
  if (!value) return nullptr;
  return json::value_from(*value);
}

}  // namespace

const std::string* VisionReport::unavailable_reason(std::string_view field) const {
  for (const auto& [name, reason] : unavailable) {
    if (name == field) return &reason;
  }
  return nullptr;
}

std::optional<double> VisionReport::timing(std::string_view stage) const {
  for (const auto& [name, ms] : timings_ms) {
    if (name == stage) return ms;
  }
  return std::nullopt;
}

std::string iso8601_utc(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds);
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", text, millis.count());
}

std::string backend_of(std::string_view provenance) {
  constexpr std::string_view prefix = "backend ";
  if (!provenance.starts_with(prefix)) return "unknown";
  const auto rest = provenance.substr(prefix.size());
  const auto end = rest.find_first_of(": ");
  const auto name = rest.substr(0, end);
  return name.empty() ? "unknown" : std::string(name);
}

json::value to_json(const VisionReport& report) {
  json::object out;
  out["frame"] = report.frame ? json::value(json::object{{"width", report.frame->width},
                                                         {"height", report.frame->height}})
                              : json::value(nullptr);
  if (report.faces) {
    json::array faces;
    for (const auto& face : *report.faces) {
      faces.push_back(json::object{{"box", box_json(face.box)}, {"score", rounded(face.score)}});
    }
    out["faces"] = std::move(faces);
  } else {
    out["faces"] = nullptr;
  }
  out["face_crop"] = report.face_crop ? json::value(box_json(*report.face_crop)) : nullptr;
  out["emotion"] = emotion_json(report.emotion);
  out["emotion_bagel"] = emotion_json(report.emotion_bagel);
  if (report.objects) {
    json::array objects;
    for (const auto& object : *report.objects) {
      objects.push_back(json::object{{"label", object.label},
                                     {"score", rounded(object.score)},
                                     {"box", box_json(object.box)},
                                     {"backend", object.backend}});
    }
    out["objects"] = std::move(objects);
  } else {
    out["objects"] = nullptr;
  }
  out["objects_provenance"] = optional_json(report.objects_provenance);
  out["description"] = optional_json(report.description);
  json::object timings;
  for (const auto& [stage, ms] : report.timings_ms) timings[stage] = rounded(ms, 100);
  out["timings_ms"] = std::move(timings);
  json::object unavailable;
  for (const auto& [field, reason] : report.unavailable) unavailable[field] = reason;
  out["unavailable"] = std::move(unavailable);
  out["captured_at"] = iso8601_utc(report.captured_at);
  out["camera"] = optional_json(report.camera);
  out["image"] = optional_json(report.image);
  return out;
}

}  // namespace seer::agents
