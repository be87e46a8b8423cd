#pragma once
#include <seer/image.hpp>
#include <seer/services/generation.hpp>

#include <stop_token>
#include <string>
#include <vector>

namespace seer {

struct VisionRequest {
  std::vector<Image> images;
  std::string prompt;
  GenerationOptions options;
};

class VisionLanguageModel {
 public:
  static constexpr std::string_view interface_id = "seer.vision_language_model/1";
  virtual ~VisionLanguageModel() = default;
  virtual GenerationResult generate(const VisionRequest& request, const TokenCallback& on_piece,
                                    std::stop_token cancel) = 0;
};

}  // namespace seer
