#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace seer::test {
namespace {

using namespace std::chrono_literals;

constexpr char kMessageMarker[] = "SEER-MSG ";

std::filesystem::path make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "seer-mosquitto-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temp folder");
  return pattern;
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port the kernel just handed out; mosquitto binds it right after (SO_REUSEADDR).
int free_loopback_port() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (socket_fd < 0 || bind(socket_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (socket_fd >= 0) close(socket_fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(socket_fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) return false;
  sockaddr_in address = loopback(port);
  const bool connected =
      connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(socket_fd);
  return connected;
}

std::string unique_client_id(const char* kind) {
  static std::atomic<int> counter{0};
  return std::string("seer-test-") + kind + "-" + std::to_string(getpid()) + "-" +
         std::to_string(++counter);
}

// Lines "SEER-MSG <retained> <qos> <topic> <payload>" as printed with -F.
std::vector<ReceivedMessage> parse_messages(const std::string& output) {
  std::vector<ReceivedMessage> messages;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(kMessageMarker)) continue;
    std::istringstream fields(line.substr(sizeof kMessageMarker - 1));
    ReceivedMessage message;
    int retained = 0;
    fields >> retained >> message.qos >> message.topic;
    message.retained = retained != 0;
    std::string rest;
    std::getline(fields, rest);
    message.payload = rest.empty() ? rest : rest.substr(1);  // the separating space
    messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<std::string> subscriber_command(const MosquittoBroker& broker,
                                            const std::vector<std::string>& filters,
                                            const std::vector<std::string>& extra_arguments) {
  // Line buffering, so the debug lines ("received SUBACK") show up as they happen.
  std::vector<std::string> command{"/usr/bin/stdbuf",
                                   "-oL",
                                   "mosquitto_sub",
                                   "-d",
                                   "-q",
                                   "1",
                                   "-V",
                                   "mqttv311",
                                   "-i",
                                   unique_client_id("sub"),
                                   "-F",
                                   std::string(kMessageMarker) + "%r %q %t %p"};
  for (const auto& argument : broker.client_arguments()) command.push_back(argument);
  for (const auto& filter : filters) {
    command.push_back("-t");
    command.push_back(filter);
  }
  for (const auto& argument : extra_arguments) command.push_back(argument);
  return command;
}

}  // namespace

// ---- broker -------------------------------------------------------------------------------

MosquittoBroker::MosquittoBroker(MosquittoBrokerOptions options)
    : options_(std::move(options)), port_(free_loopback_port()), directory_(make_temp_directory()) {
  try {
    write_files();
    start();
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);  // the destructor will not run
    throw;
  }
}

void MosquittoBroker::write_files() const {
  if (!options_.users.empty()) {
    const auto password_file = directory_ / "passwords";
    bool first = true;
    for (const auto& [user, password] : options_.users) {
      std::vector<std::string> command{"/usr/bin/mosquitto_passwd", "-b"};
      if (first) command.push_back("-c");
      command.insert(command.end(), {password_file.string(), user, password});
      const Completed done = run_to_completion(command, {}, 10s);
      if (done.exit_code != 0) throw std::runtime_error("mosquitto_passwd failed: " + done.err);
      first = false;
    }
  }
  write_config();
}

MosquittoBroker::~MosquittoBroker() {
  process_.reset();  // SIGKILL if it still runs
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::vector<std::string> MosquittoBroker::client_arguments() const {
  std::vector<std::string> arguments{"-h", host_, "-p", std::to_string(port_)};
  if (options_.tls) {
    arguments.push_back("--cafile");
    arguments.push_back(options_.tls->ca_file.string());
  }
  return arguments;
}

void MosquittoBroker::write_config() const {
  std::ofstream config(directory_ / "mosquitto.conf");
  // Started as root, mosquitto would switch to the "mosquitto" user, who cannot read our folder.
  if (geteuid() == 0) config << "user root\n";
  config << "persistence false\n"
         << "log_dest stderr\n"
         << (options_.log_packets ? "log_type all\n" : "") << "listener " << port_ << " " << host_
         << "\n";
  if (options_.users.empty()) {
    config << "allow_anonymous true\n";
  } else {
    config << "allow_anonymous false\n"
           << "password_file " << (directory_ / "passwords").string() << "\n";
  }
  if (options_.tls) {
    config << "cafile " << options_.tls->ca_file.string() << "\n"
           << "certfile " << options_.tls->cert_file.string() << "\n"
           << "keyfile " << options_.tls->key_file.string() << "\n";
  }
}

void MosquittoBroker::start() {
  if (process_) return;
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{kProgram, "-c", (directory_ / "mosquitto.conf").string()});
  wait_until_accepting();
}

