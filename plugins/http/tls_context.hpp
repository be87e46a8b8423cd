#pragma once
// The listener's TLS: an OpenSSL server context holding the certificate chain and private key
// of the http plugin's configuration (tls_certificate, tls_private_key).

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <stdexcept>
#include <string>

namespace seer::http {

enum class TlsVersion { tls1_2, tls1_3 };

struct TlsFiles {
  std::string certificate;  // PEM: the server's certificate, then its intermediates
  std::string private_key;  // PEM, encrypted or not
  std::string password;     // for an encrypted key; never logged
  TlsVersion min_version = TlsVersion::tls1_2;
};

// A file that cannot be used, said with the file's path and OpenSSL's reason.
class TlsFileError : public std::runtime_error {
 public:
  enum class File { certificate, private_key };
  TlsFileError(File file, const std::string& message) : std::runtime_error(message), file_(file) {}
  File file() const { return file_; }

 private:
  File file_;
};

// Reads both files and checks that the key is the certificate's; throws TlsFileError.
std::shared_ptr<boost::asio::ssl::context> load_tls_context(const TlsFiles& files);

}  // namespace seer::http
