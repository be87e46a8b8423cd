#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace seer::http {

namespace ssl = boost::asio::ssl;

namespace {

using File = TlsFileError::File;

// Checked first, so a missing file is said plainly rather than as an OpenSSL error stack.
void require_readable(const std::string& path, File file, std::string_view what) {
  std::ifstream stream(path);
  if (!stream) {
    throw TlsFileError(file, "cannot open the TLS " + std::string(what) + " " + path + ": " +
                                 std::strerror(errno));
  }
}

bool is_key_mismatch(const boost::system::error_code& error) {
  const auto code = static_cast<unsigned long>(error.value());
  return error.category() == boost::asio::error::get_ssl_category() &&
         ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH;
}

std::string mismatch_message(const TlsFiles& files) {
  return "the TLS private key " + files.private_key + " does not belong to the certificate " +
         files.certificate;
}

}  // namespace

std::shared_ptr<ssl::context> load_tls_context(const TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  // Versions before 1.2 are deprecated (RFC 8996); 1.3 only when asked.
  SSL_CTX_set_min_proto_version(
      native, files.min_version == TlsVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION);
  // Each renegotiation costs the server a handshake: a client may not ask for one.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  // Without a callback OpenSSL would ask for an encrypted key's password on the terminal.
  context->set_password_callback(
      [password = files.password](std::size_t, ssl::context::password_purpose) {
        return password;
      });

  require_readable(files.certificate, File::certificate, "certificate");
  boost::system::error_code error;
  context->use_certificate_chain_file(files.certificate, error);
  if (error) {
    throw TlsFileError(File::certificate, "cannot use " + files.certificate +
                                              " as the TLS certificate (PEM): " + error.message());
  }
  require_readable(files.private_key, File::private_key, "private key");
  context->use_private_key_file(files.private_key, ssl::context::pem, error);
  if (is_key_mismatch(error)) throw TlsFileError(File::private_key, mismatch_message(files));
  if (error) {
    std::string message =
        "cannot use " + files.private_key + " as the TLS private key (PEM): " + error.message();
    if (files.password.empty()) {
      message += " (an encrypted key needs tls_private_key_password_env)";
    }
    throw TlsFileError(File::private_key, message);
  }
  // A key of another type than the certificate's is taken above and found out here.
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    throw TlsFileError(File::private_key, mismatch_message(files));
  }
  return context;
}

}  // namespace seer::http
