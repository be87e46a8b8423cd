#include "bearer_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace seer::http {
namespace {

using Digest = std::array<unsigned char, EVP_MAX_MD_SIZE>;

Digest sha256(std::string_view text) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed while checking the bearer token");
  }
  return digest;
}

}  // namespace

bool bearer_token_matches(std::string_view authorization, const std::string& token) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() < scheme.size()) return false;
  // The scheme is case-insensitive (RFC 9110 §11.1).
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    const char a = authorization[i];
    const char b = scheme[i];
    if ((a | 0x20) != (b | 0x20)) return false;
  }
  return token_matches(authorization.substr(scheme.size()), token);
}

bool token_matches(std::string_view offered, const std::string& token) {
  const Digest offered_digest = sha256(offered);
  const Digest expected = sha256(token);
  return CRYPTO_memcmp(offered_digest.data(), expected.data(), 32) == 0;
}

}  // namespace seer::http
