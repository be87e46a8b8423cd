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
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bearer_token.hpp"
#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
using namespace std::chrono_literals;

// The median time of `batch` calls of `call`, over interleaved rounds (so that load on the
// machine weighs on every candidate alike), one median per candidate.
// Every candidate's answers are counted, so that no call can be left out, and checked: only
// the last candidate (the right token) matches.
std::vector<double> median_times(const std::vector<std::function<bool()>>& candidates, int rounds,
                                 int batch) {
  std::vector<std::vector<double>> times(candidates.size());
  std::vector<int> matches(candidates.size());
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const auto begin = std::chrono::steady_clock::now();
      for (int i = 0; i < batch; ++i) matches[c] += candidates[c]() ? 1 : 0;
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
  for (std::size_t c = 0; c + 1 < candidates.size(); ++c) EXPECT_EQ(matches[c], 0) << c;
  EXPECT_EQ(matches.back(), rounds * batch);
  return medians;
}

double spread(const std::vector<double>& medians) {
  return *std::ranges::max_element(medians) / *std::ranges::min_element(medians);
}

// Wrong in the first byte, wrong in the last byte, right: a comparison that stops at the first
// difference takes visibly longer the more of a long token is right.
TEST(TokenTiming, HowMuchOfTheTokenIsRightDoesNotShowInTheTime) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizers' memcmp interceptors read both strings whole, so a plain comparison leaks
  // nothing to measure and the method cannot be checked against it.
  GTEST_SKIP() << "timing is meaningless under a sanitizer's memcmp interceptor";
#endif
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
  EXPECT_LT(checked_spread, 1.5) << "plain comparison: " << plain_spread;
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

// The server's frames in `bytes` (unmasked, as a server sends them): opcode and payload.
std::vector<std::pair<int, std::string>> server_frames(const std::string& bytes) {
  std::vector<std::pair<int, std::string>> frames;
  std::size_t at = 0;
  while (at + 2 <= bytes.size()) {
    const int opcode = static_cast<unsigned char>(bytes[at]) & 0x0F;
    std::size_t length = static_cast<unsigned char>(bytes[at + 1]) & 0x7F;
    at += 2;
    const std::size_t extra = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (extra > 0) {
      if (at + extra > bytes.size()) break;
      length = 0;
      for (std::size_t i = 0; i < extra; ++i) {
        length = length * 256 + static_cast<unsigned char>(bytes[at + i]);
      }
      at += extra;
    }
    if (at + length > bytes.size()) break;
    frames.emplace_back(opcode, bytes.substr(at, length));
    at += length;
  }
  return frames;
}

// Beast is told no limit (ws_session.cpp keeps it, to say so in an error frame first), so the
// claimed length is never trusted: the payload is read in steps and refused as soon as more
// than ws_max_message bytes of it have arrived.
TEST(OversizedRequests, AWebSocketFrameClaimingAGigabyteIsNeverAllocatedAndIsRefusedAtTheLimit) {
  HttpWorld world("  http: {port: 0, ws_max_message: 65536}\n");
  const std::size_t before = resident_bytes();
  RawWebSocket socket(world.port());
  // FIN + text, masked, 64-bit length 2^30, the mask (zero: the payload goes as is).
  const std::string header{'\x81', '\xFF', 0, 0, 0, 0, '\x40', 0, 0, 0, 0, 0, 0, 0};
  socket.send(header + "abcd");
  std::this_thread::sleep_for(300ms);
  EXPECT_LT(resident_bytes(), before + (32u << 20)) << "memory for the claimed length";

  socket.send(std::string(100'000, 'x'));
  std::string answer;
  const auto begin = std::chrono::steady_clock::now();
  const auto closed = [&] {
    const auto frames = server_frames(answer);
    return !frames.empty() && frames.back().first == 8;
  };
  for (std::string more; !closed() && (more = socket.receive_some()).size() > 0;) answer += more;
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s);
  const auto frames = server_frames(answer);
  ASSERT_EQ(frames.size(), 2u) << answer;
  EXPECT_EQ(frames[0].first, 1);  // text: the error
  EXPECT_NE(frames[0].second.find("too_large"), std::string::npos) << frames[0].second;
  EXPECT_EQ(frames[1].first, 8);  // close, 1009: message too big
  ASSERT_GE(frames[1].second.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(frames[1].second[0]) * 256 +
                static_cast<unsigned char>(frames[1].second[1]),
            1009);
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
