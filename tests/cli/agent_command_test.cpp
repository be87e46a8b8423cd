// `seer agent` as a user runs it: one turn of an agent from the terminal over the real
// plugins, and agent files that must be refused with file:line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_assets.hpp"

namespace seer::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSeer = SEER_BINARY;

// A configuration file in a fresh folder, removed again at the end of the test.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text)
      : directory_(fs::temp_directory_path() /
                   ("seer-agent-cli-" +
                    std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::create_directories(directory_);
    std::ofstream(path()) << text;
  }
  ~ConfigFile() { fs::remove_all(directory_); }
  fs::path path() const { return directory_ / "seer.yaml"; }
  const fs::path& directory() const { return directory_; }

 private:
  fs::path directory_;
};

std::string plugins_yaml() {
  return "seer: {log: {level: error}}\nplugins:\n  webcam:\n    plugin: camera\n"
         "    source: {images: " +
         asset("photos/grace_hopper.jpg").string() + "}\n  faces: {detector: haar}\n";
}

TEST(SeerAgent, AnUnknownChatModelPluginIsRefusedWithFileAndLine) {
  const ConfigFile config(plugins_yaml() +
                          "agents:\n  - name: sophia\n    llm: {backend: ollama}\n");
  const Completed result =
      run_to_completion({kSeer, "agent", "--config", config.path().string(), "--say", "hi"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config.path().string() +
                                    ":9:20: error: key 'agents[0].llm.backend': unknown plugin "
                                    "instance 'ollama'"));
}

TEST(SeerConfigCheck, ReadsTheAgentFilesItNames) {
  const ConfigFile config(plugins_yaml() + "agents:\n  - broken.yaml\n");
  std::ofstream(config.directory() / "broken.yaml")
      << "name: sophia\ntools:\n  lights:\n    - {name: lamp, dialect: hue, topic: x/lamp}\n";
  const Completed result = run_to_completion({kSeer, "config", "check", config.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr((config.directory() / "broken.yaml").string() + ":4:"));
  EXPECT_THAT(result.err, HasSubstr("unknown light dialect 'hue'"));
}

TEST(SeerConfigCheck, TheShippedAgentsAreValid) {
#ifdef SEER_TEST_WITH_TORCH  // configs/default.yaml runs the emotion plugin (libtorch)
  const Completed result = run_to_completion(
      {kSeer, "config", "check", std::string(SEER_SOURCE_DIR) + "/configs/default.yaml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1 agent(s)"));
#endif
  const ConfigFile config("agents:\n  - " + std::string(SEER_SOURCE_DIR) +
                          "/configs/agents/security-cam.yaml\n");
  EXPECT_EQ(run_to_completion({kSeer, "config", "check", config.path().string()}).exit_code, 0);
}

#ifdef SEER_TEST_WITH_TORCH
std::string bagel_config() {
  return plugins_yaml() + "  bagel:\n    model: " + std::string(SEER_SOURCE_DIR) +
         "/tests/fixtures/bagel-tiny\n    tokenizer: " +
         asset("tokenizer/tokenizer.json").string() +
         "\nagents:\n  - name: sophia\n    llm: {backend: bagel, options: {num_predict: 4}}\n"
         "    vision: {services: {camera: webcam}, description_max_tokens: 2}\n"
         "    triggers: [{phrases: [look at me], action: look}]\n";
}

TEST(SeerAgent, LookAtMePrintsTheStreamedReplyAndTheInjectedReport) {
  const ConfigFile config(bagel_config());
  const Completed result = run_to_completion(
      {kSeer, "agent", "--config", config.path().string(), "--say", "look at me"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("--- injected into the prompt ---\n[Vision report from camera"));
  EXPECT_THAT(result.out, HasSubstr("One person is in view"));
}

TEST(SeerAgent, JsonGivesTheReplyTheObservationAndTheReport) {
  const ConfigFile config(bagel_config());
  const Completed result = run_to_completion(
      {kSeer, "agent", "--config", config.path().string(), "--say", "look at me", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto reply = boost::json::parse(result.out).as_object();
  EXPECT_EQ(reply.at("agent"), "sophia");
  EXPECT_TRUE(reply.at("reply").is_string());
  EXPECT_GT(reply.at("eval_count").as_int64(), 0);
  EXPECT_THAT(std::string(reply.at("observation").as_string()), HasSubstr("[Vision report"));
  EXPECT_EQ(reply.at("vision_report").at("faces").as_array().size(), 1u);
}
#endif

}  // namespace
}  // namespace seer::test
