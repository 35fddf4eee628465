// Region codes over HTTP and on the command line (issue 13, item 13): an
// ISO 3166-1 alpha-2 country or a documented union, typed in any case and
// kept in upper case, so "eu" and "EU" are one pause; anything else is
// refused with a message that says what would be accepted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class HttpRegionCodesTest : public HttpTest {
 protected:
  httplib::Result Post(const httplib::Headers& admin, const std::string& path, const json& body) {
    return Client().Post(path, admin, body.dump(), "application/json");
  }
  static json Body(const httplib::Result& res) { return json::parse(res->body); }
};

TEST_F(HttpRegionCodesTest, PausesAreCaseInsensitiveAndUpperCase) {
  const httplib::Headers ann = StaffSession("ann", "admin");
  auto lower = Post(ann, "/api/v1/admin/regions/pause", {{"region", "eu"}});
  ASSERT_TRUE(lower);
  ASSERT_EQ(lower->status, 200) << lower->body;
  EXPECT_EQ(Body(lower)["paused"], json::array({"EU"}));
  auto upper = Post(ann, "/api/v1/admin/regions/pause", {{"region", "EU"}});
  EXPECT_EQ(Body(upper)["paused"], json::array({"EU"})) << "one region, not two";
  auto mixed = Post(ann, "/api/v1/admin/regions/resume", {{"region", "Eu"}});
  ASSERT_EQ(mixed->status, 200) << mixed->body;
  EXPECT_EQ(Body(mixed)["paused"], json::array());
}

TEST_F(HttpRegionCodesTest, AnythingButACountryOrAUnionIsRefusedPrecisely) {
  const httplib::Headers ann = StaffSession("ann", "admin");
  for (const std::string path : {"/api/v1/admin/regions/pause", "/api/v1/admin/regions/resume"}) {
    auto words = Post(ann, path, {{"region", "Europe"}});
    ASSERT_EQ(words->status, 400) << path << " " << words->body;
    EXPECT_EQ(Body(words)["error"]["code"], "bad_region");
    EXPECT_EQ(Body(words)["error"]["message"],
              "\"Europe\" is not a region code: use an ISO 3166-1 alpha-2 country code (e.g. DE, "
              "US, GB) or a union (EU, EEA), in any case");
  }
  auto uk = Post(ann, "/api/v1/admin/regions/pause", {{"region", "uk"}});
  ASSERT_EQ(uk->status, 400) << uk->body;
  EXPECT_EQ(Body(uk)["error"]["message"],
            "\"UK\" is not an ISO 3166-1 code: the United Kingdom is GB");
  auto unassigned = Post(ann, "/api/v1/admin/regions/pause", {{"region", "XX"}});
  EXPECT_EQ(unassigned->status, 400) << "a code ISO 3166-1 has not assigned";
  auto empty = Post(ann, "/api/v1/admin/regions/pause", {{"region", ""}});
  EXPECT_EQ(empty->status, 400);
  EXPECT_EQ(Body(Client().Get("/api/v1/admin/regions", ann))["paused"], json::array());
}

TEST_F(HttpRegionCodesTest, AStreamsRegionIsACodeInUpperCase) {
  const httplib::Headers ann = StaffSession("ann", "admin");
  auto created =
      Post(ann, "/api/v1/admin/streams", {{"name", "assistant-de-DE"}, {"region", "de"}});
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["stream"]["region"], "DE");
  auto changed =
      Post(ann, "/api/v1/admin/streams", {{"name", "assistant-de-DE"}, {"region", "eea"}});
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(Body(changed)["stream"]["region"], "EEA");
  auto bad = Post(ann, "/api/v1/admin/streams", {{"name", "assistant-de-DE"}, {"region", "DACH"}});
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(Body(bad)["error"]["code"], "bad_region");
  EXPECT_NE(Body(bad)["error"]["message"].get<std::string>().find("\"DACH\" is not a region code"),
            std::string::npos);
  // The body is kept: a range-for over a temporary's member would read freed
  // memory (the sanitizer suite caught it).
  const auto streams = Body(Client().Get("/api/v1/admin/streams", ann));
  for (const auto& s : streams["streams"]) {
    if (s["name"] == "assistant-de-DE") EXPECT_EQ(s["region"], "EEA");
  }
}

TEST(CliRegionCodes, PauseRegionAndStreamCreateTakeCodesInAnyCase) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  CliRun created = Earshot("stream create assistant-fr-FR --data " + data + " --region fr");
  ASSERT_EQ(created.exit_code, 0) << created.out;
  EXPECT_EQ(json::parse(created.out)["region"], "FR");
  CliRun bad_stream = Earshot("stream create other --data " + data + " --region france");
  EXPECT_EQ(bad_stream.exit_code, 1);
  EXPECT_NE(bad_stream.out.find("\"france\" is not a region code"), std::string::npos)
      << bad_stream.out;
  CliRun paused = Earshot("policy pause-region eu --data " + data);
  ASSERT_EQ(paused.exit_code, 0) << paused.out;
  EXPECT_EQ(paused.out, "region EU paused\n");
  CliRun bad = Earshot("policy pause-region Europe --data " + data);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("error: \"Europe\" is not a region code"), std::string::npos) << bad.out;
  CliRun resumed = Earshot("policy resume-region Eu --data " + data);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_EQ(resumed.out, "region EU resumed\n");
}

}  // namespace
}  // namespace earshot::testing