void MosquittoBroker::wait_until_accepting() {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!accepts_connections(port_)) {
    if (process_->wait(0ms) || std::chrono::steady_clock::now() > deadline) {
      const std::string output = log();
      stop();
      throw std::runtime_error("mosquitto did not start on port " + std::to_string(port_) + ":\n" +
                               output);
    }
    std::this_thread::sleep_for(20ms);
  }
}

void MosquittoBroker::stop() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait(5s)) process_->signal(SIGKILL);
  process_->wait(5s);
  previous_logs_ += process_->err() + process_->out();
  process_.reset();
}

void MosquittoBroker::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(5s);
  previous_logs_ += process_->err() + process_->out();
  process_.reset();
}

std::string MosquittoBroker::log() const {
  return previous_logs_ + (process_ ? process_->err() + process_->out() : std::string());
}

// ---- clients ------------------------------------------------------------------------------

MosquittoSubscriber::MosquittoSubscriber(const MosquittoBroker& broker,
                                         std::vector<std::string> filters,
                                         std::vector<std::string> extra_arguments)
    : process_(
          std::make_unique<ChildProcess>(subscriber_command(broker, filters, extra_arguments))) {
  if (!process_->wait_for_output("received SUBACK", 10s)) {
    throw std::runtime_error("mosquitto_sub did not subscribe:\n" + output());
  }
}

std::vector<ReceivedMessage> MosquittoSubscriber::messages() const {
  return parse_messages(process_->out());
}

bool MosquittoSubscriber::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (messages().size() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

std::optional<ReceivedMessage> MosquittoSubscriber::wait_for_topic(
    const std::string& topic, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (const ReceivedMessage& message : messages()) {
      if (message.topic == topic) return message;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
}

std::string MosquittoSubscriber::output() const { return process_->out() + process_->err(); }

void publish_with_mosquitto_pub(const MosquittoBroker& broker, const std::string& topic,
                                const std::string& payload, int qos, bool retain,
                                std::vector<std::string> extra_arguments) {
  std::vector<std::string> command{"/usr/bin/mosquitto_pub",
                                   "-V",
                                   "mqttv311",
                                   "-i",
                                   unique_client_id("pub"),
                                   "-q",
                                   std::to_string(qos),
                                   "-t",
                                   topic,
                                   "-m",
                                   payload};
  if (retain) command.push_back("-r");
  for (const auto& argument : broker.client_arguments()) command.push_back(argument);
  for (const auto& argument : extra_arguments) command.push_back(argument);
  const Completed done = run_to_completion(command, {}, 10s);
  if (done.exit_code != 0) {
    throw std::runtime_error("mosquitto_pub to " + topic + " failed: " + done.err + done.out);
  }
}

std::optional<ReceivedMessage> read_retained(const MosquittoBroker& broker,
                                             const std::string& topic,
                                             std::vector<std::string> extra_arguments) {
  std::vector<std::string> command{"/usr/bin/mosquitto_sub",
                                   "-V",
                                   "mqttv311",
                                   "-i",
                                   unique_client_id("retained"),
                                   "-t",
                                   topic,
                                   "--retained-only",
                                   "-C",
                                   "1",
                                   "-W",
                                   "2",
                                   "-F",
                                   std::string(kMessageMarker) + "%r %q %t %p"};
  for (const auto& argument : broker.client_arguments()) command.push_back(argument);
  for (const auto& argument : extra_arguments) command.push_back(argument);
  const Completed done = run_to_completion(command, {}, 10s);
  const std::vector<ReceivedMessage> messages = parse_messages(done.out);
  if (messages.empty()) return std::nullopt;
  return messages.front();
}

}  // namespace seer::test
