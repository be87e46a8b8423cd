#pragma once
// Checks an Authorization header (or a bare token) against the configured bearer token in constant
// time.

#include <string>
#include <string_view>

namespace seer::http {

// True when `authorization` is "Bearer <token>". Both sides are hashed first, so neither the
// comparison's time nor its length check says how much of the token was right.
bool bearer_token_matches(std::string_view authorization, const std::string& token);
// The same comparison for a bare token (a WebSocket client's hello, which browsers cannot put
// in a header).
bool token_matches(std::string_view offered, const std::string& token);

}  // namespace seer::http
