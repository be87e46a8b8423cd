// The tfjs weights manifest reader on arbitrary text. An accepted manifest has groups with
// paths, and weights whose byte counts do not overflow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "seer/models/tfjs_weights_error.hpp"
#include "tfjs/manifest.hpp"

namespace tfjs = seer::models::tfjs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const tfjs::ManifestGroup& group : tfjs::parse_manifest(text, "fuzz.json")) {
      if (group.paths.empty()) std::abort();
      for (const tfjs::ManifestWeight& weight : group.weights) {
        if (weight.element_count() < 0) std::abort();
        static_cast<void>(weight.byte_count());
      }
    }
  } catch (const seer::models::TfjsWeightsError&) {
    // Refused with a message naming the file.
  }
  return 0;
}
