// Attacks on HTTP framing (issue 11): bodies without a bound, request
// smuggling, and a second server on a port already in use. Each test starts
// the real server and sends the raw bytes an attacker would.
#include <gtest/gtest.h>

#include "integration/http_fixture.h"
#include "support/raw_http.h"

namespace earshot::testing {
namespace {

class HttpFramingAttack : public HttpTest {
 protected:
  void ExpectStillServing() {
    auto health = Client().Get("/healthz");
    ASSERT_TRUE(health) << "the server stopped answering";
    EXPECT_EQ(health->status, 200);
  }
  std::string Head(const std::string& path, const std::string& extra) const {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + env_.api_key +
           "\r\nContent-Type: multipart/form-data; boundary=b\r\n" + extra + "\r\n";
  }
};

// A chunked POST of 200 MB was read whole into memory (the 20 MB limit
// applied to Content-Length only). Now it is refused with 411 before one
// byte of the body is read, the connection is closed, and memory does not
// grow with what the attacker keeps sending.
TEST_F(HttpFramingAttack, Regression11AChunkedFloodIsRefusedBeforeItIsRead) {
  const long rss_before = server_->PeakRssKb();
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn.Send(Head("/api/v1/recordings", "Transfer-Encoding: chunked\r\n")));
  const std::string chunk_data(1 << 20, 'a');
  const std::string chunk = "100000\r\n" + chunk_data + "\r\n";
  size_t sent = 0;
  for (int i = 0; i < 200 && conn.Send(chunk); ++i) sent += chunk.size();
  const std::string response = conn.ReadAll(5000);
  EXPECT_EQ(StatusOf(response), 411) << response.substr(0, 300);
  EXPECT_NE(response.find("length_required"), std::string::npos);
  EXPECT_LT(sent, size_t{64} << 20) << "the server kept reading the body";
  const long grown_kb = server_->PeakRssKb() - rss_before;
  // Under ASan the few reads before the refusal cost more (their shadow, the
  // quarantine); reading the 200 MB sent would still show.
  const long limit_kb = (kAddressSanitizer ? 64 : 16) * 1024;
  EXPECT_LT(grown_kb, limit_kb) << "peak memory grew by " << grown_kb << " KiB";
  ExpectStillServing();
}

TEST_F(HttpFramingAttack, Regression11ASmallValidChunkedUploadIsRefusedToo) {
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.Send(Head("/api/v1/staff/sign-in", "Transfer-Encoding: chunked\r\n") +
                        "2\r\n{}\r\n0\r\n\r\n"));
  EXPECT_EQ(StatusOf(conn.ReadAll(3000)), 411);
}

// Two Content-Length headers were accepted (the first won): a proxy that
// takes the second would frame the next request differently (smuggling).
TEST_F(HttpFramingAttack, Regression11TwoContentLengthsAre400) {
  for (const std::string& extra :
       {std::string("Content-Length: 2\r\nContent-Length: 40\r\n"),
        std::string("Content-Length: 2\r\nContent-Length: 2\r\n"),
        std::string("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"),
        std::string("Content-Length: +2\r\n"), std::string("Content-Length: 0x2\r\n")}) {
    RawConnection conn(server_->port());
    ASSERT_TRUE(conn.Send(Head("/api/v1/staff/sign-in", extra) + "{}" +
                          "GET /api/v1/admin/staff HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string response = conn.ReadAll(3000);
    EXPECT_EQ(StatusOf(response), 400) << extra << response.substr(0, 200);
    // The smuggled request (an admin route, no session) would be answered 401.
    EXPECT_EQ(response.find("HTTP/1.1 401"), std::string::npos)
        << "the smuggled second request was answered: " << extra;
    EXPECT_EQ(response.find("missing_session"), std::string::npos) << extra;
  }
  ExpectStillServing();
}

// A second `earshot serve` on a port in use started and shared it silently
// (SO_REUSEPORT); it must fail and say why.
TEST_F(HttpFramingAttack, Regression11ASecondServerOnAPortInUseFailsClearly) {
  TempDir other;
  const CliRun second =
      Earshot("serve --data " + other.path() + "/d --listen 127.0.0.1:" +
              std::to_string(server_->port()));
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.out.find("address is in use"), std::string::npos) << second.out;
  ExpectStillServing();
}

}  // namespace
}  // namespace earshot::testing
