#include "util/encoding.h"

#include <gtest/gtest.h>

namespace earshot {
namespace {

TEST(Rfc3339, ParsesZuluOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-11-21T10:00:00Z"), 1795255200000);
  EXPECT_EQ(ParseRfc3339("2026-11-21T12:00:00+02:00"), 1795255200000);
  EXPECT_EQ(ParseRfc3339("2026-11-21T10:00:00.250Z"), 1795255200250);
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00Z"), 1709164800000);
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* bad : {"", "2026-11-21", "2026-11-21 10:00:00Z", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-11-21T10:00:00", "2026-11-21T25:00:00Z",
                          "2026-11-21T10:00:00Zjunk", "2026-11-21T10:00:00.Z", "yesterday"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(Rfc3339, FormatRoundTrips) {
  EXPECT_EQ(FormatRfc3339(1795255200250), "2026-11-21T10:00:00.250Z");
  EXPECT_EQ(ParseRfc3339(FormatRfc3339(1234567890123)), 1234567890123);
}

TEST(Base64Url, RoundTripsAndRejectsGarbage) {
  const std::string bytes("\x00\xff\x10 hello", 9);
  EXPECT_EQ(FromBase64Url(Base64Url(bytes)), bytes);
  EXPECT_FALSE(FromBase64Url("not base64 !").has_value());
}

TEST(Hex, RoundTrips) {
  EXPECT_EQ(Hex("\x01\xab"), "01ab");
  EXPECT_EQ(FromHex("01ab"), std::string("\x01\xab"));
  EXPECT_FALSE(FromHex("0g").has_value());
  EXPECT_FALSE(FromHex("abc").has_value());
}

TEST(Utf8, AcceptsValidRejectsInvalid) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa4"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

}  // namespace
}  // namespace earshot
