// HTTPS for `earshot serve --tls-cert F --tls-key F`: the certificate chain
// and private key, read and checked with OpenSSL before the server binds, so
// a wrong file is a precise error at start rather than a daemon that does
// not come up. libmicrohttpd then serves TLS with them (it links GnuTLS).
#pragma once

#include <string>

#include "util/status.h"

namespace earshot::http {

struct TlsIdentity {
  std::string cert_pem;  // the server's certificate first, then its chain
  std::string key_pem;
};

// Reads both PEM files. Errors (InvalidArgument unless said): tls_unreadable
// (a file cannot be read), tls_bad_cert (no PEM certificate), tls_bad_key (no
// PEM private key, or one with a passphrase), tls_key_mismatch (the key is
// not the certificate's), tls_cert_expired (past its notAfter, or not yet
// valid).
Result<TlsIdentity> LoadTlsIdentity(const std::string& cert_path, const std::string& key_path);

// The Strict-Transport-Security value every reply over TLS carries.
inline constexpr const char* kHstsValue = "max-age=31536000";

}  // namespace earshot::http
