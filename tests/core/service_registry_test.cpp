#include <seer/service_registry.hpp>
#include <seer/services/camera.hpp>
#include <seer/services/light_controller.hpp>

#include <gtest/gtest.h>

namespace seer {
namespace {

class FakeLights final : public LightController {
 public:
  explicit FakeLights(std::string id) : id_(std::move(id)) {}
  std::vector<std::string> lights() const override { return {id_}; }
  std::optional<LightState> state(const std::string&) const override { return std::nullopt; }
  void set(const std::string&, const LightState&) override {}

 private:
  std::string id_;
};

TEST(ServiceRegistry, FindsByInterfaceAndName) {
  ServiceRegistry registry;
  registry.add<LightController>("zigbee", std::make_shared<FakeLights>("desk"), "mqtt");
  registry.add<LightController>("tasmota", std::make_shared<FakeLights>("hall"), "mqtt");
  EXPECT_EQ(registry.get<LightController>("zigbee")->lights(), std::vector<std::string>{"desk"});
  EXPECT_EQ(registry.find<LightController>("tasmota")->lights(), std::vector<std::string>{"hall"});
  EXPECT_EQ(registry.find<LightController>("hue"), nullptr);
  EXPECT_EQ(registry.find<Camera>("zigbee"), nullptr) << "same name, other interface";
  EXPECT_EQ(registry.names<LightController>(), (std::vector<std::string>{"zigbee", "tasmota"}));
}

TEST(ServiceRegistry, GetWithoutANameNeedsExactlyOne) {
  ServiceRegistry registry;
  EXPECT_THROW(registry.get<LightController>(), ServiceNotFound);
  registry.add<LightController>("zigbee", std::make_shared<FakeLights>("desk"));
  EXPECT_NE(registry.get<LightController>(), nullptr);
  registry.add<LightController>("tasmota", std::make_shared<FakeLights>("hall"));
  try {
    (void)registry.get<LightController>();
    FAIL() << "two are registered";
  } catch (const ServiceNotFound& error) {
    EXPECT_STREQ(error.what(),
                 "cannot find a seer.light_controller/1 service: several are registered, name "
                 "one (registered: 'zigbee', 'tasmota')");
  }
}

TEST(ServiceRegistry, MissingServiceErrorListsWhatExists) {
  ServiceRegistry registry;
  registry.add<LightController>("zigbee", std::make_shared<FakeLights>("desk"));
  try {
    (void)registry.get<LightController>("hue");
    FAIL();
  } catch (const ServiceNotFound& error) {
    EXPECT_STREQ(error.what(),
                 "cannot find the seer.light_controller/1 service 'hue': it is not registered "
                 "(registered: 'zigbee')");
  }
}

TEST(ServiceRegistry, RefusesDuplicatesAndNull) {
  ServiceRegistry registry;
  registry.add<LightController>("zigbee", std::make_shared<FakeLights>("desk"), "mqtt");
  EXPECT_THROW(registry.add<LightController>("zigbee", std::make_shared<FakeLights>("x"), "other"),
               std::invalid_argument);
  EXPECT_THROW(registry.add<LightController>("null", nullptr), std::invalid_argument);
}

TEST(ServiceRegistry, RemovesEverythingAProviderRegistered) {
  ServiceRegistry registry;
  registry.add<LightController>("a", std::make_shared<FakeLights>("1"), "mqtt");
  registry.add<LightController>("b", std::make_shared<FakeLights>("2"), "mqtt");
  registry.add<LightController>("c", std::make_shared<FakeLights>("3"), "tasmota");
  registry.remove_provider("mqtt");
  EXPECT_EQ(registry.names<LightController>(), std::vector<std::string>{"c"});
  EXPECT_TRUE(registry.remove(LightController::interface_id, "c"));
  EXPECT_FALSE(registry.remove(LightController::interface_id, "c"));
  EXPECT_TRUE(registry.entries().empty());
}

TEST(ServiceRegistry, KeepaliveOutlivesTheServiceObject) {
  ServiceRegistry registry;
  auto keepalive = std::make_shared<int>(7);
  std::weak_ptr<int> watch = keepalive;
  auto lights = std::make_shared<FakeLights>("desk");
  std::weak_ptr<FakeLights> watch_lights = lights;
  registry.add<LightController>("a", std::move(lights), "p", std::move(keepalive));
  auto held = registry.get<LightController>("a");
  registry.remove_provider("p");
  EXPECT_FALSE(watch.expired()) << "a caller still holds the service";
  held.reset();
  EXPECT_TRUE(watch_lights.expired());
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace seer
