// The emotion plugin's configuration: defaults, the asset-cache default model path, errors.

#include "emotion_settings.hpp"

#include <seer/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace seer::emotion {
namespace {

ConfigNode yaml(std::string_view text) {
  return ConfigNode::load_string(text, "emotion-test.yaml");
}

// Sets or unsets an environment variable for one scope, restoring it afterwards.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

constexpr const char* kManifest = "face-api/face_expression_model-weights_manifest.json";

TEST(EmotionSettings, DefaultsToOneThreadBilinearAndTheCachedModel) {
  const ScopedEnvironment assets("SEER_ASSETS_DIR", "/srv/seer-assets");
  const EmotionSettings settings = read_emotion_settings(yaml("{}"));
  EXPECT_EQ(settings.model, std::filesystem::path("/srv/seer-assets") / kManifest);
  EXPECT_EQ(settings.threads, 1);
  EXPECT_EQ(settings.resize, models::FaceResize::bilinear);
}

TEST(EmotionSettings, DefaultModelFollowsFetchAssetsCacheWhenNoAssetsDirIsSet) {
  const ScopedEnvironment assets("SEER_ASSETS_DIR", nullptr);
  {
    const ScopedEnvironment cache("SEER_CACHE", "/var/cache/seer");
    EXPECT_EQ(default_model_path(), std::filesystem::path("/var/cache/seer/assets") / kManifest);
  }
  const ScopedEnvironment cache("SEER_CACHE", nullptr);
  {
    const ScopedEnvironment xdg("XDG_CACHE_HOME", "/home/me/.xdg");
    EXPECT_EQ(default_model_path(), std::filesystem::path("/home/me/.xdg/seer/assets") / kManifest);
  }
  const ScopedEnvironment xdg("XDG_CACHE_HOME", nullptr);
  const ScopedEnvironment home("HOME", "/home/me");
  EXPECT_EQ(default_model_path(), std::filesystem::path("/home/me/.cache/seer/assets") / kManifest);
}

TEST(EmotionSettings, ReadsEveryKey) {
  const EmotionSettings settings =
      read_emotion_settings(yaml("model: /models/fe.json\nthreads: 2\nresize: area\n"));
  EXPECT_EQ(settings.model, "/models/fe.json");
  EXPECT_EQ(settings.threads, 2);
  EXPECT_EQ(settings.resize, models::FaceResize::area);
}

TEST(EmotionSettings, BadValuesAreErrorsAtTheirKey) {
  try {
    read_emotion_settings(yaml("threads: 0\n"));
    ADD_FAILURE() << "threads: 0 accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), "threads");
    EXPECT_NE(error.message().find("between 1 and 64"), std::string::npos) << error.what();
  }
  try {
    read_emotion_settings(yaml("resize: cubic\n"));
    ADD_FAILURE() << "resize: cubic accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), "resize");
  }
  EXPECT_THROW(read_emotion_settings(yaml("model: ''\n")), ConfigError);
}

TEST(EmotionSettings, SchemaListsEveryKeyAndRejectsOutOfRangeThreads) {
  const ConfigSchema schema = emotion_config_schema();
  for (const char* key : {"model", "threads", "resize"}) EXPECT_NE(schema.find(key), nullptr);
  EXPECT_FALSE(schema.validate(yaml("threads: 0\n")).empty());
  EXPECT_TRUE(schema.validate(yaml("threads: 2\nresize: area\n")).empty());
}

}  // namespace
}  // namespace seer::emotion
