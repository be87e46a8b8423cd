#pragma once
// What every call to the server shares: the POST with its headers, the status check that
// turns an error reply into the server's own words, and durations written for messages.

#include "ollama_settings.hpp"
#include "server_connection.hpp"

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>

namespace seer::ollama {

// The server answered with an error status; what() is the whole message for the user.
class OllamaHttpError : public std::runtime_error {
 public:
  OllamaHttpError(unsigned status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  unsigned status() const { return status_; }

 private:
  unsigned status_;
};

ServerConnection::HttpRequest json_post(const OllamaSettings& settings, std::string_view path,
                                        const boost::json::object& body);

// After read_header(): throws OllamaHttpError with the reply's {"error": ...} text (or its
// body) and the status when it is not 200.
void expect_success(ServerConnection& connection, unsigned status, const OllamaSettings& settings,
                    ServerConnection::Clock::time_point deadline);

// "ollama at http://host:port: "
std::string server_prefix(const OllamaSettings& settings);
// "250ms", "5s".
std::string describe(Duration duration);

}  // namespace seer::ollama
