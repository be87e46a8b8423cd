// Credentials from the environment against a broker with a password file, and TLS with a CA
// and server certificate generated here with openssl.

#include "mqtt_test_support.hpp"

#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>

namespace seer::mqtt::test {
namespace {

constexpr char kUser[] = "seer-agent";
constexpr char kPassword[] = "Corr3ct-Horse-Battery";
constexpr char kWrongPassword[] = "Wr0ng-Staple-Secret";

std::vector<std::string> credentials() { return {"-u", kUser, "-P", kPassword}; }

void expect_never_shown(const std::string& secret, const std::string& logs,
                        const std::string& health) {
  EXPECT_EQ(logs.find(secret), std::string::npos) << "the password is in the log:\n" << logs;
  EXPECT_EQ(health.find(secret), std::string::npos) << "the password is in health:\n" << health;
}

TEST_F(MqttPluginTest, CredentialsFromTheEnvironmentLetThePluginIn) {
  MosquittoBrokerOptions options;
  options.users = {{kUser, kPassword}};
  MosquittoBroker broker(options);
  ::setenv("SEER_TEST_MQTT_USER", kUser, 1);
  ::setenv("SEER_TEST_MQTT_PASSWORD", kPassword, 1);
  start_plugin(config_for(
      broker, "username_env: SEER_TEST_MQTT_USER\npassword_env: SEER_TEST_MQTT_PASSWORD\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  MosquittoSubscriber subscriber(broker, {"secure/#"}, credentials());
  bus.publish("mqtt/out/secure/hello", boost::json::object{{"payload", "authenticated"}});
  const auto message = subscriber.wait_for_topic("secure/hello");
  ASSERT_TRUE(message.has_value()) << subscriber.output();
  EXPECT_EQ(message->payload, "authenticated");
  expect_never_shown(kPassword, logs(), health_history.reasons());
}

TEST_F(MqttPluginTest, AWrongPasswordIsAClearDegradedReasonThatNeverShowsThePassword) {
  MosquittoBrokerOptions options;
  options.users = {{kUser, kPassword}};
  MosquittoBroker broker(options);
  ::setenv("SEER_TEST_MQTT_USER", kUser, 1);
  ::setenv("SEER_TEST_MQTT_WRONG_PASSWORD", kWrongPassword, 1);
  start_plugin(config_for(
      broker, "username_env: SEER_TEST_MQTT_USER\npassword_env: SEER_TEST_MQTT_WRONG_PASSWORD\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  const std::string reason = health_history.history().back().reason;
  EXPECT_NE(reason.find("connection refused by mqtt://127.0.0.1:"), std::string::npos) << reason;
  EXPECT_NE(reason.find("not authorised"), std::string::npos) << reason;
  EXPECT_NE(reason.find("username_env/password_env"), std::string::npos) << reason;
  std::this_thread::sleep_for(1500ms);  // a retry or two
  EXPECT_EQ(health.current().state, HealthState::degraded);
  expect_never_shown(kWrongPassword, logs(), health_history.reasons());
  expect_never_shown(kPassword, logs(), health_history.reasons());
}

// ---- TLS ----------------------------------------------------------------------------------

void openssl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "/usr/bin/openssl");
  const seer::test::Completed done = seer::test::run_to_completion(arguments, {}, 30s);
  ASSERT_EQ(done.exit_code, 0) << done.err;
}

// A CA, a server certificate it signs for IP 127.0.0.1, and a second CA that signs nothing.
struct TestCertificates {
  explicit TestCertificates(const std::filesystem::path& folder) : dir(folder) {
    const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};
    auto self_signed = [&](const std::string& name) {
      std::vector<std::string> arguments{"req",     "-x509",
                                         "-days",   "2",
                                         "-subj",   "/CN=" + name,
                                         "-keyout", (dir / (name + ".key")).string(),
                                         "-out",    (dir / (name + ".crt")).string()};
      arguments.insert(arguments.end(), ec_key.begin(), ec_key.end());
      openssl(arguments);
    };
    self_signed("seer-test-ca");
    self_signed("other-ca");
    std::vector<std::string> request{"req",
                                     "-subj",
                                     "/CN=127.0.0.1",
                                     "-keyout",
                                     server_key().string(),
                                     "-out",
                                     (dir / "server.csr").string()};
    request.insert(request.end(), ec_key.begin(), ec_key.end());
    openssl(request);
    std::ofstream(dir / "server.ext") << "subjectAltName=IP:127.0.0.1\n";
    openssl({"x509", "-req", "-days", "2", "-in", (dir / "server.csr").string(), "-CA",
             ca().string(), "-CAkey", (dir / "seer-test-ca.key").string(), "-CAcreateserial",
             "-extfile", (dir / "server.ext").string(), "-out", server_cert().string()});
  }
  std::filesystem::path ca() const { return dir / "seer-test-ca.crt"; }
  std::filesystem::path other_ca() const { return dir / "other-ca.crt"; }
  std::filesystem::path server_cert() const { return dir / "server.crt"; }
  std::filesystem::path server_key() const { return dir / "server.key"; }
  std::filesystem::path dir;
};

class MqttTlsTest : public MqttPluginTest {
 protected:
  void SetUp() override {
    folder =
        std::filesystem::temp_directory_path() / ("seer-mqtt-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    certificates = std::make_unique<TestCertificates>(folder);
    ASSERT_TRUE(std::filesystem::exists(certificates->server_cert()));
    MosquittoBrokerOptions options;
    options.tls = MosquittoBrokerOptions::Tls{certificates->ca(), certificates->server_cert(),
                                              certificates->server_key()};
    broker = std::make_unique<MosquittoBroker>(options);
  }
  void TearDown() override {
    plugin.stop();
    broker.reset();
    std::filesystem::remove_all(folder);
  }

  std::filesystem::path folder;
  std::unique_ptr<TestCertificates> certificates;
  std::unique_ptr<MosquittoBroker> broker;
};

TEST_F(MqttTlsTest, ConnectsOverTlsWithTheRightCa) {
  start_plugin(config_for(*broker, "tls: {ca_file: " + certificates->ca().string() + "}\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  EXPECT_NE(health_history.history().back().reason.find("mqtts://127.0.0.1:"), std::string::npos);
  MosquittoSubscriber subscriber(*broker, {"tls/#"});
  bus.publish("mqtt/out/tls/hello", boost::json::object{{"payload", "encrypted"}});
  const auto message = subscriber.wait_for_topic("tls/hello");
  ASSERT_TRUE(message.has_value()) << subscriber.output();
  EXPECT_EQ(message->payload, "encrypted");
}

TEST_F(MqttTlsTest, AnUntrustedBrokerCertificateIsDegraded) {
  start_plugin(config_for(
      *broker, "connect_timeout: 1s\ntls: {ca_file: " + certificates->other_ca().string() + "}\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  // The first handshake may fail on libmosquitto's thread, unseen; a restart reports it.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (health.current().reason.find("TLS handshake") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  const Health current = health.current();
  EXPECT_EQ(current.state, HealthState::degraded) << health_history.reasons();
  EXPECT_NE(current.reason.find("TLS handshake with mqtts://127.0.0.1:"), std::string::npos)
      << health_history.reasons();
  EXPECT_NE(current.reason.find("check tls.ca_file"), std::string::npos);
}

}  // namespace
}  // namespace seer::mqtt::test
