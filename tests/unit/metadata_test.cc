#include "ingest/metadata.h"

#include <gtest/gtest.h>

namespace earshot {
namespace {

const char* kGood =
    R"({"account":"acct-1","device_serial":"SN-1","captured_at":"2026-11-21T10:00:00Z",
  "locale":"en-US","hypothesis":{"text":"call mom","words":[{"w":"call","start":0.1,"end":0.4},
  {"w":"mom","start":0.45,"end":0.8}]},"intent":{"name":"call"}})";

TEST(Metadata, ParsesEveryField) {
  auto meta = ingest::ParseMetadata(kGood);
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->account, "acct-1");
  EXPECT_EQ(meta->device_serial, "SN-1");
  EXPECT_EQ(meta->captured_at_ms, 1795255200000);
  ASSERT_TRUE(meta->hypothesis.has_value());
  ASSERT_EQ(meta->hypothesis->words.size(), 2u);
  EXPECT_DOUBLE_EQ(meta->hypothesis->words[1].end, 0.8);
  EXPECT_EQ(*meta->intent_json, R"({"name":"call"})");
}

TEST(Metadata, DeeplyNestedInputIsRejectedNotRecursedInto) {
  std::string deep = R"({"account":"a","device_serial":"SN","captured_at":"2026-11-21T10:00:00Z",)"
                     R"("locale":"en-US","intent":)";
  for (int i = 0; i < 100000; ++i) deep += R"({"a":)";
  deep += "1";
  for (int i = 0; i < 100000; ++i) deep += "}";
  deep += "}";
  auto meta = ingest::ParseMetadata(deep);
  ASSERT_FALSE(meta.ok());
  EXPECT_EQ(meta.status().reason(), "malformed_metadata");
  // Brackets inside strings do not count.
  auto fine = ingest::ParseMetadata(
      R"({"account":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[","device_serial":"SN",)"
      R"("captured_at":"2026-11-21T10:00:00Z","locale":"en-US"})");
  EXPECT_TRUE(fine.ok()) << fine.status().ToString();
}

TEST(Metadata, SealedFormRoundTripsWithoutTheAccount) {
  auto meta = ingest::ParseMetadata(kGood);
  ASSERT_TRUE(meta.ok());
  const std::string sealed = ingest::SealedMetadataJson(*meta);
  EXPECT_EQ(sealed.find("acct-1"), std::string::npos);
  auto back = ingest::ParseSealedMetadata(sealed);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->device_serial, "SN-1");
  EXPECT_EQ(back->captured_at_ms, meta->captured_at_ms);
  EXPECT_EQ(back->hypothesis->text, "call mom");
}

// The capture time's UTC offset is the recording's timezone: kept in the
// vault so that the local time said in the recording can be masked.
TEST(Metadata, KeepsTheUtcOffsetOfTheCaptureTime) {
  auto with_offset = [](const std::string& captured_at) {
    auto meta = ingest::ParseMetadata(R"({"account":"a","device_serial":"SN","captured_at":")" +
                                      captured_at + R"(","locale":"en-US"})");
    EXPECT_TRUE(meta.ok()) << meta.status().ToString();
    return meta.ok() ? meta->captured_utc_offset_min : 9999;
  };
  EXPECT_EQ(with_offset("2026-11-03T14:05:00-05:00"), -300);
  EXPECT_EQ(with_offset("2026-11-03T19:35:00.250+05:30"), 330);
  EXPECT_EQ(with_offset("2026-11-03T19:05:00Z"), 0);
  auto meta =
      ingest::ParseMetadata(R"({"account":"a","device_serial":"SN",)"
                            R"("captured_at":"2026-11-03T14:05:00-05:00","locale":"en-US"})");
  ASSERT_TRUE(meta.ok());
  auto back = ingest::ParseSealedMetadata(ingest::SealedMetadataJson(*meta));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->captured_utc_offset_min, -300);
  EXPECT_EQ(back->captured_at_ms, meta->captured_at_ms);
  // Sealed before the offset was kept: UTC.
  auto old = ingest::ParseSealedMetadata(
      R"({"device_serial":"SN","captured_at":"2026-11-03T19:05:00.000Z","locale":"en-US"})");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->captured_utc_offset_min, 0);
}

TEST(Metadata, RejectsEachMalformedFieldByName) {
  struct Case {
    std::string json;
    std::string mentions;
  };
  const std::string base =
      R"("device_serial":"SN","captured_at":"2026-11-21T10:00:00Z","locale":"en-US")";
  const std::vector<Case> cases = {
      {"not json", "valid JSON"},
      {"[1,2]", "object"},
      {"{" + base + "}", "account"},
      {R"({"account":7,)" + base + "}", "account"},
      {R"({"account":"",)" + base + "}", "account"},
      {R"({"account":"a","device_serial":"SN","captured_at":"yesterday","locale":"en-US"})",
       "captured_at"},
      {R"({"account":"a","device_serial":"SN","captured_at":"2026-11-21T10:00:00Z"})", "locale"},
      {R"({"account":"a","device_serial":"SN","captured_at":"2026-11-21T10:00:00Z","locale":"e n"})",
       "locale"},
      {R"({"account":"a",)" + base + R"(,"hypothesis":"text"})", "hypothesis"},
      {R"({"account":"a",)" + base +
           R"(,"hypothesis":{"text":"x","words":[{"w":"x","start":2,"end":1}]}})",
       "words[0]"},
      {R"({"account":"a",)" + base +
           R"(,"hypothesis":{"text":"x","words":[{"w":"x","start":-1,"end":1}]}})",
       "words[0]"},
      {R"({"account":"a",)" + base + R"(,"intent":5})", "intent"},
      {R"({"account":"a",)" + base + R"(,"stream":["x"]})", "stream"},
      {R"({"account":")" + std::string(300, 'a') + R"(",)" + base + "}", "account"},
      {"{\"account\":\"\xff\xfe\"," + base + "}", "UTF-8"},
  };
  for (const auto& c : cases) {
    auto meta = ingest::ParseMetadata(c.json);
    ASSERT_FALSE(meta.ok()) << c.json;
    EXPECT_EQ(meta.status().reason(), "malformed_metadata") << c.json;
    EXPECT_NE(meta.status().message().find(c.mentions), std::string::npos)
        << c.json << " -> " << meta.status().message();
  }
}

}  // namespace
}  // namespace earshot
