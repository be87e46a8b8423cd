#include <seer/host/dependency_order.hpp>

#include <gtest/gtest.h>

namespace seer {
namespace {

TEST(DependencyOrder, KeepsGivenOrderWithoutDependencies) {
  EXPECT_EQ(dependency_order({{}, {}, {}}, {"a", "b", "c"}), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(DependencyOrder, PutsDependenciesFirst) {
  // agent(0) needs camera(2) and faces(1); faces needs camera.
  EXPECT_EQ(dependency_order({{2, 1}, {2}, {}}, {"agent", "faces", "camera"}),
            (std::vector<std::size_t>{2, 1, 0}));
}

TEST(DependencyOrder, NamesTheCycle) {
  try {
    (void)dependency_order({{1}, {2}, {0}, {}}, {"a", "b", "c", "d"});
    FAIL();
  } catch (const DependencyCycle& cycle) {
    EXPECT_STREQ(cycle.what(), "dependency cycle: a → b → c → a");
  }
  EXPECT_THROW((void)dependency_order({{0}}, {"self"}), DependencyCycle);
}

}  // namespace
}  // namespace seer
