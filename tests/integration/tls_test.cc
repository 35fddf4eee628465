// `earshot serve --tls-cert F --tls-key F` (issue 13): HTTPS with a
// certificate made by openssl at test time, HSTS on every reply, the staff
// session cookie Secure with the __Host- prefix, plain HTTP not answered,
// and wrong files refused at start with a precise message.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "staff/accounts.h"
#include "staff/totp.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

std::string Out(const std::string& command) { return Shell(command).out; }

// A self-signed certificate for 127.0.0.1 and its key, in `dir` as NAME.crt/.key.
void MakeCertificate(const std::string& dir, const std::string& name) {
  Out("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " + dir + "/" + name + ".key -out " +
        dir + "/" + name + ".crt");
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.real_clock = true;
    env_.Open(1.0);
    MakeCertificate(env_.dir.path(), "server");
    ASSERT_TRUE(FileExists(cert()) && FileExists(key())) << "openssl made no certificate";
  }
  std::string cert() const { return env_.dir.path() + "/server.crt"; }
  std::string key() const { return env_.dir.path() + "/server.key"; }
  std::string data() const { return env_.ctx->config().data_dir; }
  // curl with the test's certificate trusted: headers and body.
  std::string Https(int port, const std::string& path, const std::string& args) {
    return Out("curl -s -i --max-time 10 --cacert " + cert() + " " + args +
                 " https://127.0.0.1:" + std::to_string(port) + path);
  }
  Env env_;
};

TEST_F(TlsTest, ServesHttpsWithHstsAndSecureSessionCookies) {
  auto added = staff::AddUser(*env_.ctx, "tls-reviewer", "reviewer");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const std::string password = "a password long enough for tls";
  const auto secret = staff::TotpSecretFromUri(added->totp_uri);
  ASSERT_OK(staff::CompleteEnrolment(
      *env_.ctx, "tls-reviewer", added->enrolment_secret, password,
      staff::TotpCode(secret.value_or(""), env_.ctx->clock().NowMs() / staff::kTotpStepMs)));

  ServerProcess server(data());
  server.set_extra_args({"--workers", "0", "--tls-cert", cert(), "--tls-key", key()});
  ASSERT_TRUE(server.Start()) << server.Log();
  const std::string healthz = Https(server.port(), "/healthz", "");
  EXPECT_NE(healthz.find("HTTP/1.1 200"), std::string::npos) << healthz;
  EXPECT_NE(healthz.find("Strict-Transport-Security: max-age=31536000"), std::string::npos)
      << healthz;

  const std::string body = "{\"name\":\"tls-reviewer\",\"password\":\"" + password +
                           "\",\"code\":\"" + added->recovery_codes[1] + "\"}";
  const std::string signed_in = Https(server.port(), "/api/v1/staff/sign-in",
                                      "-H 'Content-Type: application/json' -d '" + body + "'");
  EXPECT_NE(signed_in.find("HTTP/1.1 200"), std::string::npos) << signed_in;
  EXPECT_NE(signed_in.find("Set-Cookie: __Host-earshot_session="), std::string::npos) << signed_in;
  const size_t cookie = signed_in.find("Set-Cookie:");
  ASSERT_NE(cookie, std::string::npos);
  const std::string line = signed_in.substr(cookie, signed_in.find('\n', cookie) - cookie);
  EXPECT_NE(line.find("; Secure"), std::string::npos) << line;

  // Plain HTTP on the TLS port gets no HTTP answer.
  const std::string plain = Out("curl -s -i --max-time 5 http://127.0.0.1:" +
                                  std::to_string(server.port()) + "/healthz");
  EXPECT_EQ(plain.find("HTTP/1.1 200"), std::string::npos) << plain;
  // A client that does not trust the certificate is refused by curl itself.
  const std::string untrusted = Out("curl -s -o /dev/null -w '%{http_code}' --max-time 5 "
                                      "https://127.0.0.1:" + std::to_string(server.port()) +
                                      "/healthz");
  EXPECT_EQ(untrusted, "000") << untrusted;
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(TlsTest, WrongFilesAreRefusedAtStartWithAPreciseMessage) {
  MakeCertificate(env_.dir.path(), "other");
  const std::string other_key = env_.dir.path() + "/other.key";
  const std::string serve = "serve --data " + data() + " --listen 127.0.0.1:0 --workers 0 ";
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--tls-cert " + cert() + " --tls-key " + other_key, "is not the private key"},
           {"--tls-cert " + key() + " --tls-key " + key(), "holds no PEM certificate"},
           {"--tls-cert " + cert() + " --tls-key " + cert(), "holds no PEM private key"},
           {"--tls-cert " + cert() + " --tls-key /nonexistent.key", "cannot read --tls-key"},
           {"--tls-cert " + cert(), "requires --tls-key"}}) {
    CliRun run = Earshot(serve + c.args);
    EXPECT_NE(run.exit_code, 0) << c.args;
    EXPECT_NE(run.out.find(c.message), std::string::npos) << c.args << ": " << run.out;
  }
}

}  // namespace
}  // namespace earshot::testing
