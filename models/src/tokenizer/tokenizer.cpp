#include <algorithm>
#include <cstddef>
#include <utility>

#include "byte_level.hpp"
#include "tokenizer_impl.hpp"
#include "utf8.hpp"

namespace seer::models {
namespace {

std::optional<TokenId> find_added(const std::vector<AddedToken>& tokens, std::string_view content) {
  for (const AddedToken& token : tokens) {
    if (token.content == content) return token.id;
  }
  return std::nullopt;
}

}  // namespace

Qwen2Tokenizer::Impl::Impl(tokenizer::TokenizerParts parts)
    : source(parts.source),
      model(std::move(parts.vocabulary), parts.merges, parts.source),
      added_tokens(std::move(parts.added_tokens)),
      splitter(parts.pretokenizer_pattern),
      nfc(parts.nfc) {
  TokenId highest = -1;
  for (const auto& [token, id] : model.vocabulary()) highest = std::max(highest, id);
  for (const AddedToken& token : added_tokens.tokens()) highest = std::max(highest, token.id);
  const std::size_t size = highest < 0 ? 0 : static_cast<std::size_t>(highest) + 1;
  token_of_id.resize(size);
  bytes_of_id.resize(size);
  kind_of_id.resize(size, IdKind::unknown);

  for (const auto& [token, id] : model.vocabulary()) {
    if (id < 0) throw TokenizerError("tokenizer: " + source + ": negative id for '" + token + "'");
    const auto index = static_cast<std::size_t>(id);
    token_of_id[index] = token;
    // Like the reference decoder: a token outside the byte alphabet decodes to its own text.
    bytes_of_id[index] = tokenizer::byte_level_to_bytes(token).value_or(token);
    kind_of_id[index] = IdKind::regular;
  }
  for (const AddedToken& token : added_tokens.tokens()) {
    if (token.id < 0) {
      throw TokenizerError("tokenizer: " + source + ": negative id for '" + token.content + "'");
    }
    const auto index = static_cast<std::size_t>(token.id);
    token_of_id[index] = token.content;
    bytes_of_id[index] = token.content;
    kind_of_id[index] = token.special ? IdKind::special : IdKind::added;
  }
  const auto& all = added_tokens.tokens();
  special_ids = {find_added(all, "<|endoftext|>"), find_added(all, "<|im_start|>"),
                 find_added(all, "<|im_end|>"), find_added(all, "<|vision_start|>"),
                 find_added(all, "<|vision_end|>")};
}

Qwen2Tokenizer::Qwen2Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Qwen2Tokenizer::Qwen2Tokenizer(Qwen2Tokenizer&&) noexcept = default;
Qwen2Tokenizer& Qwen2Tokenizer::operator=(Qwen2Tokenizer&&) noexcept = default;
Qwen2Tokenizer::~Qwen2Tokenizer() = default;

Qwen2Tokenizer Qwen2Tokenizer::load(const std::filesystem::path& tokenizer_json) {
  return Qwen2Tokenizer(std::make_unique<Impl>(tokenizer::read_tokenizer_json(tokenizer_json)));
}

Qwen2Tokenizer Qwen2Tokenizer::load_vocab_merges(const std::filesystem::path& vocab_json,
                                                 const std::filesystem::path& merges_txt,
                                                 std::vector<AddedToken> added_tokens) {
  tokenizer::TokenizerParts parts = tokenizer::read_vocab_merges(vocab_json, merges_txt);
  parts.added_tokens = std::move(added_tokens);
  return Qwen2Tokenizer(std::make_unique<Impl>(std::move(parts)));
}

Qwen2Tokenizer Qwen2Tokenizer::load_directory(const std::filesystem::path& directory) {
  if (std::filesystem::exists(directory / "tokenizer.json")) {
    return load(directory / "tokenizer.json");
  }
  const std::filesystem::path vocab = directory / "vocab.json";
  const std::filesystem::path merges = directory / "merges.txt";
  if (std::filesystem::exists(vocab) && std::filesystem::exists(merges)) {
    const std::filesystem::path config = directory / "tokenizer_config.json";
    return load_vocab_merges(
        vocab, merges,
        std::filesystem::exists(config) ? read_added_tokens(config) : std::vector<AddedToken>{});
  }
  throw TokenizerError(directory.string() +
                       ": no tokenizer.json, nor vocab.json with merges.txt (give the tokenizer "
                       "file explicitly)");
}

std::vector<AddedToken> Qwen2Tokenizer::read_added_tokens(
    const std::filesystem::path& tokenizer_config_json) {
  return tokenizer::read_added_tokens_decoder(tokenizer_config_json);
}

std::vector<TokenId> Qwen2Tokenizer::encode(std::string_view text, bool allow_special) const {
  if (!tokenizer::is_valid_utf8(text)) {
    throw TokenizerError("tokenizer: text to encode is not valid UTF-8");
  }
  std::vector<TokenId> ids;
  std::vector<std::string_view> pieces;
  // Added tokens are found in the raw text first, so normalisation never touches them.
  for (const tokenizer::TextSegment& segment : impl_->added_tokens.split(text, allow_special)) {
    if (segment.added_token) {
      ids.push_back(*segment.added_token);
      continue;
    }
    const std::string normalized =
        impl_->nfc ? tokenizer::nfc_normalize(segment.text) : std::string(segment.text);
    pieces.clear();
    impl_->splitter.split(normalized, pieces);
    for (std::string_view piece : pieces) {
      const std::vector<TokenId> piece_ids = impl_->model.encode_piece(piece);
      ids.insert(ids.end(), piece_ids.begin(), piece_ids.end());
    }
  }
  return ids;
}

void Qwen2Tokenizer::append_token_bytes(TokenId id, std::string& out, bool skip_special) const {
  if (id < 0 || static_cast<std::size_t>(id) >= impl_->kind_of_id.size()) return;
  const auto index = static_cast<std::size_t>(id);
  const Impl::IdKind kind = impl_->kind_of_id[index];
  if (kind == Impl::IdKind::unknown || (skip_special && kind == Impl::IdKind::special)) return;
  out.append(impl_->bytes_of_id[index]);
}

std::string Qwen2Tokenizer::decode(std::span<const TokenId> ids, bool skip_special) const {
  std::string bytes;
  for (const TokenId id : ids) append_token_bytes(id, bytes, skip_special);
  std::string text;
  text.reserve(bytes.size());
  tokenizer::append_utf8_lossy(bytes, text, /*at_end=*/true);
  return text;
}

std::optional<TokenId> Qwen2Tokenizer::token_to_id(std::string_view token) const {
  if (const auto added = find_added(impl_->added_tokens.tokens(), token)) return added;
  const auto& vocabulary = impl_->model.vocabulary();
  const auto found = vocabulary.find(std::string(token));
  if (found == vocabulary.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> Qwen2Tokenizer::id_to_token(TokenId id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= impl_->kind_of_id.size()) return std::nullopt;
  const auto index = static_cast<std::size_t>(id);
  if (impl_->kind_of_id[index] == Impl::IdKind::unknown) return std::nullopt;
  return impl_->token_of_id[index];
}

std::size_t Qwen2Tokenizer::vocab_size() const { return impl_->kind_of_id.size(); }

bool Qwen2Tokenizer::is_special(TokenId id) const {
  return id >= 0 && static_cast<std::size_t>(id) < impl_->kind_of_id.size() &&
         impl_->kind_of_id[static_cast<std::size_t>(id)] == Impl::IdKind::special;
}

const Qwen2SpecialIds& Qwen2Tokenizer::special_ids() const { return impl_->special_ids; }

}  // namespace seer::models
