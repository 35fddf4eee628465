// A data directory populated in-process and the real server serving it.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "support/server_process.h"
#include "support/test_util.h"

namespace earshot::testing {

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Flags for `earshot serve` beyond --data and --listen.
  virtual std::vector<std::string> ServerArgs() const { return {}; }

  httplib::Client Client() const;
  // POST /api/v1/recordings with `key`, `audio` and `metadata` as given.
  httplib::Result PostRecording(const std::string& key, const std::string& audio,
                                const std::string& metadata);
  static std::string MetadataJson(const std::string& account, const std::string& serial,
                                  const std::string& captured_at,
                                  const std::string& hypothesis = "");
  // PUT /api/v1/consents through the product API.
  void PutConsent(const std::string& account, bool store, bool human_review);
  std::string SubjectToken(const std::string& account);
  // A new staff member, enrolled and signed in: the session cookie and CSRF
  // token headers a signed-in page sends.
  httplib::Headers StaffSession(const std::string& name, const std::string& role = "reviewer");
  static std::string SessionIdOf(const httplib::Headers& staff);
  httplib::Headers Bearer(const std::string& token) const {
    return {{"Authorization", "Bearer " + token}};
  }
  std::string data_dir() const { return env_.ctx->config().data_dir; }

  Env env_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace earshot::testing
