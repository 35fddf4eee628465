// Staff sign-in: TOTP against the RFC test vectors, enrolment, a code that
// cannot be replayed, single-use recovery codes, lockout with growing
// delays, session expiry, sign-out, password change and disabling.
#include "staff/accounts.h"

#include <gtest/gtest.h>

#include "staff/account_admin.h"
#include "staff/totp.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

const std::string kRfcSecret = "12345678901234567890";

TEST(Totp, MatchesTheRfc4226AndRfc6238Vectors) {
  const uint32_t hotp[] = {755224, 287082, 359152, 969429, 338314,
                           254676, 287922, 162583, 399871, 520489};
  for (uint64_t c = 0; c < 10; ++c) EXPECT_EQ(staff::Hotp(kRfcSecret, c), hotp[c]) << c;
  // RFC 6238 appendix B, SHA1, 8 digits.
  EXPECT_EQ(staff::Hotp(kRfcSecret, 59 / 30, 8), 94287082u);
  EXPECT_EQ(staff::Hotp(kRfcSecret, 1111111109 / 30, 8), 7081804u);
  EXPECT_EQ(staff::Hotp(kRfcSecret, 1234567890 / 30, 8), 89005924u);
}

TEST(Totp, NormalizeCodeDropsSpacesAndDashesAndCase) {
  EXPECT_EQ(staff::NormalizeCode(" 123 456 "), "123456");
  EXPECT_EQ(staff::NormalizeCode("123-456"), "123456");
  EXPECT_EQ(staff::NormalizeCode("ABCD-efgh\tIJKLM"), "abcdefghijklm");
  EXPECT_EQ(staff::NormalizeCode("12.34_56"), "12.34_56") << "other characters stay, and fail";
  EXPECT_EQ(staff::NormalizeCode(""), "");
}

TEST(Totp, AcceptsOneStepEitherSideOnceOnly) {
  const int64_t now = 1'000'000'000'000;
  const int64_t step = now / staff::kTotpStepMs;
  auto code = [&](int64_t s) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06u", staff::Hotp(kRfcSecret, static_cast<uint64_t>(s)));
    return std::string(buf);
  };
  EXPECT_EQ(staff::MatchTotp(kRfcSecret, code(step), now, 0), step);
  EXPECT_EQ(staff::MatchTotp(kRfcSecret, code(step - 1), now, 0), step - 1);
  EXPECT_EQ(staff::MatchTotp(kRfcSecret, code(step + 1), now, 0), step + 1);
  EXPECT_FALSE(staff::MatchTotp(kRfcSecret, code(step - 2), now, 0));
  EXPECT_FALSE(staff::MatchTotp(kRfcSecret, code(step), now, step)) << "already used";
  EXPECT_FALSE(staff::MatchTotp(kRfcSecret, "12345", now, 0));
  EXPECT_FALSE(staff::MatchTotp(kRfcSecret, "12a456", now, 0));
  EXPECT_EQ(staff::Base32Upper("foobar"), "MZXW6YTBOI");
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    auto e = staff::AddUser(*env_.ctx, "olga", "privacy_officer");
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    enrolment_ = *e;
    secret_ = staff::TotpSecretFromUri(e->totp_uri).value_or("");
    ASSERT_EQ(secret_.size(), 20u);
    ASSERT_TRUE(
        staff::CompleteEnrolment(*env_.ctx, "olga", e->enrolment_secret, kPassword, Code()).ok());
    env_.clock.Advance(staff::kTotpStepMs);  // the enrolment code is used up
  }
  std::string Code(int64_t offset_steps = 0) {
    return staff::TotpCode(secret_, env_.clock.NowMs() / staff::kTotpStepMs + offset_steps);
  }
  Result<staff::Session> SignIn(const std::string& password, const std::string& factor,
                                const std::string& address = "10.0.0.1") {
    return staff::SignIn(*env_.ctx, "olga", password, factor, address);
  }

  int64_t AuditCount(const std::string& action) {
    return QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = ?", {action});
  }

  static constexpr const char* kPassword = "correct horse battery staple";
  Env env_;
  staff::Enrolment enrolment_;
  std::string secret_;
};

