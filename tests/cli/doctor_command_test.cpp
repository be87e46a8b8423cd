// `seer doctor` as a user runs it: on this machine (no GPU, no camera), against a fake
// nvidia-smi, the bagel-tiny fixture and damaged copies of it, real brokers and plugins.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../support/mosquitto_broker.hpp"
#include "child_process.hpp"

namespace seer::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSeer = SEER_BINARY;
const fs::path kFixture = fs::path(SEER_SOURCE_DIR) / "tests/fixtures/bagel-tiny";

// A fresh folder under the temporary directory, removed with the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "seer-doctor-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
  ASSERT_TRUE(fs::exists(file));
}

// The fixture's three checkpoint files copied into `directory` (ema.safetensors cut to
// `ema_bytes` when given).
void copy_checkpoint(const fs::path& directory, std::optional<std::uintmax_t> ema_bytes = {}) {
  for (const char* name : {"llm_config.json", "vit_config.json", "ema.safetensors"}) {
    fs::copy_file(kFixture / name, directory / name);
  }
  if (ema_bytes) fs::resize_file(directory / "ema.safetensors", *ema_bytes);
}

Completed doctor(std::vector<std::string> arguments, std::vector<std::string> environment = {}) {
  arguments.insert(arguments.begin(), {kSeer, "doctor"});
  return run_to_completion(arguments, environment, std::chrono::seconds(120));
}

bool exists(const char* path) { return fs::exists(path); }

TEST(SeerDoctor, ReportsNoGpuAndNoCameraClearly) {
  if (exists("/dev/nvidiactl") || exists("/dev/nvidia0") || exists("/dev/video0")) {
    GTEST_SKIP() << "this machine has a GPU or a camera";
  }
  const auto result = doctor({"--only", "gpu", "--only", "camera"});
  EXPECT_THAT(result.out, HasSubstr("warn  gpu: no NVIDIA GPU: "));
  EXPECT_THAT(result.out, HasSubstr("fix: on a machine with an NVIDIA GPU, install its driver"));
  EXPECT_THAT(result.out, HasSubstr("warn  camera: no camera: there is no /dev/video* device"));
  EXPECT_THAT(result.out, HasSubstr("fix: plug a webcam in"));
  EXPECT_THAT(result.out, HasSubstr("0 failure(s)"));
}

TEST(SeerDoctor, ReadsTheGpusDriverAndCudaVersionFromNvidiaSmi) {
  ScratchDir bin;
  write_file(
      bin.path() / "nvidia-smi",
      "#!/bin/sh\n"
      "case \"$1\" in\n"
      "  --query-gpu=*) echo '0, NVIDIA H100 80GB HBM3, 550.54.15, 81559 MiB' ;;\n"
      "  *) echo '| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15   CUDA Version: 12.4 |' "
      ";;\n"
      "esac\n");
  fs::permissions(bin.path() / "nvidia-smi", fs::perms::owner_all);
  // The fake first on this process's own PATH (an extra PATH entry would be a duplicate, which
  // /bin/sh resolves to the other one), restored afterwards.
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  setenv("PATH", (bin.path().string() + ":" + path).c_str(), 1);
  const auto result = doctor({"--only", "gpu"}, {"CUDA_VISIBLE_DEVICES=0"});
  setenv("PATH", path.c_str(), 1);
  EXPECT_THAT(result.out, HasSubstr("ok    gpu 0: NVIDIA H100 80GB HBM3, 81559 MiB, driver "
                                    "550.54.15 (supports CUDA up to 12.4) "
                                    "(CUDA_VISIBLE_DEVICES=0)"));
}

