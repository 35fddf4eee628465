// The multipart/form-data parser's contract (http/multipart.h).
#include "http/multipart.h"

#include <gtest/gtest.h>

#include <string>

namespace earshot::http {
namespace {

const std::string kType = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& headers, const std::string& data) {
  return "--XyZ\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

TEST(Multipart, AProductUploadGivesItsFieldsByteForByte) {
  // Audio bytes may hold CR, LF, NUL and dashes; only CRLF--XyZ ends a part.
  const std::string audio = std::string("RIFF\r\n\0\xff--XyZ-not-a-delimiter\r\n-", 29);
  const std::string body =
      Part("Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
           "{\"account\":\"a\"}") +
      Part("content-disposition: form-data; name=\"audio\"; filename=\"rec.wav\"\r\n"
           "Content-Type: audio/wav",
           audio) +
      "--XyZ--\r\n";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "metadata");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ((*parts)[0].data, "{\"account\":\"a\"}");
  const FormPart* a = FindPart(*parts, "audio");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->filename, "rec.wav");
  EXPECT_EQ(a->content_type, "audio/wav");
  EXPECT_EQ(std::string(a->data), audio);
  EXPECT_EQ(FindPart(*parts, "other"), nullptr);
}

TEST(Multipart, QuotedBoundaryPreambleAndEpilogue) {
  const std::string body = "ignored preamble\r\n--a b:c\r\nContent-Disposition: form-data; "
                           "name=\"x\\\"y\"\r\n\r\n1\r\n--a b:c--\r\nignored epilogue";
  auto parts = ParseMultipart("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x\"y");
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(Multipart, AnythingElseIsAPreciseError) {
  const std::string ok_part = Part("Content-Disposition: form-data; name=\"a\"", "1");
  const struct {
    std::string type, body, reason;
  } cases[] = {
      {"application/json", "{}", "not_multipart"},
      {"multipart/form-data", ok_part + "--XyZ--", "not_multipart"},
      {"multipart/form-data; boundary=", ok_part + "--XyZ--", "not_multipart"},
      {"multipart/form-data; boundary=" + std::string(71, 'b'), "", "not_multipart"},
      {"multipart/form-data; boundary=bad\x01", "", "not_multipart"},
      {kType, "", "malformed_multipart"},
      {kType, ok_part, "malformed_multipart"},                     // never closed
      {kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1", "malformed_multipart"},
      {kType, Part("Content-Type: text/plain", "1") + "--XyZ--", "malformed_multipart"},
      {kType, Part("Content-Disposition: attachment; name=\"a\"", "1") + "--XyZ--",
       "malformed_multipart"},
      {kType, Part("Content-Disposition: form-data", "1") + "--XyZ--", "malformed_multipart"},
      {kType, Part("no colon here", "1") + "--XyZ--", "malformed_multipart"},
      {kType, "--XyZjunk\r\n", "malformed_multipart"},
      {kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"" + std::string(9000, ' ') +
                  "\r\n\r\n1\r\n--XyZ--",
       "malformed_multipart"},
  };
  for (const auto& c : cases) {
    auto parts = ParseMultipart(c.type, c.body);
    ASSERT_FALSE(parts.ok()) << c.type << " | " << c.body.substr(0, 80);
    EXPECT_EQ(parts.status().reason(), c.reason) << c.type << " | " << c.body.substr(0, 80);
  }
}

TEST(Multipart, NoMoreThanTheLimitOfParts) {
  std::string body;
  for (size_t i = 0; i < kMaxFormParts; ++i) {
    body += Part("Content-Disposition: form-data; name=\"p" + std::to_string(i) + "\"", "x");
  }
  auto at_limit = ParseMultipart(kType, body + "--XyZ--");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_EQ(at_limit->size(), kMaxFormParts);
  body += Part("Content-Disposition: form-data; name=\"one-more\"", "x");
  auto over = ParseMultipart(kType, body + "--XyZ--");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().reason(), "malformed_multipart");
}

}  // namespace
}  // namespace earshot::http
