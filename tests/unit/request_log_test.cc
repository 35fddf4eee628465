// How loud a request's log line is (http/request_log.h).
#include "http/request_log.h"

#include <gtest/gtest.h>

namespace earshot::http {
namespace {

TEST(RequestLog, QuickReadsAndPollsAreDebugEverythingElseIsHeard) {
  EXPECT_EQ(RequestLogLevel(200, "GET", false, 3), LogLevel::kDebug);
  EXPECT_EQ(RequestLogLevel(206, "HEAD", false, 3), LogLevel::kDebug);
  EXPECT_EQ(RequestLogLevel(200, "POST", true, 3), LogLevel::kDebug) << "a poll";
  EXPECT_EQ(RequestLogLevel(201, "POST", false, 3), LogLevel::kInfo) << "a change";
  EXPECT_EQ(RequestLogLevel(204, "DELETE", false, 3), LogLevel::kInfo);
  EXPECT_EQ(RequestLogLevel(200, "GET", false, kSlowRequestMs), LogLevel::kInfo) << "slow";
  EXPECT_EQ(RequestLogLevel(200, "POST", true, kSlowRequestMs + 1), LogLevel::kInfo);
  EXPECT_EQ(RequestLogLevel(401, "GET", false, 3), LogLevel::kInfo) << "a refusal";
  EXPECT_EQ(RequestLogLevel(429, "POST", true, 3), LogLevel::kInfo);
  EXPECT_EQ(RequestLogLevel(500, "GET", false, 3), LogLevel::kError);
  EXPECT_EQ(RequestLogLevel(503, "POST", true, 3), LogLevel::kError);
}

TEST(RequestLog, LevelNamesParseAndNothingElseDoes) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_FALSE(ParseLogLevel("DEBUG").has_value());
  EXPECT_FALSE(ParseLogLevel("").has_value());
  EXPECT_FALSE(ParseLogLevel("verbose").has_value());
}

}  // namespace
}  // namespace earshot::http
