// Hostile input over HTTP (issue 5): SQL-injection strings in every
// free-text parameter are stored as data and reach nobody else's records;
// ids outside the id alphabet never reach a handler; oversized headers and
// sign-in bodies are refused and the server stays up.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <nlohmann/json.hpp>

#include "integration/http_fixture.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class HttpSecurityTest : public HttpTest {};

const std::vector<std::string> kInjections = {"x' OR '1'='1", "x'; DROP TABLE subjects; --",
                                              "\" OR 1=1 --", "x) UNION SELECT * FROM staff --"};

TEST_F(HttpSecurityTest, InjectionStringsAreInertData) {
  PutConsent("acct-bystander", true, true);
  const std::string bystander = SubjectToken("acct-bystander");
  ASSERT_EQ(
      PostRecording(env_.api_key, EncodeAs(Signal(900, 5), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
                    MetadataJson("acct-bystander", "SN-B", FormatRfc3339(SystemClock().NowMs())))
          ->status,
      201);
  for (const std::string& evil : kInjections) {
    PutConsent(evil, true, true);
    auto rec =
        PostRecording(env_.api_key, EncodeAs(Signal(900, 6), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
                      MetadataJson(evil, evil, FormatRfc3339(SystemClock().NowMs()), evil));
    ASSERT_EQ(rec->status, 201) << rec->body;
    // The injected account sees exactly its own recording.
    auto mine = Client().Get("/api/v1/me/recordings", Bearer(SubjectToken(evil)));
    ASSERT_EQ(mine->status, 200) << mine->body;
    EXPECT_EQ(json::parse(mine->body)["recordings"].size(), 1u) << evil;
    // Sign-in with injected names and passwords is just a failed sign-in.
    auto sign_in = Client().Post("/api/v1/staff/sign-in",
                                 json{{"name", evil}, {"password", evil}, {"code", evil}}.dump(),
                                 "application/json");
    EXPECT_EQ(sign_in->status, 401) << sign_in->body;
  }
  // The bystander's data and every table are intact.
  auto theirs = Client().Get("/api/v1/me/recordings", Bearer(bystander));
  ASSERT_EQ(theirs->status, 200);
  EXPECT_EQ(json::parse(theirs->body)["recordings"].size(), 1u);
  EXPECT_EQ(Client().Get("/healthz")->status, 200);
}

TEST_F(HttpSecurityTest, IdsOutsideTheAlphabetNeverReachAHandler) {
  const httplib::Headers reviewer = StaffSession("rev-sec");
  const std::vector<std::string> ids = {"..%2F..%2Fetc%2Fpasswd", "x'%20OR%20'1'='1",
                                        "../../master.key", std::string(65, 'a')};
  for (const std::string& id : ids) {
    auto res = Client().Get("/api/v1/review/tasks/" + id + "/audio", reviewer);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << id;
  }
  auto traversal = Client().Get("/../../master.key");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);
  EXPECT_EQ(traversal->body.find("BEGIN"), std::string::npos);
}

TEST_F(HttpSecurityTest, PagesComeFromTheBinaryAndNoPathReachesAFile) {
  auto page = Client().Get("/review");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  auto chart = Client().Get("/assets/uPlot.iife.min.js");
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->status, 200) << "the charting library is bundled";
  EXPECT_GT(chart->body.size(), 10000u);
  auto key_file = ReadFile(data_dir() + "/master.key");
  ASSERT_TRUE(key_file.ok());
  const std::string key = *key_file;
  ASSERT_EQ(key.size(), 32u);
  for (const std::string& path :
       {std::string("/assets/../master.key"), std::string("/assets/..%2Fmaster.key"),
        std::string("/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        std::string("/assets/..%5cearshot.db"), std::string("/assets/review.html"),
        std::string("/review/../master.key"), std::string("/assets/master.key"),
        std::string("/assets/earshot.db"), std::string("/assets/") + std::string(65, 'a'),
        std::string("/review.html"), std::string("/assets/%00review.js"),
        std::string("//etc/passwd")}) {
    auto res = Client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find(key), std::string::npos) << path;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(HttpSecurityTest, OversizedHeadersAndBodiesAreRefused) {
  httplib::Headers huge = {{"X-Filler", std::string(64 * 1024, 'a')}};
  auto res = Client().Get("/healthz", huge);
  EXPECT_TRUE(!res || res->status >= 400) << "a 64 KB header is not served";
  auto body = Client().Post("/api/v1/staff/sign-in", std::string(21 * 1024 * 1024, '{'),
                            "application/json");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->status, 413);
  EXPECT_EQ(Client().Get("/healthz")->status, 200) << "still up";
}

}  // namespace
}  // namespace earshot::testing
