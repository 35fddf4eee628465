// Audio responses for players: no caching, inline, one byte range; and the
// Range header's parser (util/byte_range.h).
#include <gtest/gtest.h>

#include "http/reply.h"

namespace earshot::http {
namespace {

const std::string kWav(1000, 'w');

Reply Serve(const std::string& range_header) {
  Reply error;
  const auto spec = AudioRange(range_header, &error);
  if (error.status != 200) return error;
  return AudioReply(SliceBytes(kWav, spec));
}

TEST(AudioReply, WholeAndRanges) {
  Reply whole = Serve("");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body.size(), 1000u);
  EXPECT_EQ(whole.headers["Cache-Control"], "no-store");
  EXPECT_EQ(whole.headers["Content-Disposition"], "inline");
  EXPECT_EQ(whole.content_type, "audio/wav");

  Reply head = Serve("bytes=0-99");
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.body.size(), 100u);
  EXPECT_EQ(head.headers["Content-Range"], "bytes 0-99/1000");

  Reply tail = Serve("bytes=-10");
  EXPECT_EQ(tail.headers["Content-Range"], "bytes 990-999/1000");
  Reply open = Serve("bytes=995-");
  EXPECT_EQ(open.body.size(), 5u);
  Reply past_end = Serve("bytes=900-5000");
  EXPECT_EQ(past_end.headers["Content-Range"], "bytes 900-999/1000");
  Reply long_suffix = Serve("bytes=-100000000");
  EXPECT_EQ(long_suffix.headers["Content-Range"], "bytes 0-999/1000");
}

TEST(AudioReply, UnsatisfiableRangesAre416WithTheSize) {
  for (const char* bad : {"bytes=1000-", "bytes=50-10", "bytes=-0"}) {
    Reply r = Serve(bad);
    EXPECT_EQ(r.status, 416) << bad;
    EXPECT_EQ(r.headers["Content-Range"], "bytes */1000") << bad;
    EXPECT_EQ(r.body.find('w'), std::string::npos) << bad;
  }
}

TEST(AudioReply, MalformedRangesAre416AndServeNothing) {
  for (const char* bad : {"bytes=a-b", "items=0-1", "bytes=0-1,5-6", "bytes=99999999999999999999-",
                          "bytes=-", "bytes=", "bytes= 0-1", "bytes=+1-2", "bytes=0x10-"}) {
    Reply r = Serve(bad);
    EXPECT_EQ(r.status, 416) << bad;
    EXPECT_EQ(r.body.find('w'), std::string::npos) << bad;
  }
}

TEST(ByteRange, ParsesOneRangeAndResolvesItAgainstTheSize) {
  auto spec = ParseByteRange("bytes=00-");
  ASSERT_TRUE(spec);
  EXPECT_EQ(*spec->first, 0u) << "leading zeros are still byte 0";
  auto suffix = ParseByteRange("bytes=-5");
  ASSERT_TRUE(suffix);
  EXPECT_FALSE(suffix->first);
  EXPECT_EQ(ResolveByteRange(*suffix, 3), std::make_pair(uint64_t{0}, uint64_t{2}));
  EXPECT_FALSE(ResolveByteRange(*suffix, 0));
  EXPECT_EQ(ResolveByteRange(ByteRangeSpec{2, 2}, 3), std::make_pair(uint64_t{2}, uint64_t{2}));
}

// Issue 11: the client of a 5xx is told "the server log has details"; the
// request log held only route, status and milliseconds.
TEST(ErrorReply, AServerErrorLogsItsReasonAndAClientErrorDoesNot) {
  ::testing::internal::CaptureStderr();
  Reply internal = ErrorReply(Internal("disk_gone", "cannot write the blob: EIO"));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("EIO"), std::string::npos) << "details stay out of the reply";
  EXPECT_NE(logged.find("disk_gone"), std::string::npos) << logged;
  EXPECT_NE(logged.find("EIO"), std::string::npos) << logged;
  ::testing::internal::CaptureStderr();
  (void)ErrorReply(NotFound("no_such_task", "no such task"));
  EXPECT_EQ(::testing::internal::GetCapturedStderr().find("no_such_task"), std::string::npos);
}

// The database's own message names its host and port (and SQL, constraint
// names): it goes to the log, never to the client, with the reason kept.
TEST(ErrorReply, TheDatabasesWordsStayInTheLog) {
  ::testing::internal::CaptureStderr();
  Reply down =
      ErrorReply(Unavailable("db_unreachable",
                             "cannot connect to PostgreSQL: connection to server at \"10.1.2.3\", "
                             "port 5432 failed: Connection refused"));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find("db_unreachable"), std::string::npos) << down.body;
  EXPECT_EQ(down.body.find("10.1.2.3"), std::string::npos) << down.body;
  EXPECT_EQ(down.body.find("5432"), std::string::npos) << down.body;
  EXPECT_EQ(down.headers["Retry-After"], "1");
  EXPECT_NE(logged.find("10.1.2.3"), std::string::npos) << logged;
  Reply clash = ErrorReply(Conflict("db_constraint",
                                    "INSERT: duplicate key value violates unique "
                                    "constraint \"staff_name_key\""));
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(clash.body.find("staff_name_key"), std::string::npos) << clash.body;
}

}  // namespace
}  // namespace earshot::http
