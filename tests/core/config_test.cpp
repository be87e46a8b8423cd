// Tests of configuration loading, env substitution, includes and schema validation. The
// kBrokenCases table pairs every broken file in config_cases/ with the exact message it gives.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <seer/config.hpp>
#include <set>
#include <string>
#include <vector>

#include "config/env_substitution.hpp"

namespace seer {
namespace {

namespace fs = std::filesystem;

// Never set: missing_env.yaml and the default cases rely on that.
constexpr const char* kUnsetVariable = "SEER_TEST_UNSET_VARIABLE";

fs::path cases_dir() {
  return (fs::path(SEER_TEST_DATA_DIR) / "core" / "config_cases").lexically_normal();
}

// Messages name files by the path they were loaded with; drop the directory of the cases.
std::string relative_to_cases(std::string text) {
  const std::string prefix = cases_dir().string() + "/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
  return text;
}

ConfigField bounded(std::string key, ConfigType type, double minimum, double maximum) {
  ConfigField field;
  field.key = std::move(key);
  field.type = type;
  field.minimum = minimum;
  field.maximum = maximum;
  return field;
}

// A small runtime-like schema the case files are written against.
ConfigSchema test_schema() {
  ConfigSchema schedule;
  schedule.required("cron", ConfigType::string, "when to fire");
  schedule.optional("every", ConfigType::duration, "repeat interval");

  ConfigSchema plugin;
  plugin.optional("enabled", ConfigType::boolean, "start it", "true");
  plugin.list_of("schedules", schedule, "when it runs");

  ConfigSchema server;
  server.required("name", ConfigType::string, "shown in logs");
  server.add(bounded("port", ConfigType::integer, 1, 65535));
  server.optional("host", ConfigType::string, "address to bind");

  ConfigField plugins;
  plugins.key = "plugins";
  plugins.type = ConfigType::map;
  plugins.nested = std::make_shared<const ConfigSchema>(plugin);

  ConfigSchema root;
  root.object("server", server, "the server");
  root.optional("tick_interval", ConfigType::duration, "how often to tick", "1s");
  root.add(bounded("timeout", ConfigType::duration, 0.1, 60));
  root.choice("log_level", {"trace", "debug", "info", "warn", "error"}, "log level", "info");
  root.add(bounded("ratio", ConfigType::number, 0, 1));
  root.optional("enabled", ConfigType::boolean, "run at all");
  root.list_of("tags", ConfigType::string, "labels");
  root.add(plugins);
  root.object("extra", ConfigSchema().allow_unknown_keys(), "free-form settings");
  return root;
}

// What loading and validating a file reports: the load error, or every diagnostic.
std::string report_for(const fs::path& file) {
  try {
    const ConfigNode root = ConfigNode::load_file(file);
    std::string report;
    for (const ConfigDiagnostic& diagnostic : test_schema().validate(root)) {
      if (!report.empty()) report += "\n";
      report += diagnostic.to_string();
    }
    return relative_to_cases(report);
  } catch (const ConfigError& error) {
    return relative_to_cases(error.what());
  }
}

// The what() of the ConfigError that `read` throws.
std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv(kUnsetVariable); }
};

// ---------------------------------------------------------------------------------------------
// The table of broken files.

struct BrokenCase {
  const char* file;
  const char* expected;
};

