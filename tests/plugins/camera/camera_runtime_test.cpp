// The camera as the runtime runs it: the plugin library loaded by the real loader, configured
// from YAML, its service in the registry and its health on the bus as seer/health/<instance>.

#include "camera_test_support.hpp"
#include "event_collector.hpp"
#include "synthetic_video.hpp"

#include <seer/host/runtime.hpp>

#include <opencv2/imgcodecs.hpp>

#include <gtest/gtest.h>

namespace seer::camera::test {
namespace {

namespace fs = std::filesystem;

// The index of the first health event at or after `from` in `state`, waiting for it.
std::optional<std::size_t> wait_for_health(seer::test::EventCollector& health, std::string state,
                                           std::size_t from) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto events = health.events();
    for (std::size_t i = from; i < events.size(); ++i) {
      if (events[i]->payload.at("state").as_string() == state) return i;
    }
    health.wait_for(events.size() + 1, 100ms);
  }
  return std::nullopt;
}

TEST(CameraRuntime, LoadedPluginReportsHealthOnTheBusAndRecovers) {
  TempDir temp;
  const fs::path slides = temp.path() / "slides";
  fs::create_directories(slides);
  cv::imwrite((slides / "one.jpg").string(), clip_frame(ClipSpec{.size = {64, 48}}, 0));

  std::vector<ConfigDiagnostic> diagnostics;
  const ConfigNode root = ConfigNode::load_string(
      "plugins:\n"
      "  front:\n"
      "    plugin: camera\n"
      "    source: {images: " +
          slides.string() +
          ", rate: 20}\n"
          "    reconnect: {initial: 50ms, max: 200ms}\n",
      "seer.yaml");
  Runtime runtime(read_runtime_config(root, diagnostics), PluginLoader({SEER_PLUGIN_BUILD_DIR}));
  const auto found = runtime.prepare();
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  for (const auto& diagnostic : diagnostics) ADD_FAILURE() << diagnostic.to_string();

  seer::test::EventCollector health;
  auto subscription = runtime.bus().subscribe("seer/health/front", health.handler());
  runtime.start();
  auto ready = wait_for_health(health, "ready", 0);
  ASSERT_TRUE(ready);
  EXPECT_EQ(runtime.registry().get<Camera>("front")->snapshot(kPatience).width, 64);

  fs::rename(slides, temp.path() / "gone");
  const auto degraded = wait_for_health(health, "degraded", *ready + 1);
  ASSERT_TRUE(degraded);
  const std::string reason(health.events()[*degraded]->payload.at("reason").as_string());
  EXPECT_NE(reason.find(slides.string()), std::string::npos) << reason;
  fs::rename(temp.path() / "gone", slides);
  ASSERT_TRUE(wait_for_health(health, "ready", *degraded + 1));

  EXPECT_TRUE(runtime.stop());
  EXPECT_EQ(runtime.registry().find<Camera>("front"), nullptr) << "removed at stop";
}

}  // namespace
}  // namespace seer::camera::test
