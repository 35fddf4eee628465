// What admins and the workstation reach beyond the review queue: stream
// changes (bounded by the invariants), region pauses, the staff list, QR
// codes, and a reviewer resuming their own leases after a reload.
#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "ingest/streams.h"
#include "review/queue.h"
#include "staff/account_admin.h"
#include "staff/accounts.h"
#include "staff/qr.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.Open(1.0); }
  Env env_;
};

TEST_F(AdminTest, StreamsChangeWithinTheInvariantsAndEveryChangeIsAudited) {
  ingest::StreamSpec spec = env_.stream.spec;
  spec.sample_rate = 0.25;
  spec.wake_word = "hello there";
  spec.anonymize_chain = "mcadams-vtl";
  ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "admin-x"));
  auto streams = ingest::ListStreams(*env_.ctx);
  ASSERT_TRUE(streams.ok());
  ASSERT_EQ(streams->size(), 1u);
  EXPECT_EQ((*streams)[0].spec.sample_rate, 0.25);
  EXPECT_EQ((*streams)[0].spec.wake_word.value_or(""), "hello there");
  EXPECT_EQ((*streams)[0].spec.anonymize_chain, "mcadams-vtl");
  EXPECT_EQ(QueryInt(*env_.ctx,
                     "SELECT COUNT(*) FROM audit_events WHERE action = 'policy.stream_update' AND "
                     "actor = 'admin-x'"),
            1);
  spec.max_clip_ms = 10'001;
  EXPECT_EQ(ingest::UpdateStream(*env_.ctx, spec, "admin-x").reason(), "bad_length")
      << "clips are at most 10 s";
  spec.max_clip_ms = 5000;
  spec.anonymize_chain = "none";
  EXPECT_FALSE(ingest::UpdateStream(*env_.ctx, spec, "admin-x").ok()) << "no anonymization";
  spec.anonymize_chain = "mcadams";
  spec.name = "no-such-stream";
  EXPECT_EQ(ingest::UpdateStream(*env_.ctx, spec, "admin-x").reason(), "unknown_stream");
}

TEST_F(AdminTest, RegionPausesAreListedAndAttributed) {
  ASSERT_OK(ingest::PauseRegion(*env_.ctx, "EU", "admin-y"));
  ASSERT_OK(ingest::PauseRegion(*env_.ctx, "BR", "admin-y"));
  auto paused = ingest::PausedRegions(*env_.ctx);
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(*paused, (std::vector<std::string>{"BR", "EU"}));
  ASSERT_OK(ingest::ResumeRegion(*env_.ctx, "EU", "admin-y"));
  EXPECT_EQ(ingest::PausedRegions(*env_.ctx)->size(), 1u);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE actor = 'admin-y'"), 3);
}

TEST_F(AdminTest, TheStaffListShowsEnrolmentAndDisablingButNoSecret) {
  const auto ann = SignedIn(*env_.ctx, "ann", "admin").member;
  Member(*env_.ctx, "bo", "reviewer");
  ASSERT_OK(staff::DisableUser(*env_.ctx, ann, "bo"));
  auto members = staff::ListMembers(*env_.ctx, ann.pseudonym);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].member.name, "ann");
  EXPECT_TRUE((*members)[0].enrolled);
  EXPECT_FALSE((*members)[0].disabled);
  EXPECT_FALSE((*members)[1].enrolled);
  EXPECT_TRUE((*members)[1].disabled);
  EXPECT_EQ(QueryInt(*env_.ctx,
                     "SELECT COUNT(*) FROM audit_events WHERE action = 'staff.list' "
                     "AND actor = ?",
                     {ann.pseudonym}),
            1)
      << "the view of the accounts is audited";
}

