#include "http/tls.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "util/fs.h"

namespace earshot::http {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// A key with a passphrase would make OpenSSL prompt on the terminal; refuse.
int NoPassphrase(char*, int, int, void*) {
  return -1;
}

}  // namespace

Result<TlsIdentity> LoadTlsIdentity(const std::string& cert_path, const std::string& key_path) {
  TlsIdentity id;
  auto cert = ReadFile(cert_path);
  if (!cert.ok()) return InvalidArgument("tls_unreadable", "cannot read --tls-cert " + cert_path);
  auto key = ReadFile(key_path);
  if (!key.ok()) return InvalidArgument("tls_unreadable", "cannot read --tls-key " + key_path);
  id.cert_pem = std::move(cert).value();
  id.key_pem = std::move(key).value();

  auto cert_bio = MemoryBio(id.cert_pem);
  std::unique_ptr<X509, X509Free> x509(
      cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!x509) {
    return InvalidArgument("tls_bad_cert", cert_path + " holds no PEM certificate");
  }
  auto key_bio = MemoryBio(id.key_pem);
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(
      key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!pkey) {
    return InvalidArgument("tls_bad_key",
                           key_path + " holds no PEM private key without a passphrase");
  }
  if (X509_check_private_key(x509.get(), pkey.get()) != 1) {
    return InvalidArgument("tls_key_mismatch",
                           key_path + " is not the private key of the certificate in " + cert_path);
  }
  if (X509_cmp_current_time(X509_get0_notAfter(x509.get())) <= 0 ||
      X509_cmp_current_time(X509_get0_notBefore(x509.get())) >= 0) {
    return InvalidArgument("tls_cert_expired",
                           "the certificate in " + cert_path + " is expired or not yet valid");
  }
  return id;
}

}  // namespace earshot::http
