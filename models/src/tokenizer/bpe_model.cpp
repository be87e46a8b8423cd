#include "bpe_model.hpp"

#include <cstddef>
#include <queue>

#include "byte_level.hpp"

namespace seer::models::tokenizer {
namespace {

constexpr std::size_t kCacheCapacity = 1 << 16;
constexpr std::size_t kLongestCachedPiece = 256;

// One symbol of the word being merged, linked to its live neighbours.
struct Symbol {
  TokenId id;
  int prev;
  int next;
};

// A merge that was possible when queued; stale once either side has changed.
struct Candidate {
  std::int32_t rank;
  int left;
  TokenId left_id;
  TokenId right_id;
  TokenId merged;
};

// Lowest rank first, then leftmost, like the reference implementation.
struct LaterCandidate {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
  }
};

}  // namespace

BpeModel::BpeModel(std::unordered_map<std::string, TokenId> vocabulary,
                   const std::vector<MergeRule>& merges, const std::string& source)
    : vocabulary_(std::move(vocabulary)) {
  const auto& alphabet = byte_level_alphabet();
  for (std::size_t byte = 0; byte < 256; ++byte) {
    const auto found = vocabulary_.find(alphabet[byte]);
    id_of_byte_[byte] = found == vocabulary_.end() ? -1 : found->second;
  }
  merges_.reserve(merges.size());
  const auto id_of = [&](const std::string& token, std::size_t rank) {
    const auto found = vocabulary_.find(token);
    if (found == vocabulary_.end()) {
      throw TokenizerError("tokenizer: " + source + ": merge " + std::to_string(rank) + " uses '" +
                           token + "', which is not in the vocabulary");
    }
    return found->second;
  };
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const TokenId left_id = id_of(left, rank);
    const TokenId right_id = id_of(right, rank);
    const TokenId merged = id_of(left + right, rank);
    // A repeated pair keeps its first (best) rank.
    merges_.emplace(pair_key(left_id, right_id),
                    MergeResult{static_cast<std::int32_t>(rank), merged});
  }
}

std::vector<TokenId> BpeModel::encode_piece(std::string_view raw_bytes) const {
  const bool cacheable = raw_bytes.size() <= kLongestCachedPiece;
  if (cacheable) {
    const std::lock_guard lock(cache_mutex_);
    const auto found = cache_.find(std::string(raw_bytes));
    if (found != cache_.end()) return found->second;
  }
  std::vector<TokenId> ids = merge(raw_bytes);
  if (cacheable) {
    const std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::string(raw_bytes), ids);
  }
  return ids;
}

std::vector<TokenId> BpeModel::merge(std::string_view raw_bytes) const {
  std::vector<Symbol> symbols;
  symbols.reserve(raw_bytes.size());
  for (std::size_t i = 0; i < raw_bytes.size(); ++i) {
    const TokenId id = id_of_byte_[static_cast<unsigned char>(raw_bytes[i])];
    if (id < 0) {
      throw TokenizerError("tokenizer: the vocabulary has no token for byte " +
                           std::to_string(static_cast<unsigned char>(raw_bytes[i])));
    }
    const int index = static_cast<int>(i);
    symbols.push_back({id, index - 1, index + 1});
  }
  if (!symbols.empty()) symbols.back().next = -1;

  std::priority_queue<Candidate, std::vector<Candidate>, LaterCandidate> queue;
  const auto consider = [&](int left) {
    if (left < 0 || symbols[static_cast<std::size_t>(left)].next < 0) return;
    const Symbol& a = symbols[static_cast<std::size_t>(left)];
    const Symbol& b = symbols[static_cast<std::size_t>(a.next)];
    const auto found = merges_.find(pair_key(a.id, b.id));
    if (found != merges_.end()) {
      queue.push({found->second.rank, left, a.id, b.id, found->second.merged});
    }
  };
  for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) consider(i);

  std::vector<bool> merged_away(symbols.size(), false);
  while (!queue.empty()) {
    const Candidate best = queue.top();
    queue.pop();
    Symbol& left = symbols[static_cast<std::size_t>(best.left)];
    // Equal ids mean the same pair (ids only ever grow into longer tokens), so still valid.
    if (merged_away[static_cast<std::size_t>(best.left)] || left.id != best.left_id ||
        left.next < 0 || symbols[static_cast<std::size_t>(left.next)].id != best.right_id) {
      continue;
    }
    const int right_index = left.next;
    const Symbol right = symbols[static_cast<std::size_t>(right_index)];
    merged_away[static_cast<std::size_t>(right_index)] = true;
    left.id = best.merged;
    left.next = right.next;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = best.left;
    consider(left.prev);
    consider(best.left);
  }

  std::vector<TokenId> ids;
  for (int i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
    ids.push_back(symbols[static_cast<std::size_t>(i)].id);
  }
  return ids;
}

}  // namespace seer::models::tokenizer
