#include "safetensors/nearest_keys.hpp"

#include <algorithm>
#include <utility>

namespace seer::models::safetensors {

namespace {

// Levenshtein distance with one rolling row.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> nearest_keys(std::string_view wanted, const std::vector<std::string>& keys,
                                      std::size_t count) {
  std::vector<std::pair<std::size_t, const std::string*>> scored;
  scored.reserve(keys.size());
  for (const std::string& key : keys) scored.emplace_back(edit_distance(wanted, key), &key);
  const std::size_t kept = std::min(count, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept),
                    scored.end());
  std::vector<std::string> nearest;
  for (std::size_t i = 0; i < kept; ++i) nearest.push_back(*scored[i].second);
  return nearest;
}

}  // namespace seer::models::safetensors
