#pragma once

// UTF-8 helpers the tokenizer needs: validation, NFC and lossy decoding of byte streams.

#include <cstddef>
#include <string>
#include <string_view>

namespace seer::models::tokenizer {

bool is_valid_utf8(std::string_view bytes);

// Canonical composition (NFC) through utf8proc; `text` must be valid UTF-8.
std::string nfc_normalize(std::string_view text);

// Appends `bytes` to `out`, replacing each ill-formed sequence with U+FFFD (one per maximal
// subpart, as Rust's from_utf8_lossy does). When `at_end` is false an incomplete but so far
// well-formed sequence at the end is left unconsumed. Returns the number of bytes consumed.
std::size_t append_utf8_lossy(std::string_view bytes, std::string& out, bool at_end);

}  // namespace seer::models::tokenizer