TEST_F(AccountsTest, EnrolmentIsOneTimeAndNeedsAWorkingCode) {
  EXPECT_EQ(
      staff::CompleteEnrolment(*env_.ctx, "olga", enrolment_.enrolment_secret, kPassword, Code())
          .reason(),
      "bad_enrolment")
      << "the enrolment secret is used up";
  auto e = staff::AddUser(*env_.ctx, "piet", "reviewer");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->recovery_codes.size(), 10u);
  EXPECT_EQ(staff::CompleteEnrolment(*env_.ctx, "piet", e->enrolment_secret, kPassword, "000000")
                .reason(),
            "bad_enrolment");
  EXPECT_EQ(
      staff::CompleteEnrolment(*env_.ctx, "piet", e->enrolment_secret, "short", "000000").reason(),
      "weak_password");
  EXPECT_EQ(staff::AddUser(*env_.ctx, "olga", "admin").status().reason(), "staff_exists");
}

TEST_F(AccountsTest, SignInNeedsPasswordAndCodeAndACodeWorksOnce) {
  EXPECT_EQ(SignIn("wrong password!!", Code()).status().reason(), "bad_credentials");
  EXPECT_EQ(SignIn(kPassword, "000000").status().reason(), "bad_credentials");
  const std::string code = Code();
  auto s = SignIn(kPassword, code);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->member.role, staff::Role::kPrivacyOfficer);
  EXPECT_EQ(s->id.size(), 4 + 43u) << "256 random bits";
  EXPECT_EQ(SignIn(kPassword, code).status().reason(), "bad_credentials") << "replayed code";
  auto again = staff::AuthenticateSession(*env_.ctx, s->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->member.name, "olga");
  EXPECT_EQ(again->csrf, s->csrf);
}

TEST_F(AccountsTest, RecoveryCodesWorkOnceEach) {
  const std::string rc = enrolment_.recovery_codes[3];
  EXPECT_TRUE(SignIn(kPassword, rc).ok());
  EXPECT_EQ(SignIn(kPassword, rc).status().reason(), "bad_credentials");
  EXPECT_TRUE(SignIn(kPassword, enrolment_.recovery_codes[4]).ok());
}

TEST_F(AccountsTest, RepeatedFailuresLockTheAccountWithGrowingDelays) {
  // From many addresses: the account's own count.
  for (int i = 0; i < staff::kAccountFreeFailures; ++i) {
    EXPECT_EQ(SignIn("wrong password!!", Code(), "10.0.0." + std::to_string(i)).status().reason(),
              "bad_credentials");
  }
  // Locked even with the right password, from a fresh address.
  EXPECT_EQ(SignIn(kPassword, Code(), "10.9.9.9").status().reason(), "locked");
  env_.clock.Advance(1001);
  EXPECT_EQ(SignIn("wrong password!!", Code(), "10.9.9.9").status().reason(), "bad_credentials");
  EXPECT_EQ(SignIn(kPassword, Code(), "10.9.9.9").status().reason(), "locked");
  env_.clock.Advance(1001);
  EXPECT_EQ(SignIn(kPassword, Code(), "10.9.9.9").status().reason(), "locked")
      << "the second delay is longer than the first";
  env_.clock.Advance(2000);
  EXPECT_TRUE(SignIn(kPassword, Code(), "10.9.9.9").ok());
}

TEST_F(AccountsTest, OneAddressGuessingManyNamesIsLockedToo) {
  for (int64_t i = 0; i < env_.ctx->config().lockout_address_free_failures; ++i) {
    EXPECT_EQ(staff::SignIn(*env_.ctx, "user" + std::to_string(i), "guess guess guess", "123456",
                            "203.0.113.7")
                  .status()
                  .reason(),
              "bad_credentials");
  }
  EXPECT_EQ(SignIn(kPassword, Code(), "203.0.113.7").status().reason(), "locked");
  EXPECT_TRUE(SignIn(kPassword, Code(), "198.51.100.1").ok()) << "other addresses are not";
}

// A vendor's office behind one NAT address (issue 13, item 6): one
// reviewer's typos lock that reviewer there, not every colleague.
TEST_F(AccountsTest, OneMembersFailuresDoNotLockColleaguesOnTheSameAddress) {
  auto other = staff::AddUser(*env_.ctx, "pia", "reviewer");
  ASSERT_TRUE(other.ok());
  const std::string pia_secret = staff::TotpSecretFromUri(other->totp_uri).value_or("");
  ASSERT_OK(staff::CompleteEnrolment(
      *env_.ctx, "pia", other->enrolment_secret, "pia's long password",
      staff::TotpCode(pia_secret, env_.clock.NowMs() / staff::kTotpStepMs)));
  const std::string office = "192.0.2.10";
  for (int i = 0; i < staff::kLockoutFreeFailures; ++i) {
    EXPECT_EQ(SignIn("wrong password!!", Code(), office).status().reason(), "bad_credentials");
  }
  EXPECT_EQ(SignIn(kPassword, Code(), office).status().reason(), "locked")
      << "the account and address pair is strict";
  EXPECT_TRUE(
      staff::SignIn(*env_.ctx, "pia", "pia's long password", other->recovery_codes[0], office).ok())
      << "a colleague on the same address signs in";
  EXPECT_TRUE(SignIn(kPassword, Code(), "198.51.100.1").ok())
      << "the account itself is not locked by one address's five failures";
}

