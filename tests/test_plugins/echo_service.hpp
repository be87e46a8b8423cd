#pragma once
// The service interface the echo test plugin provides.
#include <string>
#include <string_view>

namespace seer::test {

class Echo {
 public:
  static constexpr std::string_view interface_id = "seer.test.echo/1";
  virtual ~Echo() = default;
  virtual std::string echo(const std::string& text) = 0;
};

}  // namespace seer::test
