// Agents are bound to the running plugins when they start; what they name must exist, and
// what is missing is pointed at in the agent's file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_test_support.hpp"

namespace seer::agents::test {
namespace {

using ::testing::HasSubstr;

std::string start_problems(const std::string& plugins, const std::string& agent) {
  try {
    AgentWorld world("seer: {log: {level: off}}\nplugins:\n" + plugins + "agents:\n" + agent,
                     {{"scripted", std::make_shared<ScriptedChatModel>()}});
  } catch (const AgentDefinitionError& error) {
    return error.what();
  }
  return "started";
}

TEST(AgentBinding, AnUnknownBackendPluginIsNamedWithWhatIsConfigured) {
  const std::string problems =
      start_problems(camera_and_faces_yaml(), "  - name: a\n    llm: {backend: ollama}\n");
  EXPECT_THAT(problems, HasSubstr("world.yaml:9:20: error: key 'agents[0].llm.backend': "
                                  "unknown plugin instance 'ollama'"));
  EXPECT_THAT(problems, HasSubstr("configured: webcam, faces"));
}

TEST(AgentBinding, ABackendThatIsNoChatModelIsRefused) {
  EXPECT_THAT(start_problems(camera_and_faces_yaml(), "  - name: a\n    llm: {backend: faces}\n"),
              HasSubstr("plugin instance 'faces' (plugin faces) provides no chat model"));
}

TEST(AgentBinding, AnAgentThatSeesNeedsACamera) {
  const std::string problems =
      start_problems("  faces: {detector: haar}\n", "  - name: a\n    llm: {backend: scripted}\n");
  EXPECT_THAT(problems, HasSubstr("world.yaml:5:"));
  EXPECT_THAT(problems, HasSubstr("agent 'a' sees, but there is no camera"));
}

TEST(AgentBinding, ANamedCameraMustExist) {
  const std::string problems = start_problems(
      camera_and_faces_yaml(), "  - name: a\n    vision:\n      services: {camera: frontdoor}\n");
  EXPECT_THAT(problems, HasSubstr("world.yaml:10:"));
  EXPECT_THAT(problems, HasSubstr("'frontdoor'"));
}

TEST(AgentBinding, AnAgentWithoutEyesNeedsNoCamera) {
  EXPECT_EQ(start_problems("  faces: {detector: haar}\n",
                           "  - name: a\n    llm: {backend: scripted}\n    vision: {enabled: "
                           "false}\n"),
            "started");
}

TEST(AgentBinding, EveryAgentIsCheckedBeforeAnyStarts) {
  const std::string problems =
      start_problems("  faces: {detector: haar}\n",
                     "  - {name: a, llm: {backend: nothing}, vision: {enabled: false}}\n"
                     "  - {name: b}\n");
  EXPECT_THAT(problems, HasSubstr("unknown plugin instance 'nothing'"));
  EXPECT_THAT(problems, HasSubstr("agent 'b' sees, but there is no camera"));
}

}  // namespace
}  // namespace seer::agents::test
