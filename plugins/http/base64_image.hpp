#pragma once
// Images as Ollama clients send them: standard base64 of an encoded file (PNG, JPEG, ...).

#include <seer/image.hpp>

#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace seer::http {

// Bad input from the client: the message says what and becomes a 400.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws BadRequest for text that is not base64. A "data:...;base64," prefix is tolerated.
std::vector<std::byte> decode_base64(std::string_view text);
// Decodes base64 then the image in it; throws BadRequest naming `what` ("image 1").
Image decode_base64_image(std::string_view text, std::string_view what);

}  // namespace seer::http