const BrokenCase kBrokenCases[] = {
    {"bad_indent.yaml",
     "bad_indent.yaml:4:8: key 'server.host': YAML syntax error: illegal map value"},
    {"tab_character.yaml",
     "tab_character.yaml:4:1: key 'server.host': YAML syntax error: illegal tab when looking "
     "for indentation"},
    {"unclosed_quote.yaml",
     "unclosed_quote.yaml:3:9: key 'server.name': YAML syntax error: missing closing \""},
    {"duplicate_key.yaml",
     "duplicate_key.yaml:5:3: key 'server.port': duplicate key (first defined at line 4)"},
    {"two_documents.yaml", "two_documents.yaml:4:1: expected one YAML document, found 2"},
    {"unknown_tag.yaml",
     "unknown_tag.yaml:2:16: key 'tick_interval': unknown tag '!env' (the only tag seer reads "
     "is !include)"},
    {"include_missing.yaml",
     "include_missing.yaml:3:10: key 'plugins.clock': cannot include "
     "'fragments/does_not_exist.yaml': file not found"},
    {"include_cycle_a.yaml",
     "include_cycle_b.yaml:2:12: key 'plugins.clock.schedules': include cycle: "
     "include_cycle_a.yaml -> include_cycle_b.yaml -> include_cycle_a.yaml"},
    {"include_cycle_b.yaml",
     "include_cycle_a.yaml:3:10: key 'schedules.plugins.clock': include cycle: "
     "include_cycle_b.yaml -> include_cycle_a.yaml -> include_cycle_b.yaml"},
    {"include_syntax_error.yaml",
     "fragments/broken_clock.yaml:7:6: key 'plugins.clock.schedules[1].every': YAML syntax "
     "error: end of map not found"},
    {"wrong_type.yaml",
     "wrong_type.yaml:4:9: error: key 'server.port': expected integer, got 'eighty'"},
    {"env_default_wrong_type.yaml",
     "env_default_wrong_type.yaml:4:9: error: key 'server.port': expected integer, got 'eighty' "
     "(from '${SEER_TEST_UNSET_VARIABLE:-eighty}')"},
    {"unknown_key.yaml",
     "unknown_key.yaml:2:1: warning: key 'tick_intervl': unknown key 'tick_intervl' (did you "
     "mean 'tick_interval'?)\n"
     "unknown_key.yaml:3:1: warning: key 'colour': unknown key 'colour'"},
    {"missing_env.yaml",
     "missing_env.yaml:4:9: error: key 'server.host': environment variable "
     "'SEER_TEST_UNSET_VARIABLE' is not set and has no default"},
    {"bad_duration.yaml",
     "bad_duration.yaml:2:16: error: key 'tick_interval': expected a duration such as 500ms, 2s, "
     "1m\n"
     "bad_duration.yaml:3:10: error: key 'timeout': expected a duration such as 500ms, 2s, 1m"},
    {"bad_choice.yaml",
     "bad_choice.yaml:2:12: error: key 'log_level': must be one of: trace, debug, info, warn, "
     "error"},
    {"missing_required.yaml",
     "missing_required.yaml:2:1: error: key 'server.name': missing required key"},
    {"out_of_range.yaml",
     "out_of_range.yaml:4:9: error: key 'server.port': must be at most 65535\n"
     "out_of_range.yaml:5:8: error: key 'ratio': must be at most 1\n"
     "out_of_range.yaml:6:10: error: key 'timeout': must be at least 0.1s"},
    {"not_a_map.yaml", "not_a_map.yaml:2:1: error: expected map, got a list"},
    {"nested_errors.yaml",
     "nested_errors.yaml:4:14: error: key 'plugins.clock.enabled': expected boolean, got 'maybe'\n"
     "nested_errors.yaml:7:16: error: key 'plugins.clock.schedules[0].every': expected a "
     "duration such as 500ms, 2s, 1m\n"
     "nested_errors.yaml:8:9: error: key 'plugins.clock.schedules[1].cron': missing required "
     "key\n"
     "nested_errors.yaml:9:9: error: key 'plugins.clock.schedules[2]': expected map, got "
     "'hourly'\n"
     "nested_errors.yaml:10:11: error: key 'plugins.lights': expected map, got '5'"},
    {"bad_scalars.yaml",
     "bad_scalars.yaml:4:9: error: key 'server.port': expected integer, got '12abc'\n"
     "bad_scalars.yaml:5:8: error: key 'ratio': expected number, got '0.5x'\n"
     "bad_scalars.yaml:6:10: error: key 'enabled': expected boolean, got 'perhaps'\n"
     "bad_scalars.yaml:7:16: error: key 'tags[1]': expected string, got a map"},
};

class BrokenConfigTest : public ::testing::TestWithParam<BrokenCase> {
 protected:
  void SetUp() override { unsetenv(kUnsetVariable); }
};

TEST_P(BrokenConfigTest, ReportsExactMessage) {
  EXPECT_EQ(report_for(cases_dir() / GetParam().file), GetParam().expected);
}

// Test names from file names: bad_indent.yaml runs as ConfigCases/BrokenConfigTest.../bad_indent.
std::string case_name(const ::testing::TestParamInfo<BrokenCase>& param) {
  std::string name = fs::path(param.param.file).stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(ConfigCases, BrokenConfigTest, ::testing::ValuesIn(kBrokenCases),
                         case_name);

TEST(ConfigCasesTable, CoversEveryFileInTheDirectory) {
  std::set<std::string> listed;
  for (const BrokenCase& broken : kBrokenCases) listed.insert(broken.file);
  std::set<std::string> present;
  for (const auto& entry : fs::directory_iterator(cases_dir())) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      present.insert(entry.path().filename().string());
    }
  }
  EXPECT_EQ(listed, present);
}

