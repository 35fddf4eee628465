#include <gtest/gtest.h>

#include "rights/erasure.h"
#include "rights/subject_tokens.h"
#include "rights/subjects.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

TEST(SubjectToken, VerifiesUntilExpiryAndRejectsForgeries) {
  Env env;
  env.Open();
  auto token = rights::MintSubjectToken(*env.ctx, rights::kDefaultTenant, "acct-1", 60'000);
  ASSERT_TRUE(token.ok());
  auto subject = rights::VerifySubjectToken(*env.ctx, *token);
  ASSERT_TRUE(subject.ok()) << subject.status().ToString();
  EXPECT_EQ(token->find("acct-1"), std::string::npos) << "tokens do not carry the account id";

  std::string forged = *token;
  forged[10] = forged[10] == 'a' ? 'b' : 'a';
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, forged).status().reason(), "bad_subject_token");
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, "").status().reason(), "bad_subject_token");
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, "sjt_.").status().reason(), "bad_subject_token");

  env.clock.Advance(60'001);
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, *token).status().reason(),
            "expired_subject_token");
}

TEST(SubjectToken, TtlIsCappedAndErasedSubjectsAreRejected) {
  Env env;
  env.Open();
  auto token =
      rights::MintSubjectToken(*env.ctx, rights::kDefaultTenant, "acct-2", 365 * kMsPerDay);
  ASSERT_TRUE(token.ok());
  env.clock.Advance(env.ctx->config().subject_token_max_ttl_ms + 1);
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, *token).status().reason(),
            "expired_subject_token");

  auto fresh = rights::MintSubjectToken(*env.ctx, rights::kDefaultTenant, "acct-2", 60'000);
  auto subject = rights::VerifySubjectToken(*env.ctx, *fresh);
  ASSERT_TRUE(subject.ok());
  ASSERT_TRUE(rights::EraseSubject(*env.ctx, *subject).ok());
  EXPECT_EQ(rights::VerifySubjectToken(*env.ctx, *fresh).status().reason(), "unknown_subject");
}

TEST(SubjectToken, TokenFromAnotherInstallationIsRejected) {
  Env a, b;
  a.Open();
  b.Open();
  auto token = rights::MintSubjectToken(*a.ctx, rights::kDefaultTenant, "acct-3", 60'000);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(rights::VerifySubjectToken(*b.ctx, *token).status().reason(), "bad_subject_token");
}

}  // namespace
}  // namespace earshot
