// Region codes (issue 13, item 13): countries of ISO 3166-1 alpha-2 and the
// documented unions, in any case, kept in upper case; and the data of
// earlier versions, free text in any case, upper-cased by migration 14 so
// that "eu" and "EU" paused side by side become one pause.
#include "ingest/region_codes.h"

#include <gtest/gtest.h>

#include "ingest/streams.h"
#include "store/migrations.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

std::string Normalized(std::string_view typed) {
  auto code = ingest::NormalizeRegionCode(typed);
  return code.ok() ? *code : "error: " + code.status().message();
}

TEST(RegionCodes, CountriesAndUnionsInAnyCaseComeOutUpperCase) {
  EXPECT_EQ(Normalized("DE"), "DE");
  EXPECT_EQ(Normalized("de"), "DE");
  EXPECT_EQ(Normalized("gB"), "GB");
  EXPECT_EQ(Normalized(" us "), "US");
  EXPECT_EQ(Normalized("eu"), "EU");
  EXPECT_EQ(Normalized("Eea"), "EEA");
  EXPECT_EQ(Normalized("AD"), "AD") << "the first code";
  EXPECT_EQ(Normalized("zw"), "ZW") << "the last code";
}

TEST(RegionCodes, AnythingElseIsRefusedWithWhatWouldBeAccepted) {
  for (const char* typed : {"", "XX", "ZZ", "U", "USA", "Europe", "e u", "EU-West", "AA", "su"}) {
    auto code = ingest::NormalizeRegionCode(typed);
    ASSERT_FALSE(code.ok()) << typed;
    EXPECT_EQ(code.status().reason(), "bad_region");
    EXPECT_NE(code.status().message().find("ISO 3166-1"), std::string::npos) << typed;
  }
  EXPECT_EQ(Normalized("uk"), "error: \"UK\" is not an ISO 3166-1 code: the United Kingdom is GB");
  EXPECT_EQ(Normalized("Europe"),
            "error: \"Europe\" is not a region code: use an ISO 3166-1 alpha-2 country code "
            "(e.g. DE, US, GB) or a union (EU, EEA), in any case");
  EXPECT_EQ(Normalized("bad\ncode"),
            "error: \"bad?code\" is not a region code: use an ISO 3166-1 alpha-2 country code "
            "(e.g. DE, US, GB) or a union (EU, EEA), in any case")
      << "no control characters in a message";
}

class RegionCodesData : public ::testing::Test {
 protected:
  void SetUp() override { env_.Open(1.0, "us"); }
  void Exec(const std::string& sql) {
    ASSERT_OK(env_.ctx->db().Write([&](store::Tx& tx) { return tx.ExecScript(sql); }));
  }
  Env env_;
};

TEST_F(RegionCodesData, StreamsAndPausesAreStoredUpperCase) {
  EXPECT_EQ(env_.stream.spec.region, "US");
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM streams WHERE region = 'US'"), 1);
  ASSERT_OK(ingest::PauseRegion(*env_.ctx, "eu", "admin-y"));
  ASSERT_OK(ingest::PauseRegion(*env_.ctx, "EU", "admin-y"));
  EXPECT_EQ(*ingest::PausedRegions(*env_.ctx), (std::vector<std::string>{"EU"}));
  EXPECT_EQ(ingest::PauseRegion(*env_.ctx, "Europe", "admin-y").reason(), "bad_region");
  EXPECT_EQ(ingest::ResumeRegion(*env_.ctx, "Europe", "admin-y").reason(), "bad_region");
  ASSERT_OK(ingest::ResumeRegion(*env_.ctx, "eU", "admin-y"));
  EXPECT_TRUE(ingest::PausedRegions(*env_.ctx)->empty());
}

// Data from before migration 14: free text in any case, "eu" and "EU"
// paused side by side, a stream in "us", and a code that was never a
// country ("emea").
TEST_F(RegionCodesData, Migration14UpperCasesWhatEarlierVersionsStored) {
  Exec(
      "UPDATE streams SET region = 'us';"
      "INSERT INTO paused_regions (region, paused_at) VALUES ('eu', 5), ('EU', 9), ('us', 7), "
      "('emea', 3);"
      "DELETE FROM schema_migrations WHERE version = 14;");
  ASSERT_OK(store::Migrate(env_.ctx->db()));
  EXPECT_EQ(*ingest::PausedRegions(*env_.ctx), (std::vector<std::string>{"EMEA", "EU", "US"}));
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT paused_at FROM paused_regions WHERE region = 'EU'"), 5)
      << "paused since the earlier of the two";
  auto streams = ingest::ListStreams(*env_.ctx);
  ASSERT_TRUE(streams.ok());
  EXPECT_EQ((*streams)[0].spec.region, "US");
  bool paused = false;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(paused, ingest::IsRegionPaused(tx, (*streams)[0].spec.region));
    return Status::Ok();
  }));
  EXPECT_TRUE(paused) << "the stream in 'us' is paused by 'us'";
  // A legacy pause that is no code can still be lifted, never set again.
  EXPECT_EQ(ingest::PauseRegion(*env_.ctx, "emea", "admin-y").reason(), "bad_region");
  ASSERT_OK(ingest::ResumeRegion(*env_.ctx, "emea", "admin-y"));
  EXPECT_EQ(*ingest::PausedRegions(*env_.ctx), (std::vector<std::string>{"EU", "US"}));
}

}  // namespace
}  // namespace earshot