TEST_F(ConfigTest, ValidFixtureHasNoDiagnostics) {
  const ConfigNode root = ConfigNode::load_file(cases_dir() / "valid" / "seer.yaml");
  std::vector<std::string> reports;
  for (const auto& diagnostic : test_schema().validate(root)) {
    reports.push_back(diagnostic.to_string());
  }
  EXPECT_EQ(reports, std::vector<std::string>{});
  EXPECT_EQ(root["server"]["port"].as_int(), 8095);
  EXPECT_EQ(root["server"]["host"].as_string(), "${NOT_A_VARIABLE}");
}

// ---------------------------------------------------------------------------------------------
// Env substitution.

std::optional<std::string> fake_environment(const std::string& name) {
  static const std::map<std::string, std::string> kVariables = {
      {"HOST", "camera.local"}, {"PORT", "8095"}, {"EMPTY", ""}};
  const auto found = kVariables.find(name);
  if (found == kVariables.end()) return std::nullopt;
  return found->second;
}

std::string substitute(std::string_view text) {
  return config::substitute_env(text, fake_environment);
}

std::string substitution_error(std::string_view text) {
  try {
    substitute(text);
  } catch (const config::EnvSubstitutionError& error) {
    return error.what();
  }
  return "no error";
}

TEST(EnvSubstitution, LeavesTextWithoutReferencesAlone) {
  EXPECT_EQ(substitute(""), "");
  EXPECT_EQ(substitute("plain text"), "plain text");
  EXPECT_EQ(substitute("costs $5, $HOST is not a reference, nor is $"),
            "costs $5, $HOST is not a reference, nor is $");
}

TEST(EnvSubstitution, ReplacesSetVariables) {
  EXPECT_EQ(substitute("${HOST}"), "camera.local");
  EXPECT_EQ(substitute("http://${HOST}:${PORT}/feed"), "http://camera.local:8095/feed");
  EXPECT_EQ(substitute("[${EMPTY}]"), "[]");
}

TEST(EnvSubstitution, UsesDefaultWhenUnsetOrEmpty) {
  EXPECT_EQ(substitute("${MISSING:-8080}"), "8080");
  EXPECT_EQ(substitute("${EMPTY:-fallback}"), "fallback");
  EXPECT_EQ(substitute("${PORT:-8080}"), "8095");
  EXPECT_EQ(substitute("${MISSING:-}"), "");
  EXPECT_EQ(substitute("${MISSING:-a:-b $x}"), "a:-b $x");
}

TEST(EnvSubstitution, DoubleDollarBraceIsALiteral) {
  EXPECT_EQ(substitute("$${HOST}"), "${HOST}");
  EXPECT_EQ(substitute("$${MISSING}"), "${MISSING}");
  EXPECT_EQ(substitute("$$ stays"), "$$ stays");
}

TEST(EnvSubstitution, UnsetVariableWithoutDefaultNamesIt) {
  EXPECT_EQ(substitution_error("${HOST} ${NOT_THERE}"),
            "environment variable 'NOT_THERE' is not set and has no default");
}

TEST(EnvSubstitution, RejectsMalformedReferences) {
  EXPECT_EQ(substitution_error("${HOST"), "unclosed '${' (write '$${' for a literal '${')");
  EXPECT_EQ(substitution_error("${}"),
            "invalid variable reference '${}' (expected ${NAME} or ${NAME:-default})");
  EXPECT_EQ(substitution_error("${1ST}"),
            "invalid variable reference '${1ST}' (expected ${NAME} or ${NAME:-default})");
  EXPECT_EQ(substitution_error("${PORT:8080}"),
            "invalid variable reference '${PORT:8080}' (expected ${NAME} or ${NAME:-default})");
}

TEST_F(ConfigTest, ScalarAccessorsReadTheProcessEnvironment) {
  setenv("SEER_TEST_PORT", "9001", 1);
  const ConfigNode root = ConfigNode::load_string(
      "port: ${SEER_TEST_PORT}\n"
      "fallback: ${SEER_TEST_UNSET_VARIABLE:-7}\n"
      "missing: ${SEER_TEST_UNSET_VARIABLE}\n",
      "env.yaml");
  EXPECT_EQ(root["port"].as_int(), 9001);
  EXPECT_EQ(root["fallback"].int_or(0), 7);
  EXPECT_EQ(error_of([&] { root["missing"].string_or("unused"); }),
            "env.yaml:3:10: key 'missing': environment variable 'SEER_TEST_UNSET_VARIABLE' is not "
            "set and has no default");
  unsetenv("SEER_TEST_PORT");
}

// ---------------------------------------------------------------------------------------------
// Scalars.

ConfigNode value_of(const std::string& yaml_value) {
  return ConfigNode::load_string("value: " + yaml_value + "\n", "scalar.yaml")["value"];
}

