// Security checks over real sockets: the token comparison's time says nothing about the token,
// oversized bodies and WebSocket frames are refused from their headers (memory does not grow
// by what they claim), and no request target reaches a file outside the embedded console.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "bearer_token.hpp"
#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
using namespace std::chrono_literals;

// The median time of `batch` calls of `call`, over interleaved rounds (so that load on the
// machine weighs on every candidate alike), one median per candidate.
std::vector<double> median_times(const std::vector<std::function<bool()>>& candidates, int rounds,
                                 int batch) {
  std::vector<std::vector<double>> times(candidates.size());
  bool sink = false;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const auto begin = std::chrono::steady_clock::now();
      for (int i = 0; i < batch; ++i) sink ^= candidates[c]();
      times[c].push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - begin)
              .count());
    }
  }
  std::vector<double> medians;
  for (auto& samples : times) {
    std::ranges::nth_element(samples, samples.begin() + samples.size() / 2);
    medians.push_back(samples[samples.size() / 2]);
  }
  EXPECT_TRUE(sink || !sink);  // keeps the calls from being optimised away
  return medians;
}

double spread(const std::vector<double>& medians) {
  return *std::ranges::max_element(medians) / *std::ranges::min_element(medians);
}

// Wrong in the first byte, wrong in the last byte, right: a comparison that stops at the first
// difference takes visibly longer the more of a long token is right.
TEST(TokenTiming, HowMuchOfTheTokenIsRightDoesNotShowInTheTime) {
  const std::string token(64 * 1024, 'k');
  std::string wrong_first = token;
  wrong_first.front() = 'x';
  std::string wrong_last = token;
  wrong_last.back() = 'x';
  const std::vector<std::string> offered{"Bearer " + wrong_first, "Bearer " + wrong_last,
                                         "Bearer " + token};

  // The method first: it sees the leak of a plain comparison.
  std::vector<std::function<bool()>> plain;
  for (const std::string& candidate : offered) {
    plain.push_back([&] { return std::string_view(candidate).substr(7) == token; });
  }
  const double plain_spread = spread(median_times(plain, 31, 200));
  EXPECT_GT(plain_spread, 3.0) << "the measurement cannot see a leaking comparison";

  std::vector<std::function<bool()>> checked;
  for (const std::string& candidate : offered) {
    checked.push_back([&] { return bearer_token_matches(candidate, token); });
  }
  const double checked_spread = spread(median_times(checked, 31, 10));
  EXPECT_LT(checked_spread, 1.25) << "plain comparison: " << plain_spread;
  std::cout << "[          ] time spread: plain == " << plain_spread << ", bearer_token_matches "
            << checked_spread << "\n";
}

// Resident memory of this process, in bytes.
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

TEST(OversizedRequests, AGigabyteContentLengthIs413AtOnceWithoutBufferingIt) {
  HttpWorld world;  // the default max_body: 64 MiB
  const std::size_t before = resident_bytes();
  auto client = world.client();
  const auto begin = std::chrono::steady_clock::now();
  const Response response = client.raw(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1000000000\r\n\r\n{\"model\": ");
  EXPECT_EQ(response.result(), beast_http::status::payload_too_large);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_TRUE(client.server_closed());
  EXPECT_LT(resident_bytes(), before + (32u << 20)) << "grew by what the request claimed";
}

TEST(OversizedRequests, AChunkOverTheLimitIs413FromItsSizeLine) {
  HttpWorld world("  http: {port: 0, max_body: 1000}\n");
  auto client = world.client();
  const Response response = client.raw(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n40000000\r\n{\"model\": ");
  EXPECT_EQ(response.result(), beast_http::status::payload_too_large);
  EXPECT_TRUE(client.server_closed());
}

// A raw TCP connection upgraded to WebSocket by hand, to send a frame header no real client
// library would.
class RawWebSocket {
 public:
  explicit RawWebSocket(std::uint16_t port) {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot connect");
    }
    send(
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    std::string response;
    while (response.find("\r\n\r\n") == std::string::npos) {
      const std::string more = receive_some();
      if (more.empty()) throw std::runtime_error("no upgrade: " + response);
      response += more;
    }
    if (!response.starts_with("HTTP/1.1 101")) throw std::runtime_error(response);
  }
  ~RawWebSocket() { ::close(socket_); }
  RawWebSocket(const RawWebSocket&) = delete;
  RawWebSocket& operator=(const RawWebSocket&) = delete;

  void send(const std::string& bytes) {
    if (::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("send failed");
    }
  }
  // What arrives next; empty at the end of the stream or after 5 s of silence.
  std::string receive_some() {
    char buffer[4096];
    const ssize_t got = ::recv(socket_, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : std::string();
  }

 private:
  int socket_ = -1;
};

TEST(OversizedRequests, AWebSocketFrameClaimingAGigabyteIsClosedWith1009FromItsHeader) {
  HttpWorld world;  // ws_max_message: 16 MiB
  const std::size_t before = resident_bytes();
  RawWebSocket socket(world.port());
  // FIN + text, masked, 64-bit length 2^30, the mask, then only a few payload bytes.
  std::string header{'\x81', '\xFF', 0, 0, 0, 0, '\x40', 0, 0, 0, '\x01', '\x02', '\x03', '\x04'};
  socket.send(header + "abcd");
  const auto begin = std::chrono::steady_clock::now();
  std::string answer;
  for (std::string more; (more = socket.receive_some()).size() > 0;) answer += more;
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s) << "the server waited for the payload";
  // The server's close frame (the error frame may come first): opcode 8, status 1009.
  const auto close_at = answer.find('\x88');
  ASSERT_NE(close_at, std::string::npos) << "no close frame";
  ASSERT_GE(answer.size(), close_at + 4);
  EXPECT_EQ(static_cast<unsigned char>(answer[close_at + 2]) * 256 +
                static_cast<unsigned char>(answer[close_at + 3]),
            1009);
  EXPECT_LT(resident_bytes(), before + (32u << 20));
}

TEST(ConsoleFiles, NoRequestTargetReachesAFileOutsideTheEmbeddedConsole) {
  HttpWorld world;
  const std::vector<std::string> targets{
      "/console/../../../../etc/passwd",
      "/console/..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/console/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/console/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/console/%252e%252e%252fetc%252fpasswd",
      "/console/..\\..\\..\\..\\etc\\passwd",
      "/console/....//....//....//etc/passwd",
      "/console//etc/passwd",
      "/console/index.html/../../../../etc/passwd",
      "/console/index.html%00.js",
      "/console/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/../../../../etc/passwd",
      "/console/../CMakeLists.txt",
      "/console/../../plugins/http/http_plugin.cpp",
  };
  for (const std::string& target : targets) {
    auto client = world.client();
    const Response response = client.raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(response.result() == beast_http::status::not_found ||
                response.result() == beast_http::status::bad_request)
        << target << " → " << response.result_int();
    EXPECT_EQ(response.body().find("root:"), std::string::npos) << target;
    EXPECT_EQ(response.body().find("#include"), std::string::npos) << target;
  }
  auto client = world.client();
  EXPECT_EQ(client.get("/console/index.html").result(), beast_http::status::ok) << "the console";
}

}  // namespace
}  // namespace seer::http::test
