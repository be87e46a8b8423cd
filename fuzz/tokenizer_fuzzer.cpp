// The Qwen2 tokenizer (the real tokenizer.json from the assets, as BAGEL uses it) on arbitrary
// bytes: encoded as text, and read as token ids to decode. Round trips checked:
//   decode(encode(text)) == NFC(text) for valid UTF-8 without '<' (an added token matched in
//     the raw text is left out of normalisation, so NFC would then differ at its edges);
//   the streaming decoder's pieces joined == decode(ids), for any ids.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "seer/models/tokenizer.hpp"
#include "tokenizer/utf8.hpp"

namespace models = seer::models;

namespace {

std::filesystem::path tokenizer_path() {
  if (const char* assets = std::getenv("SEER_ASSETS_DIR")) {
    return std::filesystem::path(assets) / "tokenizer/tokenizer.json";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "") /
         ".cache/seer/assets/tokenizer/tokenizer.json";
}

const models::Qwen2Tokenizer& tokenizer() {
  static const models::Qwen2Tokenizer loaded = [] {
    const std::filesystem::path path = tokenizer_path();
    if (!std::filesystem::exists(path)) {
      std::fprintf(stderr, "%s is missing: run tools/dev/fetch-assets.sh\n", path.c_str());
      std::exit(1);
    }
    return models::Qwen2Tokenizer::load(path);
  }();
  return loaded;
}

void check_encode_round_trip(std::string_view text) {
  const bool valid = models::tokenizer::is_valid_utf8(text);
  std::vector<models::TokenId> ids;
  try {
    ids = tokenizer().encode(text, /*allow_special=*/false);
  } catch (const models::TokenizerError&) {
    if (valid) std::abort();  // only invalid UTF-8 may be refused
    return;
  }
  if (!valid) std::abort();
  if (text.find('<') == std::string_view::npos &&
      tokenizer().decode(ids) != models::tokenizer::nfc_normalize(text)) {
    std::abort();
  }
  static_cast<void>(tokenizer().encode(text, /*allow_special=*/true));
}

// Ids spread over the vocabulary, with one unknown id on each side of it.
std::vector<models::TokenId> ids_of(const std::uint8_t* data, std::size_t size) {
  const auto span = static_cast<std::uint32_t>(tokenizer().vocab_size() + 2);
  std::vector<models::TokenId> ids;
  for (std::size_t offset = 0; offset + 4 <= size; offset += 4) {
    std::uint32_t raw = 0;
    std::memcpy(&raw, data + offset, sizeof raw);
    ids.push_back(static_cast<models::TokenId>(raw % span) - 1);
  }
  return ids;
}

void check_streaming_decode(const std::vector<models::TokenId>& ids, bool skip_special) {
  models::StreamingDecoder streaming(tokenizer(), skip_special);
  std::string joined;
  for (const models::TokenId id : ids) joined += streaming.push(id);
  joined += streaming.finish();
  if (joined != tokenizer().decode(ids, skip_special)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_encode_round_trip(std::string_view(reinterpret_cast<const char*>(data), size));
  const std::vector<models::TokenId> ids = ids_of(data, size);
  check_streaming_decode(ids, false);
  check_streaming_decode(ids, true);
  return 0;
}
