#include <seer/agents/vision_report_options.hpp>

#include <stdexcept>
#include <string>

namespace seer::agents {
namespace {

constexpr double kMaxPadding = 4.0;
constexpr int kMaxTokens = 4096;

ConfigSchema services_schema() {
  ConfigSchema schema;
  const char* empty = "the only one registered";
  schema.optional("face_detector", ConfigType::string, "seer.face_detector/1 service name", empty);
  schema.optional("emotion_reader", ConfigType::string, "seer.emotion_reader/1 service name",
                  empty);
  schema.optional("object_detector", ConfigType::string, "seer.object_detector/1 service name",
                  empty);
  schema.optional("vision_language_model", ConfigType::string,
                  "seer.vision_language_model/1 service name", empty);
  schema.optional("camera", ConfigType::string, "seer.camera/1 service name", empty);
  return schema;
}

Duration positive_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() <= 0) throw node.error("must be a positive duration");
  return value;
}

int token_count(const ConfigNode& node, int fallback) {
  const std::int64_t value = node.int_or(fallback);
  if (value < 1 || value > kMaxTokens) {
    throw node.error("must be between 1 and " + std::to_string(kMaxTokens) + ", got " +
                     std::to_string(value));
  }
  return static_cast<int>(value);
}

}  // namespace

std::string_view to_string(EmotionSource source) {
  switch (source) {
    case EmotionSource::bagel:
      return "bagel";
    case EmotionSource::both:
      return "both";
    case EmotionSource::cnn:
      break;
  }
  return "cnn";
}

EmotionSource emotion_source_from_string(std::string_view text) {
  if (text == "cnn") return EmotionSource::cnn;
  if (text == "bagel") return EmotionSource::bagel;
  if (text == "both") return EmotionSource::both;
  throw std::invalid_argument("emotion source must be cnn, bagel or both, got '" +
                              std::string(text) + "'");
}

ConfigSchema vision_report_options_schema() {
  ConfigSchema schema;
  schema.add({.key = "face_padding",
              .type = ConfigType::number,
              .description = "the face crop grows by this times the face's width on each side "
                             "(and height above and below)",
              .default_text = "0.4",
              .minimum = 0,
              .maximum = kMaxPadding});
  schema.optional("describe_prompt", ConfigType::string, "what BAGEL is asked about the frame",
                  kDefaultDescribePrompt);
  schema.optional("emotion_prompt", ConfigType::string, "what BAGEL is asked about the face crop",
                  kDefaultEmotionPrompt);
  schema.choice("emotion_source", {"cnn", "bagel", "both"},
                "who reads the face's emotion: the expression CNN, BAGEL, or both", "cnn");
  schema.optional("objects", ConfigType::boolean, "run the object detector on the frame", "false");
  schema.add({.key = "stage_timeout",
              .type = ConfigType::duration,
              .description = "the longest any one stage may take before its field is reported "
                             "unavailable",
              .default_text = "30s",
              .minimum = 0.001});
  schema.add({.key = "capture_timeout",
              .type = ConfigType::duration,
              .description = "how long a camera snapshot may wait for a frame",
              .default_text = "5s",
              .minimum = 0.001});
  schema.add({.key = "description_max_tokens",
              .type = ConfigType::integer,
              .description = "the longest description BAGEL may write, in tokens",
              .default_text = "256",
              .minimum = 1,
              .maximum = kMaxTokens});
  schema.add({.key = "emotion_max_tokens",
              .type = ConfigType::integer,
              .description = "the longest emotion answer BAGEL may write, in tokens",
              .default_text = "8",
              .minimum = 1,
              .maximum = kMaxTokens});
  schema.object("services", services_schema(), "which service each stage uses, by name");
  return schema;
}

VisionReportOptions read_vision_report_options(const ConfigNode& section) {
  VisionReportOptions options;
  if (!section.defined() || section.is_null()) return options;
  if (!section.is_map()) throw section.error("the report section must be a map");

  const ConfigNode padding = section["face_padding"];
  const double padding_value = padding.double_or(options.face_padding);
  if (!(padding_value >= 0 && padding_value <= kMaxPadding)) {
    throw padding.error("must be between 0 and " + std::to_string(kMaxPadding));
  }
  options.face_padding = static_cast<float>(padding_value);
  options.describe_prompt = section["describe_prompt"].string_or(options.describe_prompt);
  options.emotion_prompt = section["emotion_prompt"].string_or(options.emotion_prompt);
  const ConfigNode source = section["emotion_source"];
  try {
    options.emotion_source = emotion_source_from_string(source.string_or("cnn"));
  } catch (const std::invalid_argument& error) {
    throw source.error(error.what());
  }
  options.objects = section["objects"].bool_or(options.objects);
  options.stage_timeout = positive_duration(section["stage_timeout"], options.stage_timeout);
  options.capture_timeout = positive_duration(section["capture_timeout"], options.capture_timeout);
  options.description_max_tokens =
      token_count(section["description_max_tokens"], options.description_max_tokens);
  options.emotion_max_tokens =
      token_count(section["emotion_max_tokens"], options.emotion_max_tokens);

  const ConfigNode services = section["services"];
  options.services.face_detector = services["face_detector"].string_or({});
  options.services.emotion_reader = services["emotion_reader"].string_or({});
  options.services.object_detector = services["object_detector"].string_or({});
  options.services.vision_language_model = services["vision_language_model"].string_or({});
  options.services.camera = services["camera"].string_or({});
  return options;
}

}  // namespace seer::agents
