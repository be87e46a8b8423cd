#include <stdexcept>
#include <string>

#include "seer/models/safetensors.hpp"

namespace seer::models {

at::ScalarType float_dtype_named(std::string_view name, const at::Device& device) {
  if (name.empty()) return device.is_cpu() ? at::kFloat : at::kBFloat16;
  if (name == "float32") return at::kFloat;
  if (name == "bfloat16") return at::kBFloat16;
  if (name == "float16") return at::kHalf;
  throw std::invalid_argument("dtype must be float32, bfloat16 or float16, not " +
                              std::string(name));
}

}  // namespace seer::models
