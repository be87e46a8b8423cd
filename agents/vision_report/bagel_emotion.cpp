#include "bagel_emotion.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace seer::agents {
namespace {

// Common answers mapped to the expression net's class names, so both sources compare.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kSynonyms{{
    {"happiness", "happy"},
    {"joy", "happy"},
    {"joyful", "happy"},
    {"smiling", "happy"},
    {"sadness", "sad"},
    {"anger", "angry"},
    {"fear", "fearful"},
    {"afraid", "fearful"},
    {"scared", "fearful"},
    {"disgust", "disgusted"},
    {"surprise", "surprised"},
    {"calm", "neutral"},
    {"neutrality", "neutral"},
    {"expressionless", "neutral"},
}};

std::string first_word(std::string_view answer) {
  std::string word;
  for (const char c : answer) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalpha(byte)) {
      word += static_cast<char>(std::tolower(byte));
    } else if (!word.empty()) {
      break;
    }
  }
  return word;
}

}  // namespace

ReportedEmotion emotion_from_answer(std::string_view answer) {
  std::string label = first_word(answer);
  for (const auto& [synonym, name] : kSynonyms) {
    if (label == synonym) label = name;
  }
  if (label.empty()) label = "unknown";
  return {label, {}, "bagel", std::string(answer)};
}

}  // namespace seer::agents
