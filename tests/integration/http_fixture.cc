#include "integration/http_fixture.h"

#include <nlohmann/json.hpp>

namespace earshot::testing {

void HttpTest::SetUp() {
  env_.real_clock = true;
  env_.Open(1.0);
  server_ = std::make_unique<ServerProcess>(data_dir());
  server_->set_extra_args(ServerArgs());
  ASSERT_TRUE(server_->Start()) << "server did not start:\n" << server_->Log();
}

void HttpTest::TearDown() {
  if (server_) server_->Stop();
}

httplib::Client HttpTest::Client() const {
  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(30, 0);
  return client;
}

httplib::Result HttpTest::PostRecording(const std::string& key, const std::string& audio,
                                        const std::string& metadata) {
  httplib::MultipartFormDataItems items = {
      {"audio", audio, "clip.wav", "audio/wav"},
      {"metadata", metadata, "", "application/json"},
  };
  httplib::Headers headers;
  if (!key.empty()) headers = Bearer(key);
  return Client().Post("/api/v1/recordings", headers, items);
}

std::string HttpTest::MetadataJson(const std::string& account, const std::string& serial,
                                   const std::string& captured_at, const std::string& hypothesis) {
  nlohmann::json meta = {{"account", account},
                         {"device_serial", serial},
                         {"captured_at", captured_at},
                         {"locale", "en-US"}};
  if (!hypothesis.empty()) meta["hypothesis"] = {{"text", hypothesis}};
  return meta.dump();
}

void HttpTest::PutConsent(const std::string& account, bool store, bool human_review) {
  nlohmann::json body = {
      {"account", account},
      {"purposes", {{"store", store}, {"human_review", human_review}, {"training", false}}},
      {"policy_version", "2026-11"}};
  auto res =
      Client().Put("/api/v1/consents", Bearer(env_.api_key), body.dump(), "application/json");
  ASSERT_TRUE(res) << "no response";
  ASSERT_EQ(res->status, 200) << res->body;
}

std::string HttpTest::SubjectToken(const std::string& account) {
  auto res = Client().Post("/api/v1/subject-tokens", Bearer(env_.api_key),
                           nlohmann::json{{"account", account}}.dump(), "application/json");
  EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no response");
  if (!res) return "";
  return nlohmann::json::parse(res->body)["token"].get<std::string>();
}

httplib::Headers HttpTest::StaffSession(const std::string& name, const std::string& role) {
  const staff::Session session = SignedIn(*env_.ctx, name, role);
  return {{"Cookie", "earshot_session=" + session.id}, {"X-CSRF-Token", session.csrf}};
}

std::string HttpTest::SessionIdOf(const httplib::Headers& staff) {
  auto it = staff.find("Cookie");
  if (it == staff.end()) return "";
  return it->second.substr(it->second.find('=') + 1);
}

}  // namespace earshot::testing