// Issue 13, item 2: one click used to disable any account, the admin's own
// included. Nobody disables themself, the last admin, or an officer four
// eyes needs; only the host operator can force the last two. Enabling
// restores a reviewer or lead from the console, anyone from the host.
TEST_F(AdminTest, DisablingKeepsAnAdminAndTwoOfficersAndEnablingRestores) {
  const auto ann = SignedIn(*env_.ctx, "ann", "admin").member;
  const staff::StaffMember host{"", "operator", "operator", staff::Role::kAdmin};
  Member(*env_.ctx, "pia", "privacy_officer");
  Member(*env_.ctx, "quinn", "privacy_officer");
  Member(*env_.ctx, "bo", "reviewer");
  EXPECT_EQ(staff::DisableUser(*env_.ctx, ann, "ann").reason(), "disable_self");
  EXPECT_EQ(staff::DisableUser(*env_.ctx, host, "ann").reason(), "last_admin");
  EXPECT_EQ(staff::DisableUser(*env_.ctx, ann, "pia").reason(), "too_few_officers");
  EXPECT_EQ(staff::DisableUser(*env_.ctx, ann, "nobody").reason(), "no_such_staff");
  Member(*env_.ctx, "rhea", "privacy_officer");
  ASSERT_OK(staff::DisableUser(*env_.ctx, ann, "pia"));
  EXPECT_EQ(staff::DisableUser(*env_.ctx, ann, "pia").reason(), "already_disabled");
  EXPECT_EQ(staff::DisableUser(*env_.ctx, ann, "quinn").reason(), "too_few_officers");
  ASSERT_OK(staff::DisableUser(*env_.ctx, ann, "bo"));
  EXPECT_EQ(staff::EnableUser(*env_.ctx, ann, "pia", staff::Reach::kConsole).reason(),
            "privileged_role");
  ASSERT_OK(staff::EnableUser(*env_.ctx, ann, "bo", staff::Reach::kConsole));
  ASSERT_OK(staff::EnableUser(*env_.ctx, host, "pia", staff::Reach::kHost));
  EXPECT_EQ(staff::EnableUser(*env_.ctx, host, "pia", staff::Reach::kHost).reason(),
            "not_disabled");
  ASSERT_OK(staff::DisableUser(*env_.ctx, host, "ann", /*force=*/true));
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'staff.disable'"),
            3);
  EXPECT_EQ(QueryInt(*env_.ctx,
                     "SELECT COUNT(*) FROM audit_events WHERE action = "
                     "'staff.disable' AND actor = 'operator' AND details = 'forced'"),
            1);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'staff.enable'"),
            2);
}

TEST(Qr, TheSvgDrawsTheCode) {
  auto m = staff::EncodeQr("otpauth://totp/earshot:ann?secret=ABCDEFGH&issuer=earshot");
  ASSERT_TRUE(m.has_value());
  EXPECT_GE(m->width, 21);
  EXPECT_TRUE(m->Dark(0, 0)) << "a finder pattern's corner";
  EXPECT_FALSE(m->Dark(-1, 0));
  auto svg = staff::QrSvg("otpauth://totp/earshot:ann?secret=ABCDEFGH&issuer=earshot");
  ASSERT_TRUE(svg.has_value());
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_NE(svg->find("M4 4h1v1h-1z"), std::string::npos) << "the first module past the margin";
  EXPECT_FALSE(staff::EncodeQr(std::string(8000, 'x')).has_value()) << "too long for a QR code";
}

TEST_F(AdminTest, AReviewerResumesOnlyTheirOwnLiveLeases) {
  GrantConsent(*env_.ctx, "acct-l", true, true);
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    ASSERT_TRUE(ingest::IngestRecording(
                    *env_.ctx, env_.stream, Meta("acct-l", env_.clock.NowMs(), "SN", "hello"),
                    EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16))
                    .ok());
  }
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 3);
  const auto ann = Reviewer(*env_.ctx, "ann"), bo = Reviewer(*env_.ctx, "bo");
  auto a1 = review::LeaseNext(*env_.ctx, ann);
  auto b1 = review::LeaseNext(*env_.ctx, bo);
  ASSERT_TRUE(a1.ok() && a1->has_value() && b1.ok() && b1->has_value());
  auto mine = review::ListLeases(*env_.ctx, ann);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].task_id, (*a1)->task_id);
  EXPECT_EQ((*mine)[0].masked_hypothesis, "hello");
  // A reviewer at work keeps the lease; nobody renews another's.
  env_.clock.Advance(env_.ctx->config().lease_ms - 1000);
  auto renewed = review::RenewLease(*env_.ctx, ann, (*a1)->task_id);
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ(*renewed, env_.clock.NowMs() + env_.ctx->config().lease_ms);
  EXPECT_EQ(review::RenewLease(*env_.ctx, ann, (*b1)->task_id).status().reason(), "no_such_task");
  env_.clock.Advance(2000);
  EXPECT_EQ(review::ListLeases(*env_.ctx, ann)->size(), 1u) << "renewed past its first expiry";
  EXPECT_TRUE(review::ListLeases(*env_.ctx, bo)->empty()) << "bo's lease ran out";
  EXPECT_EQ(review::RenewLease(*env_.ctx, bo, (*b1)->task_id).status().reason(), "no_such_task")
      << "an expired lease cannot be revived";
  env_.clock.Advance(env_.ctx->config().lease_ms + 1);
  EXPECT_TRUE(review::ListLeases(*env_.ctx, ann)->empty()) << "an expired lease is not resumed";
}

}  // namespace
}  // namespace earshot
