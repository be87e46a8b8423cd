#include <seer/host/dependency_order.hpp>

#include <algorithm>

namespace seer {
namespace {

enum class Mark { unvisited, visiting, done };

struct OrderSearch {
  const std::vector<std::vector<std::size_t>>& dependencies;
  const std::vector<std::string>& names;
  std::vector<Mark> marks;
  std::vector<std::size_t> path;
  std::vector<std::size_t> order;

  void visit(std::size_t item) {
    if (marks[item] == Mark::done) return;
    if (marks[item] == Mark::visiting) throw DependencyCycle(describe_cycle(item));
    marks[item] = Mark::visiting;
    path.push_back(item);
    for (std::size_t dependency : dependencies[item]) visit(dependency);
    path.pop_back();
    marks[item] = Mark::done;
    order.push_back(item);
  }

  std::string describe_cycle(std::size_t repeated) const {
    auto start = std::find(path.begin(), path.end(), repeated);
    std::string text = "dependency cycle: ";
    for (auto it = start; it != path.end(); ++it) text += names[*it] + " → ";
    return text + names[repeated];
  }
};

}  // namespace

std::vector<std::size_t> dependency_order(const std::vector<std::vector<std::size_t>>& dependencies,
                                          const std::vector<std::string>& names) {
  // Depth-first in the given order: each item lands right after what it needs.
  OrderSearch search{
      dependencies, names, std::vector<Mark>(dependencies.size(), Mark::unvisited), {}, {}};
  for (std::size_t item = 0; item < dependencies.size(); ++item) search.visit(item);
  return search.order;
}

}  // namespace seer