TEST_F(AccountsTest, SessionsExpireAndEnd) {
  auto s = SignIn(kPassword, Code());
  ASSERT_TRUE(s.ok());
  env_.clock.Advance(staff::kSessionIdleMs - 1000);
  ASSERT_TRUE(staff::AuthenticateSession(*env_.ctx, s->id).ok()) << "activity slides the expiry";
  env_.clock.Advance(staff::kSessionIdleMs + 1);
  EXPECT_EQ(staff::AuthenticateSession(*env_.ctx, s->id).status().reason(), "bad_session");

  auto busy = SignIn(kPassword, Code());
  ASSERT_TRUE(busy.ok());
  for (int64_t t = 0; t < staff::kSessionAbsoluteMs; t += staff::kSessionIdleMs / 2) {
    env_.clock.Advance(staff::kSessionIdleMs / 2);
    (void)staff::AuthenticateSession(*env_.ctx, busy->id);
  }
  env_.clock.Advance(1000);
  EXPECT_EQ(staff::AuthenticateSession(*env_.ctx, busy->id).status().reason(), "bad_session")
      << "12 hours at most, however active";

  auto out = SignIn(kPassword, Code());
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(staff::SignOut(*env_.ctx, out->id).ok());
  EXPECT_FALSE(staff::AuthenticateSession(*env_.ctx, out->id).ok());
}

TEST_F(AccountsTest, PasswordChangeAndDisablingEndSessions) {
  auto s = SignIn(kPassword, Code());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(staff::ChangePassword(*env_.ctx, s->member, "not my password", "a new long password")
                .reason(),
            "bad_credentials");
  ASSERT_TRUE(staff::ChangePassword(*env_.ctx, s->member, kPassword, "a new long password").ok());
  EXPECT_FALSE(staff::AuthenticateSession(*env_.ctx, s->id).ok());
  env_.clock.Advance(staff::kTotpStepMs);
  auto fresh = SignIn("a new long password", Code());
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->id, s->id) << "a new session id at every sign-in";
  const staff::StaffMember host{"", "operator", "operator", staff::Role::kAdmin};
  ASSERT_TRUE(staff::DisableUser(*env_.ctx, host, "olga", /*force=*/true).ok())
      << "the only officer: only the host operator, forcing it";
  EXPECT_FALSE(staff::AuthenticateSession(*env_.ctx, fresh->id).ok());
  env_.clock.Advance(staff::kTotpStepMs);
  EXPECT_EQ(SignIn("a new long password", Code()).status().reason(), "bad_credentials");
}

// Issue 13, item 2: `earshot user reset-totp` for a lost authenticator.
TEST_F(AccountsTest, ResettingTheSecondFactorEndsSessionsAndTheOldCodes) {
  auto s = SignIn(kPassword, Code());
  ASSERT_TRUE(s.ok());
  auto reset = staff::ResetSecondFactor(*env_.ctx, "olga");
  ASSERT_TRUE(reset.ok()) << reset.status().ToString();
  EXPECT_EQ(reset->recovery_codes.size(), 10u);
  EXPECT_TRUE(reset->enrolment_secret.empty()) << "the password stays";
  EXPECT_FALSE(staff::AuthenticateSession(*env_.ctx, s->id).ok()) << "old sessions end";
  env_.clock.Advance(staff::kTotpStepMs);
  EXPECT_EQ(SignIn(kPassword, Code()).status().reason(), "bad_credentials") << "old secret";
  EXPECT_EQ(SignIn(kPassword, enrolment_.recovery_codes[0]).status().reason(), "bad_credentials")
      << "old recovery codes";
  const std::string fresh = staff::TotpSecretFromUri(reset->totp_uri).value_or("");
  ASSERT_EQ(fresh.size(), 20u);
  EXPECT_NE(fresh, secret_);
  EXPECT_TRUE(
      SignIn(kPassword, staff::TotpCode(fresh, env_.clock.NowMs() / staff::kTotpStepMs)).ok());
  EXPECT_TRUE(SignIn(kPassword, reset->recovery_codes[0]).ok());
  EXPECT_EQ(AuditCount("staff.reset_totp"), 1);
  EXPECT_EQ(staff::ResetSecondFactor(*env_.ctx, "nobody").status().reason(), "no_such_staff");
}

