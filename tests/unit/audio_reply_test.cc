// Audio responses for players: no caching, inline, one byte range.
#include <gtest/gtest.h>

#include "http/reply.h"

namespace earshot::http {
namespace {

const std::string kWav(1000, 'w');

TEST(AudioReply, WholeAndRanges) {
  Reply whole = AudioReply(kWav, "");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body.size(), 1000u);
  EXPECT_EQ(whole.headers["Cache-Control"], "no-store");
  EXPECT_EQ(whole.headers["Content-Disposition"], "inline");

  Reply head = AudioReply(kWav, "bytes=0-99");
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.body.size(), 100u);
  EXPECT_EQ(head.headers["Content-Range"], "bytes 0-99/1000");

  Reply tail = AudioReply(kWav, "bytes=-10");
  EXPECT_EQ(tail.headers["Content-Range"], "bytes 990-999/1000");
  Reply open = AudioReply(kWav, "bytes=995-");
  EXPECT_EQ(open.body.size(), 5u);
  Reply past_end = AudioReply(kWav, "bytes=900-5000");
  EXPECT_EQ(past_end.headers["Content-Range"], "bytes 900-999/1000");
}

TEST(AudioReply, UnsatisfiableOrMalformedRangesAre416) {
  for (const char* bad : {"bytes=1000-", "bytes=50-10", "bytes=-0", "bytes=a-b", "items=0-1",
                          "bytes=0-1,5-6", "bytes=99999999999999999999-"}) {
    Reply r = AudioReply(kWav, bad);
    EXPECT_EQ(r.status, 416) << bad;
    EXPECT_EQ(r.headers["Content-Range"], "bytes */1000") << bad;
  }
}

}  // namespace
}  // namespace earshot::http
