// Agent files: the shipped ones load; broken ones are refused with file:line:col and the key.
#include <seer/agents/agent_definition.hpp>
#include <seer/agents/agent_host.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace seer::agents {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kAgentsDir = std::filesystem::path(SEER_SOURCE_DIR) / "configs/agents";

std::string problems_of(const std::string& yaml) {
  try {
    read_agent_definition(ConfigNode::load_string(yaml, "bad.yaml"));
  } catch (const AgentDefinitionError& error) {
    return error.what();
  }
  return "no error";
}

TEST(AgentDefinition, SophiaLoadsWithHerLookTriggerAndLights) {
  const AgentDefinition sophia = load_agent_file(kAgentsDir / "sophia.yaml");
  EXPECT_EQ(sophia.name, "sophia");
  EXPECT_THAT(sophia.persona, HasSubstr("You are Sophia"));
  EXPECT_EQ(sophia.llm.backend, "ollama");
  EXPECT_FLOAT_EQ(sophia.llm.options.temperature, 0.7f);
  EXPECT_EQ(sophia.llm.options.max_new_tokens, 256);
  EXPECT_EQ(sophia.llm.options.context_length, 8192);
  ASSERT_TRUE(sophia.llm.keep_alive);
  EXPECT_EQ(*sophia.llm.keep_alive, std::chrono::minutes(30));
  EXPECT_EQ(sophia.vision.report.services.camera, "webcam");
  EXPECT_EQ(sophia.vision.freshness, std::chrono::seconds(30));
  EXPECT_EQ(sophia.vision.report.describe_prompt, kDefaultDescribePrompt);
  ASSERT_EQ(sophia.triggers.size(), 1u);
  EXPECT_EQ(sophia.triggers[0].action, kLookAction);
  EXPECT_THAT(sophia.triggers[0].phrases, ::testing::Contains("look at me"));
  EXPECT_THAT(sophia.triggers[0].phrases, ::testing::Contains("how do I look"));
  EXPECT_EQ(sophia.tools.lights.size(), 2u);
  EXPECT_EQ(sophia.memory.max_tokens, 3000);
}

TEST(AgentDefinition, TheSecurityCameraReportsOverMqttWithACooldownAndNoChatModel) {
  const AgentDefinition camera = load_agent_file(kAgentsDir / "security-cam.yaml");
  EXPECT_EQ(camera.name, "security-cam");
  EXPECT_TRUE(camera.llm.backend.empty());
  ASSERT_EQ(camera.triggers.size(), 3u);
  for (const TriggerDefinition& trigger : camera.triggers) {
    EXPECT_EQ(trigger.action, kReportAction) << trigger.name;
    EXPECT_EQ(trigger.cooldown, std::chrono::seconds(60)) << trigger.name;
    ASSERT_TRUE(trigger.publish) << trigger.name;
    EXPECT_EQ(trigger.publish->topic, "seer/security-cam/scene");
    EXPECT_EQ(trigger.publish->qos, 1);
  }
  EXPECT_FALSE(camera.tools.snapshot);
}

TEST(AgentDefinition, AnUnknownKeyIsAnErrorAtItsLine) {
  EXPECT_THAT(problems_of("name: a\nvision:\n  freshnes: 3s\n"),
              HasSubstr("bad.yaml:3:3: error: key 'vision.freshnes'"));
}

TEST(AgentDefinition, ABadNameIsRefused) {
  EXPECT_THAT(problems_of("name: my agent\n"),
              HasSubstr("bad.yaml:1:7: error: key 'name': 'my agent' is not a usable agent name"));
}

TEST(AgentDefinition, ATriggerWithoutAnActionIsRefusedAtItsLine) {
  const std::string problems =
      problems_of("name: a\ntriggers:\n  - name: door\n    mqtt: {topic: door/contact}\n");
  EXPECT_THAT(problems, HasSubstr("bad.yaml:3:"));
  EXPECT_THAT(problems, HasSubstr("triggers[0]"));
  EXPECT_THAT(problems, HasSubstr("action"));
}

TEST(AgentDefinition, ATriggerWithAnActionAgentsDoNotHaveIsRefused) {
  const std::string problems =
      problems_of("name: a\ntriggers:\n  - phrases: [hello]\n    action: dance\n");
  EXPECT_THAT(problems, HasSubstr("bad.yaml:4:"));
  EXPECT_THAT(problems, HasSubstr("dance"));
}

TEST(AgentDefinition, ALightWithAnUnknownDialectIsRefusedAtItsLine) {
  const std::string problems =
      problems_of("name: a\ntools:\n  lights:\n    - {name: lamp, dialect: hue, topic: x/lamp}\n");
  EXPECT_THAT(problems, HasSubstr("bad.yaml:4:"));
  EXPECT_THAT(problems, HasSubstr("tools.lights[0].dialect"));
  EXPECT_THAT(problems, HasSubstr("hue"));
}

TEST(AgentDefinition, EveryAgentOfASectionIsCheckedAndTwoWithOneNameAreRefused) {
  const auto directory = std::filesystem::temp_directory_path() / "seer-agent-section-test";
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "one.yaml") << "name: twin\n";
  std::ofstream(directory / "seer.yaml") << "agents:\n  - one.yaml\n  - {name: twin}\n"
                                         << "  - missing.yaml\n  - {name: b, colour: red}\n";
  try {
    read_agents_section(ConfigNode::load_file(directory / "seer.yaml")["agents"]);
    ADD_FAILURE() << "the section was accepted";
  } catch (const AgentDefinitionError& error) {
    ASSERT_EQ(error.problems().size(), 3u) << error.what();
    EXPECT_THAT(error.problems()[0], HasSubstr("seer.yaml:3:"));
    EXPECT_THAT(error.problems()[0], HasSubstr("a second agent named 'twin'"));
    EXPECT_THAT(error.problems()[1], HasSubstr("seer.yaml:4:"));
    EXPECT_THAT(error.problems()[1], HasSubstr("no agent file"));
    EXPECT_THAT(error.problems()[2], HasSubstr("seer.yaml:5:"));
    EXPECT_THAT(error.problems()[2], HasSubstr("colour"));
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace seer::agents