TEST(SeerDoctor, ReportsTheFixtureCheckpointComplete) {
  const auto result = doctor({"--only", "model", "--model", kFixture.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string subject = "model " + kFixture.string() + ": ";
  EXPECT_THAT(result.out,
              HasSubstr("ok    " + subject + "llm_config.json, vit_config.json, ema.safetensors"));
  EXPECT_THAT(result.out, HasSubstr("ok    " + subject + "ema.safetensors: 130 tensors, "));
  EXPECT_THAT(result.out, HasSubstr("header and byte ranges valid"));
#ifdef SEER_TEST_WITH_TORCH
  EXPECT_THAT(result.out, HasSubstr("tensors the configs call for is in ema.safetensors"));
#endif
  // The fixture has no tokenizer of its own (the tests use the cached one).
  EXPECT_THAT(result.out, HasSubstr("warn  " + subject + "no tokenizer.json"));
}

TEST(SeerDoctor, ReportsATruncatedCopyIncomplete) {
  ScratchDir copy;
  const auto size = fs::file_size(kFixture / "ema.safetensors");
  copy_checkpoint(copy.path(), size / 2);
  const auto result = doctor({"--only", "model", "--model", copy.path().string()});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.out, HasSubstr("FAIL  model " + copy.path().string() +
                                    ": incomplete: ema.safetensors is unreadable or truncated"));
  EXPECT_THAT(result.out, HasSubstr("fix: the download was cut short"));
  EXPECT_THAT(result.out, HasSubstr("1 failure(s)"));
}

TEST(SeerDoctor, ReportsAMissingFileIncomplete) {
  ScratchDir copy;
  copy_checkpoint(copy.path());
  fs::remove(copy.path() / "vit_config.json");
  const auto result = doctor({"--only", "model", "--model", copy.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("incomplete: vit_config.json missing"));
}

TEST(SeerDoctor, ChecksTheFilesThatSha256SumsLists) {
  ScratchDir copy;
  copy_checkpoint(copy.path());
  // The manifest as sha256sum writes it, then one file changed after it was made.
  const auto made = run_to_completion(
      {"/bin/sh", "-c", "cd '" + copy.path().string() + "' && sha256sum *.json > SHA256SUMS"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto result = doctor({"--only", "model", "--model", copy.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("2 file(s) match SHA256SUMS"));

  std::ofstream(copy.path() / "vit_config.json", std::ios::app) << "\n";
  result = doctor({"--only", "model", "--model", copy.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("checksum mismatch against SHA256SUMS: vit_config.json"));
  result = doctor({"--only", "model", "--no-checksums", "--model", copy.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out;
}

TEST(SeerDoctor, ReportsAnUnreachableBroker) {
  ScratchDir dir;
  // Nothing listens on port 1 of loopback.
  write_file(dir.path() / "seer.yaml", "plugins:\n  mqtt:\n    host: 127.0.0.1\n    port: 1\n");
  const auto result = doctor({"--only", "broker", "--config", (dir.path() / "seer.yaml").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("FAIL  broker 'mqtt' 127.0.0.1:1: cannot reach the broker: "));
  EXPECT_THAT(result.out, HasSubstr("fix: start it (`systemctl status mosquitto`)"));
}

TEST(SeerDoctor, ConnectsToARealBrokerWithTheConfiguredAccount) {
  MosquittoBroker broker({.users = {{"seer", "right"}}});
  ScratchDir dir;
  write_file(dir.path() / "seer.yaml",
             "plugins:\n  lights:\n    plugin: mqtt\n    host: 127.0.0.1\n    port: " +
                 std::to_string(broker.port()) +
                 "\n    username_env: DOCTOR_USER\n    password_env: DOCTOR_PASSWORD\n");
  const std::string config = (dir.path() / "seer.yaml").string();
  const std::string subject = "broker 'lights' 127.0.0.1:" + std::to_string(broker.port());

  auto result = doctor({"--only", "broker", "--config", config},
                       {"DOCTOR_USER=seer", "DOCTOR_PASSWORD=right"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out,
              HasSubstr("ok    " + subject + ": reachable, connect accepted as 'seer'"));

  result = doctor({"--only", "broker", "--config", config},
                  {"DOCTOR_USER=seer", "DOCTOR_PASSWORD=wrong"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("FAIL  " + subject + ": the broker refuses the account"));

  result = doctor({"--only", "broker", "--config", config}, {"DOCTOR_USER=seer"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("DOCTOR_PASSWORD (password_env) is not set"));
}

TEST(SeerDoctor, LoadsEveryPluginAndNamesTheOnesThatFail) {
  auto result = doctor({"--only", "plugins"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("ok    plugin seer-plugin-clock.so: clock 1.0.0 ("));

  result = doctor({"--only", "plugins"}, {std::string("SEER_PLUGIN_PATH=") + SEER_TEST_PLUGIN_DIR});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("FAIL  plugin seer-plugin-future-abi.so: "));
  EXPECT_THAT(result.out, HasSubstr("ABI version 99"));
}

TEST(SeerDoctor, ReportsACameraTheConfigurationNamesButTheMachineLacks) {
  if (exists("/dev/video7")) GTEST_SKIP() << "this machine has /dev/video7";
  ScratchDir dir;
  write_file(dir.path() / "seer.yaml",
             "plugins:\n  webcam:\n    plugin: camera\n    source: {device: \"7\"}\n"
             "  missing:\n    plugin: no-such-plugin\n");
  const auto result = doctor(
      {"--only", "camera", "--only", "plugins", "--config", (dir.path() / "seer.yaml").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("FAIL  camera 'webcam': the configuration names /dev/video7"));
  EXPECT_THAT(result.out, HasSubstr("FAIL  plugin 'no-such-plugin': the configuration's 'missing' "
                                    "needs it"));
  EXPECT_THAT(result.out, Not(HasSubstr("FAIL  plugin 'camera'")));
}

}  // namespace
}  // namespace seer::test
