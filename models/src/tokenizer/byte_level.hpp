#pragma once

// GPT-2's byte-level alphabet: every byte is shown as one printable Unicode character, so
// BPE tokens are strings of those characters and never contain raw control bytes or spaces.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace seer::models::tokenizer {

// The UTF-8 text of the character that stands for each byte.
const std::array<std::string, 256>& byte_level_alphabet();

// The byte a byte-level character stands for, or nullopt for any other code point.
std::optional<unsigned char> byte_of_character(char32_t character);

// The raw bytes behind a vocabulary token; nullopt when a character is outside the alphabet.
std::optional<std::string> byte_level_to_bytes(std::string_view token);

}  // namespace seer::models::tokenizer