TEST_F(AccountsTest, GuessingTheOldPasswordOfAStolenSessionEndsInTheLockout) {
  auto s = SignIn(kPassword, Code());
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < staff::kLockoutFreeFailures; ++i) {
    EXPECT_EQ(staff::ChangePassword(*env_.ctx, s->member, "guess " + std::to_string(i) + " guess",
                                    "a new long password")
                  .reason(),
              "bad_credentials");
  }
  EXPECT_EQ(staff::ChangePassword(*env_.ctx, s->member, kPassword, "a new long password").reason(),
            "locked")
      << "even the right old password waits out the lock";
  EXPECT_EQ(SignIn(kPassword, Code(1)).status().reason(), "locked") << "one lock per account";
  EXPECT_EQ(AuditCount("staff.password_change_failure"), staff::kLockoutFreeFailures);
}

TEST_F(AccountsTest, FailedEnrolmentsAreAuditedAndLockTheAccount) {
  auto e = staff::AddUser(*env_.ctx, "piet", "reviewer");
  ASSERT_TRUE(e.ok());
  for (int i = 0; i < staff::kLockoutFreeFailures; ++i) {
    EXPECT_EQ(
        staff::CompleteEnrolment(*env_.ctx, "piet", "enr_guessed", kPassword, "123456").reason(),
        "bad_enrolment");
  }
  EXPECT_EQ(AuditCount("staff.enrol_failure"), staff::kLockoutFreeFailures);
  const std::string secret = staff::TotpSecretFromUri(e->totp_uri).value_or("");
  const std::string code = staff::TotpCode(secret, env_.clock.NowMs() / staff::kTotpStepMs);
  EXPECT_EQ(
      staff::CompleteEnrolment(*env_.ctx, "piet", e->enrolment_secret, kPassword, code).reason(),
      "locked");
  env_.clock.Advance(1001);
  EXPECT_TRUE(
      staff::CompleteEnrolment(*env_.ctx, "piet", e->enrolment_secret, kPassword,
                               staff::TotpCode(secret, env_.clock.NowMs() / staff::kTotpStepMs))
          .ok());
}

TEST_F(AccountsTest, ThePurgeForgetsOldFailuresAndDeadSessionsButNotALiveLock) {
  auto live = SignIn(kPassword, Code());
  ASSERT_TRUE(live.ok());
  for (int i = 0; i < staff::kLockoutFreeFailures; ++i) {
    (void)staff::SignIn(*env_.ctx, "olga", "wrong password!!", "000000", "10.1.1.1");
  }
  (void)staff::SignIn(*env_.ctx, "someone", "wrong password!!", "000000", "10.2.2.2");
  auto rows = [&](const std::string& table) {
    return QueryInt(*env_.ctx, "SELECT COUNT(*) FROM " + table);
  };
  ASSERT_EQ(rows("sign_in_failures"), 6);  // two accounts, two pairs, two addresses
  ASSERT_EQ(rows("staff_sessions"), 1);
  ASSERT_TRUE(staff::PurgeExpired(*env_.ctx).ok());
  EXPECT_EQ(rows("sign_in_failures"), 6) << "recent failures are remembered";
  EXPECT_EQ(rows("staff_sessions"), 1) << "the session is live";
  env_.clock.Advance(staff::kFailureMemoryMs + 1);
  ASSERT_TRUE(staff::PurgeExpired(*env_.ctx).ok());
  EXPECT_EQ(rows("sign_in_failures"), 0);
  EXPECT_EQ(rows("staff_sessions"), 0) << "idle for a day";
}

TEST(Totp, TheSecretOfAProvisioningUriIsReadBackOrRefused) {
  const std::string uri = staff::TotpUri("a b", "foobar");
  EXPECT_EQ(staff::TotpSecretFromUri(uri), "foobar");
  EXPECT_FALSE(staff::TotpSecretFromUri("otpauth://totp/x?issuer=earshot"));
  EXPECT_FALSE(staff::TotpSecretFromUri("otpauth://totp/x?secret=AB1C"));
  EXPECT_FALSE(staff::TotpSecretFromUri("otpauth://totp/x?secret=&issuer=e"));
  EXPECT_EQ(staff::TotpCode("12345678901234567890", 1), "287082") << "RFC 4226 counter 1";
}

}  // namespace
}  // namespace earshot
