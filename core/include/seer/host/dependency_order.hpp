#pragma once
// Orders items so that each comes after everything it depends on.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace seer {

class DependencyCycle : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `dependencies[i]` lists the indices item i depends on. Returns indices in start order,
// keeping the given order where dependencies allow. Throws DependencyCycle naming the cycle
// ("a → b → a") with `names`.
std::vector<std::size_t> dependency_order(const std::vector<std::vector<std::size_t>>& dependencies,
                                          const std::vector<std::string>& names);

}  // namespace seer