TEST_F(ConfigTest, ReadsBooleansInAnyCase) {
  for (const char* yes : {"true", "True", "YES", "yes", "on", "On"}) {
    EXPECT_TRUE(value_of(yes).as_bool()) << yes;
  }
  for (const char* no : {"false", "FALSE", "no", "No", "off", "OFF"}) {
    EXPECT_FALSE(value_of(no).as_bool()) << no;
  }
  EXPECT_EQ(error_of([] { value_of("maybe").as_bool(); }),
            "scalar.yaml:1:8: key 'value': expected boolean, got 'maybe'");
}

TEST_F(ConfigTest, ReadsWholeIntegersOnly) {
  EXPECT_EQ(value_of("42").as_int(), 42);
  EXPECT_EQ(value_of("-7").as_int(), -7);
  EXPECT_EQ(value_of("+7").as_int(), 7);
  EXPECT_EQ(value_of("9223372036854775807").as_int(), INT64_MAX);
  for (const char* bad : {"12abc", "1.5", "0x10", "'+-1'", "'' ", "' 12'", "abc"}) {
    EXPECT_THROW(value_of(bad).as_int(), ConfigError) << bad;
  }
  EXPECT_EQ(error_of([] { value_of("12abc").as_int(); }),
            "scalar.yaml:1:8: key 'value': expected integer, got '12abc'");
  EXPECT_EQ(error_of([] { value_of("9223372036854775808").as_int(); }),
            "scalar.yaml:1:8: key 'value': expected a 64-bit integer, got "
            "'9223372036854775808'");
}

TEST_F(ConfigTest, ReadsFiniteNumbers) {
  EXPECT_DOUBLE_EQ(value_of("0.25").as_double(), 0.25);
  EXPECT_DOUBLE_EQ(value_of("-3").as_double(), -3);
  EXPECT_DOUBLE_EQ(value_of("+1e3").as_double(), 1000);
  for (const char* bad : {"1.5x", "nan", "inf", "1e999", "''", "one"}) {
    EXPECT_THROW(value_of(bad).as_double(), ConfigError) << bad;
  }
  EXPECT_EQ(error_of([] { value_of("1.5x").as_double(); }),
            "scalar.yaml:1:8: key 'value': expected number, got '1.5x'");
}

TEST_F(ConfigTest, ReadsStringsAndStringLists) {
  const ConfigNode root = ConfigNode::load_string(
      "name: front door\nquoted: '42'\nlist: [a, 'b c', 3]\nmap: {a: 1}\n", "strings.yaml");
  EXPECT_EQ(root["name"].as_string(), "front door");
  EXPECT_EQ(root["quoted"].as_string(), "42");
  EXPECT_EQ(root["list"].as_string_list(), (std::vector<std::string>{"a", "b c", "3"}));
  EXPECT_EQ(error_of([&] { root["map"].as_string(); }),
            "strings.yaml:4:1: key 'map': expected string, got a map");
  EXPECT_EQ(error_of([&] { root["name"].as_string_list(); }),
            "strings.yaml:1:7: key 'name': expected list, got 'front door'");
  EXPECT_EQ(error_of([&] { root["absent"].as_string_list(); }),
            "strings.yaml:1:1: key 'absent': missing required key");
}

TEST_F(ConfigTest, MessagesShortenLongValues) {
  const std::string long_value(100, 'x');
  EXPECT_EQ(
      error_of([&] { value_of(long_value).as_int(); }),
      "scalar.yaml:1:8: key 'value': expected integer, got '" + std::string(60, 'x') + "...'");
}

// ---------------------------------------------------------------------------------------------
// Durations.

struct DurationCase {
  const char* text;
  long long milliseconds;
};

