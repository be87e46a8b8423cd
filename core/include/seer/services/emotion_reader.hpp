#pragma once
#include <seer/image.hpp>

#include <string>
#include <utility>
#include <vector>

namespace seer {

struct EmotionReading {
  std::vector<std::pair<std::string, float>> probabilities;  // label → probability
  std::string top_label;
};

// Reads the mood of one face crop.
class EmotionReader {
 public:
  static constexpr std::string_view interface_id = "seer.emotion_reader/1";
  virtual ~EmotionReader() = default;
  virtual EmotionReading read(const Image& face) = 0;
};

}  // namespace seer
