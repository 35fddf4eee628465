#include "http/cookies.h"

#include <gtest/gtest.h>

namespace earshot::http {
namespace {

TEST(Cookies, TheFirstPairWithExactlyTheNameWins) {
  EXPECT_EQ(CookieValue("earshot_session=ess_1; theme=dark", "earshot_session"), "ess_1");
  EXPECT_EQ(CookieValue("theme=dark;earshot_session=ess_2", "earshot_session"), "ess_2");
  EXPECT_EQ(CookieValue("  ;; earshot_session=ess_3;earshot_session=late", "earshot_session"),
            "ess_3");
  // A longer or shorter name, or spaces around '=', is another cookie.
  EXPECT_EQ(CookieValue("earshot_session_old=x; xearshot_session=y", "earshot_session"), "");
  EXPECT_EQ(CookieValue("earshot_session =x", "earshot_session"), "");
  EXPECT_EQ(CookieValue("earshot_sessio=x", "earshot_session"), "");
}

TEST(Cookies, ValuesAreVerbatimAndNeverHoldASemicolon) {
  EXPECT_EQ(CookieValue("a=\"quoted\"; b=x=y", "a"), "\"quoted\"");
  EXPECT_EQ(CookieValue("a=\"quoted\"; b=x=y", "b"), "x=y");
  EXPECT_EQ(CookieValue("a=;a=second", "a"), "");
  EXPECT_EQ(CookieValue("", "a"), "");
  EXPECT_EQ(CookieValue(";;;", "a"), "");
}

TEST(Cookies, FromTheRequestsCookieHeader) {
  Request req;
  EXPECT_EQ(CookieValue(req, "earshot_session"), "");
  req.headers.emplace_back("cookie", "theme=dark; earshot_session=ess_4");
  EXPECT_EQ(CookieValue(req, "earshot_session"), "ess_4");
}

}  // namespace
}  // namespace earshot::http