TEST_F(ConfigTest, ReadsDurations) {
  const DurationCase cases[] = {
      {"250ms", 250}, {"2s", 2000}, {"1.5m", 90'000}, {"1h", 3'600'000}, {"1d", 86'400'000},
      {"30", 30'000}, {"0.5", 500}, {".25s", 250},    {"0", 0},          {"'1.5s'", 1500},
  };
  for (const DurationCase& c : cases) {
    EXPECT_EQ(value_of(c.text).as_duration().count(), c.milliseconds) << c.text;
  }
}

TEST_F(ConfigTest, RejectsNegativeAndMalformedDurations) {
  for (const char* bad : {"-2s", "5 minutes", "1e3s", "2S", "ms", "1.2.3s", "1w", "''", "s5", "nan",
                          "inf", "1e400"}) {
    EXPECT_EQ(error_of([&] { value_of(bad).as_duration(); }),
              "scalar.yaml:1:8: key 'value': expected a duration such as 500ms, 2s, 1m")
        << bad;
  }
}

TEST_F(ConfigTest, SubstitutesBeforeReadingADuration) {
  EXPECT_EQ(value_of("${SEER_TEST_UNSET_VARIABLE:-750ms}").as_duration(), Duration(750));
}

// ---------------------------------------------------------------------------------------------
// Nodes, key paths and locations.

TEST_F(ConfigTest, MissingKeyIsUndefinedAtItsParent) {
  const ConfigNode root = ConfigNode::load_string("top: 1\nserver:\n  port: 80\n", "paths.yaml");
  const ConfigNode missing = root["server"]["host"];
  EXPECT_FALSE(missing.defined());
  EXPECT_EQ(missing.key_path(), "server.host");
  EXPECT_EQ(missing.location().file, "paths.yaml");
  EXPECT_EQ(missing.location().line, 2);
  EXPECT_EQ(missing.location().column, 1);
  EXPECT_EQ(error_of([&] { missing.as_string(); }),
            "paths.yaml:2:1: key 'server.host': missing required key");

  const ConfigNode deeper = missing["a"][3];
  EXPECT_FALSE(deeper.defined());
  EXPECT_EQ(deeper.key_path(), "server.host.a[3]");
  EXPECT_EQ(deeper.location().line, 2);
}

TEST_F(ConfigTest, FallbacksCoverMissingAndEmptyButNotWrongTypes) {
  const ConfigNode root = ConfigNode::load_string(
      "empty:\ntilde: ~\nword: hello\ncount: 3\nflag: on\n", "fallbacks.yaml");
  EXPECT_TRUE(root["empty"].is_null());
  EXPECT_TRUE(root["tilde"].is_null());
  EXPECT_EQ(root["absent"].string_or("x"), "x");
  EXPECT_EQ(root["empty"].int_or(5), 5);
  EXPECT_EQ(root["tilde"].bool_or(true), true);
  EXPECT_EQ(root["absent"].double_or(1.5), 1.5);
  EXPECT_EQ(root["absent"].duration_or(Duration(20)), Duration(20));
  EXPECT_EQ(root["count"].int_or(0), 3);
  EXPECT_EQ(root["flag"].bool_or(false), true);
  EXPECT_EQ(error_of([&] { root["word"].int_or(0); }),
            "fallbacks.yaml:3:7: key 'word': expected integer, got 'hello'");
  EXPECT_EQ(error_of([&] { root["empty"].as_string(); }),
            "fallbacks.yaml:1:1: key 'empty': expected string, got an empty value");
}

TEST_F(ConfigTest, LocatesScalarsWhereWrittenAndCollectionsAtTheirKeys) {
  const ConfigNode root = ConfigNode::load_string(
      "# comment\n"
      "plugins:\n"
      "  clock:\n"
      "    schedules:\n"
      "      - cron: '0 * * * *'\n"
      "      - cron: hourly\n"
      "        every: 1h\n"
      "    empty:\n",
      "where.yaml");
  const ConfigNode schedules = root["plugins"]["clock"]["schedules"];
  EXPECT_EQ(root.location().line, 2);
  EXPECT_EQ(schedules.location().line, 4);
  EXPECT_EQ(schedules.location().column, 5);
  const ConfigNode second = schedules[1];
  EXPECT_EQ(second.key_path(), "plugins.clock.schedules[1]");
  EXPECT_EQ(second.location().line, 6);
  EXPECT_EQ(second.location().column, 9);
  const ConfigNode every = second["every"];
  EXPECT_EQ(every.key_path(), "plugins.clock.schedules[1].every");
  EXPECT_EQ(every.location().line, 7);
  EXPECT_EQ(every.location().column, 16);
  EXPECT_EQ(every.error("too often").what(),
            std::string("where.yaml:7:16: key 'plugins.clock.schedules[1].every': too often"));
  const ConfigNode empty = root["plugins"]["clock"]["empty"];
  EXPECT_TRUE(empty.is_null());
  EXPECT_EQ(empty.location().line, 8);
  EXPECT_EQ(empty.location().column, 5);
}

TEST_F(ConfigTest, ListsEntriesInFileOrderAndItems) {
  const ConfigNode root = ConfigNode::load_string("b: 1\na: 2\nc: [x, y]\n", "order.yaml");
  std::vector<std::string> keys;
  for (const auto& [key, value] : root.entries()) keys.push_back(key + "=" + value.key_path());
  EXPECT_EQ(keys, (std::vector<std::string>{"b=b", "a=a", "c=c"}));
  EXPECT_EQ(root.size(), 3u);
  EXPECT_EQ(root["c"].size(), 2u);
  EXPECT_EQ(root["c"].items().at(1).as_string(), "y");
  EXPECT_EQ(root["c"].items().at(1).key_path(), "c[1]");
  EXPECT_FALSE(root["c"][2].defined());
  EXPECT_EQ(root["c"][2].key_path(), "c[2]");
  EXPECT_TRUE(root["absent"].entries().empty());
  EXPECT_TRUE(root["absent"].items().empty());
  EXPECT_EQ(root["a"].size(), 0u);
}

TEST_F(ConfigTest, IndexingTheWrongKindOfNodeNamesIt) {
  const ConfigNode root = ConfigNode::load_string("a: 1\nlist: [1]\nmap: {k: v}\n", "kinds.yaml");
  EXPECT_EQ(error_of([&] { root["a"]["b"]; }), "kinds.yaml:1:4: key 'a': expected map, got '1'");
  EXPECT_EQ(error_of([&] { root["list"]["b"]; }),
            "kinds.yaml:2:1: key 'list': expected map, got a list");
  EXPECT_EQ(error_of([&] { root["map"][0]; }),
            "kinds.yaml:3:1: key 'map': expected list, got a map");
  EXPECT_EQ(error_of([&] { root["map"].items(); }),
            "kinds.yaml:3:1: key 'map': expected list, got a map");
  EXPECT_EQ(error_of([&] { root["list"].entries(); }),
            "kinds.yaml:2:1: key 'list': expected map, got a list");
}

TEST_F(ConfigTest, ConfigErrorKeepsItsParts) {
  const ConfigError error({"parts.yaml", 4, 2}, "a.b[1]", "broken");
  EXPECT_EQ(std::string(error.what()), "parts.yaml:4:2: key 'a.b[1]': broken");
  EXPECT_EQ(error.location().file, "parts.yaml");
  EXPECT_EQ(error.location().line, 4);
  EXPECT_EQ(error.location().column, 2);
  EXPECT_EQ(error.key_path(), "a.b[1]");
  EXPECT_EQ(error.message(), "broken");
}

TEST_F(ConfigTest, RootErrorsHaveNoKey) {
  const ConfigNode root = ConfigNode::load_string("- 1\n", "root.yaml");
  EXPECT_TRUE(root.is_sequence());
  EXPECT_EQ(root.key_path(), "");
  EXPECT_EQ(std::string(root.error("not wanted").what()), "root.yaml:1:1: not wanted");
}

TEST_F(ConfigTest, EmptyDocumentIsNull) {
  const ConfigNode root = ConfigNode::load_string("# nothing here\n", "empty.yaml");
  EXPECT_TRUE(root.defined());
  EXPECT_TRUE(root.is_null());
  EXPECT_EQ(root["x"].int_or(4), 4);
  EXPECT_EQ(root.location().line, 1);
}

TEST_F(ConfigTest, DefaultConstructedNodeIsUndefinedAndCopiesShare) {
  ConfigNode node;
  EXPECT_FALSE(node.defined());
  EXPECT_EQ(node.key_path(), "");
  EXPECT_EQ(node.string_or("x"), "x");
  const ConfigNode loaded = ConfigNode::load_string("a: 1\n", "copy.yaml");
  node = loaded["a"];
  const ConfigNode copy(node);
  EXPECT_EQ(copy.as_int(), 1);
  EXPECT_EQ(copy.key_path(), "a");
}

TEST_F(ConfigTest, UnreadableFileIsReportedWithoutAPosition) {
  const fs::path missing = cases_dir() / "no_such_file.yaml";
  EXPECT_EQ(error_of([&] { ConfigNode::load_file(missing); }),
            missing.string() + ": cannot load configuration: file not found");
  EXPECT_EQ(error_of([&] { ConfigNode::load_file(cases_dir()); }),
            cases_dir().string() + ": cannot load configuration: is a directory");
}

TEST_F(ConfigTest, SyntaxErrorsNameTheNearestKey) {
  // The error is reported on the `every` line; its item is the second of the list.
  EXPECT_EQ(error_of([] {
              ConfigNode::load_string("a:\n  b:\n    - x: 1\n    - x: 2\n      y: [1, 2\n",
                                      "near.yaml");
            }),
            "near.yaml:6:1: key 'a.b[1].y': YAML syntax error: end of sequence flow not found");
  EXPECT_EQ(error_of([] { ConfigNode::load_string("a: b: c\n", "inline.yaml"); }),
            "inline.yaml:1:5: key 'a': YAML syntax error: illegal map value");
  EXPECT_EQ(
      error_of([] { ConfigNode::load_string("list:\n- one\n- two: 2\n three: 3\n", "dash.yaml"); }),
      "dash.yaml:4:2: key 'list[1].three': YAML syntax error: end of sequence not found");
}

// Found by fuzz/config_fuzzer: yaml-cpp 0.7's LoadAll loops forever, allocating, on a
// document that starts with ',' (a typo in a comment line): seer hung and took all memory.
TEST_F(ConfigTest, AStrayCommaIsASyntaxErrorNotAnEndlessLoop) {
  EXPECT_EQ(
      error_of([] { ConfigNode::load_string("# seer\n,\nseer: {threads: 2}\n", "comma.yaml"); }),
      "comma.yaml:2:1: YAML syntax error: unexpected ',' where a value should start");
  EXPECT_EQ(error_of([] { ConfigNode::load_string(",", "bare.yaml"); }),
            "bare.yaml:1:1: YAML syntax error: unexpected ',' where a value should start");
  EXPECT_EQ(error_of([] { ConfigNode::load_string("a: 1\n---\nb: 2\n", "two.yaml"); }),
            "two.yaml:3:1: expected one YAML document, found 2");
}

TEST_F(ConfigTest, UnclosedSingleQuoteIsASyntaxError) {
  EXPECT_EQ(error_of([] { ConfigNode::load_string("a: 'it''s\n", "single.yaml"); }),
            "single.yaml:1:4: key 'a': YAML syntax error: missing closing '");
  EXPECT_EQ(ConfigNode::load_string("a: 'it''s'\n", "single.yaml")["a"].as_string(), "it's");
  EXPECT_EQ(ConfigNode::load_string("a: \"say \\\"hi\\\"\"\n", "double.yaml")["a"].as_string(),
            "say \"hi\"");
}

// ---------------------------------------------------------------------------------------------
// Includes.

TEST_F(ConfigTest, IncludedNodesReportTheIncludedFile) {
  const fs::path valid = cases_dir() / "valid";
  const ConfigNode root = ConfigNode::load_file(valid / "seer.yaml");

  const ConfigNode clock = root["plugins"]["clock"];
  EXPECT_EQ(clock.key_path(), "plugins.clock");
  EXPECT_EQ(clock.location().file, (valid / "plugins" / "clock.yaml").string());
  EXPECT_EQ(clock.location().line, 2);
  EXPECT_TRUE(clock["enabled"].as_bool());

  const ConfigNode schedules = clock["schedules"];
  EXPECT_EQ(schedules.location().file, (valid / "plugins" / "schedules.yaml").string());
  EXPECT_EQ(schedules.size(), 2u);

  const ConfigNode cron = schedules[1]["cron"];
  EXPECT_EQ(cron.key_path(), "plugins.clock.schedules[1].cron");
  EXPECT_EQ(cron.location().file, (valid / "plugins" / "schedules.yaml").string());
  EXPECT_EQ(cron.location().line, 3);
  EXPECT_EQ(cron.location().column, 9);
  EXPECT_EQ(cron.as_string(), "30 6 * * *");

  EXPECT_EQ(relative_to_cases(clock["missing"].error("needed").what()),
            "valid/plugins/clock.yaml:2:1: key 'plugins.clock.missing': needed");
  EXPECT_EQ(root["plugins"]["lights"].location().file, (valid / "seer.yaml").string());
}

TEST_F(ConfigTest, IncludePathsMayUseEnvironmentVariables) {
  const std::string main_file = (cases_dir() / "valid" / "main.yaml").string();
  const ConfigNode root = ConfigNode::load_string(
      "clock: !include ${SEER_TEST_UNSET_VARIABLE:-plugins}/clock.yaml\n", main_file);
  EXPECT_EQ(root["clock"]["schedules"][0]["every"].as_duration(), std::chrono::hours(1));
}

TEST_F(ConfigTest, IncludeNeedsAPath) {
  EXPECT_EQ(error_of([] { ConfigNode::load_string("a: !include\n", "inc.yaml"); }),
            "inc.yaml:1:4: key 'a': !include expects a file path, e.g. !include "
            "plugins/clock.yaml");
  EXPECT_EQ(error_of([] { ConfigNode::load_string("a: !include [x]\n", "inc.yaml"); }),
            "inc.yaml:1:4: key 'a': !include expects a file path, e.g. !include "
            "plugins/clock.yaml");
}

// ---------------------------------------------------------------------------------------------
// Schemas.

TEST(ClosestMatch, SuggestsNearKeysOnly) {
  const std::vector<std::string> keys = {"tick_interval", "port", "host", "log_level", "enabled"};
  EXPECT_EQ(closest_match("tick_intervl", keys), "tick_interval");
  EXPECT_EQ(closest_match("tick_inteval", keys), "tick_interval");
  EXPECT_EQ(closest_match("prot", keys), "port");
  EXPECT_EQ(closest_match("Log_Level", keys), "log_level");
  EXPECT_EQ(closest_match("enable", keys), "enabled");
  EXPECT_EQ(closest_match("colour", keys), "");
  EXPECT_EQ(closest_match("x", {"y"}), "");
  EXPECT_EQ(closest_match("anything", {}), "");
  EXPECT_EQ(closest_match("hots", {"host", "hosts"}), "hosts");
}

TEST(ConfigTypeNames, AreTheWordsUsedInMessages) {
  EXPECT_EQ(to_string(ConfigType::string), "string");
  EXPECT_EQ(to_string(ConfigType::boolean), "boolean");
  EXPECT_EQ(to_string(ConfigType::integer), "integer");
  EXPECT_EQ(to_string(ConfigType::number), "number");
  EXPECT_EQ(to_string(ConfigType::duration), "duration");
  EXPECT_EQ(to_string(ConfigType::list), "list");
  EXPECT_EQ(to_string(ConfigType::map), "map");
  EXPECT_EQ(to_string(ConfigType::object), "object");
}

TEST(ConfigDiagnosticText, NamesSeverityAndKey) {
  ConfigDiagnostic diagnostic{ConfigDiagnostic::Severity::warning, {"a.yaml", 3, 5}, "x.y", "odd"};
  EXPECT_EQ(diagnostic.to_string(), "a.yaml:3:5: warning: key 'x.y': odd");
  diagnostic.severity = ConfigDiagnostic::Severity::error;
  diagnostic.key_path.clear();
  EXPECT_EQ(diagnostic.to_string(), "a.yaml:3:5: error: odd");
}

std::vector<std::string> diagnostics_of(const ConfigSchema& schema, const std::string& yaml) {
  std::vector<std::string> texts;
  for (const auto& d : schema.validate(ConfigNode::load_string(yaml, "schema.yaml"))) {
    texts.push_back(d.to_string());
  }
  return texts;
}

TEST_F(ConfigTest, SchemaChecksListItemsAndSubstitutesFirst) {
  ConfigSchema schema;
  ConfigField ports = bounded("ports", ConfigType::list, 1, 100);
  ports.item_type = ConfigType::integer;
  schema.add(ports);
  schema.required("port", ConfigType::integer, "the port");
  EXPECT_EQ(diagnostics_of(schema, "port: ${SEER_TEST_UNSET_VARIABLE:-8095}\nports: [5, 500, x]\n"),
            (std::vector<std::string>{
                "schema.yaml:2:12: error: key 'ports[1]': must be at most 100",
                "schema.yaml:2:17: error: key 'ports[2]': expected integer, got 'x'"}));
  EXPECT_EQ(
      diagnostics_of(schema, "ports: 5\n"),
      (std::vector<std::string>{"schema.yaml:1:1: error: key 'port': missing required key",
                                "schema.yaml:1:8: error: key 'ports': expected list, got '5'"}));
  EXPECT_EQ(diagnostics_of(schema, "port:\n"),
            (std::vector<std::string>{"schema.yaml:1:1: error: key 'port': required key has no "
                                      "value"}));
}

TEST_F(ConfigTest, SchemaTreatsAMissingSectionAsEmpty) {
  ConfigSchema schema;
  schema.required("name", ConfigType::string, "a name");
  const ConfigNode root = ConfigNode::load_string("other: 1\n", "section.yaml");
  const auto found = schema.validate(root["section"]);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].to_string(),
            "section.yaml:1:1: error: key 'section.name': missing required key");
}

TEST_F(ConfigTest, SchemaMayAllowUnknownKeys) {
  ConfigSchema schema;
  schema.optional("known", ConfigType::string, "known");
  EXPECT_EQ(diagnostics_of(schema, "knwon: 1\n"),
            (std::vector<std::string>{
                "schema.yaml:1:1: warning: key 'knwon': unknown key 'knwon' (did you mean "
                "'known'?)"}));
  schema.allow_unknown_keys();
  EXPECT_TRUE(diagnostics_of(schema, "knwon: 1\n").empty());
}

TEST(ConfigSchemaFields, LaterFieldReplacesOneWithTheSameKey) {
  ConfigSchema schema;
  schema.optional("enabled", ConfigType::string, "plugin's own");
  schema.optional("enabled", ConfigType::boolean, "runtime's", "true");
  ASSERT_EQ(schema.fields().size(), 1u);
  ASSERT_NE(schema.find("enabled"), nullptr);
  EXPECT_EQ(schema.find("enabled")->type, ConfigType::boolean);
  EXPECT_EQ(schema.find("enabled")->default_text, "true");
  EXPECT_EQ(schema.find("absent"), nullptr);
}

}  // namespace
}  // namespace seer
