// Invariants 8 and 9: harm a reviewer hears is escalated to privacy officers
// with nothing but the anonymized clip and the note; disclosing who was
// recorded takes two different officers; intimate clips and audible PII are
// withdrawn from every queue at once.
#include "review/escalation.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "audit/audit_log.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "staff/staff.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-esc", true, true);
    auto out = ingest::IngestRecording(*env_.ctx, env_.stream,
                                       Meta("acct-esc", env_.clock.NowMs(), "SN-ESC", "help me"),
                                       EncodeAs(Signal(1500, 3), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
    reviewer_ = Reviewer(*env_.ctx, "rev-esc");
    auto task = review::LeaseNext(*env_.ctx, reviewer_);
    ASSERT_TRUE(task.ok() && task->has_value());
    task_ = **task;
    officer_a_ = Officer("officer-a");
    officer_b_ = Officer("officer-b");
  }

  staff::StaffMember Officer(const std::string& name) {
    return Member(*env_.ctx, name, "privacy_officer");
  }

  void Flag(const std::set<std::string>& flags, const std::string& note = "") {
    review::AnnotationInput in;
    in.transcript = "help me";
    in.flags = flags;
    in.note = note;
    ASSERT_TRUE(review::Annotate(*env_.ctx, reviewer_, task_.task_id, in).ok());
  }

  int64_t Count(const std::string& sql) { return QueryInt(*env_.ctx, sql); }

  std::string OnlyCaseId() {
    auto cases = review::ListOpenCases(*env_.ctx);
    EXPECT_TRUE(cases.ok());
    EXPECT_EQ(cases->size(), 1u);
    return cases->empty() ? "" : (*cases)[0].id;
  }

  Env env_;
  staff::StaffMember reviewer_, officer_a_, officer_b_;
  review::LeasedTask task_;
};

TEST_F(EscalationTest, DistressOpensACaseWithTheNoteAndNoIdentifier) {
  Flag({"distress"}, "the speaker asked for help");
  auto cases = review::ListOpenCases(*env_.ctx);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  const review::EscalationCase& c = (*cases)[0];
  EXPECT_EQ(c.state, EscalationState::kOpen);
  EXPECT_EQ(c.note, "the speaker asked for help");
  EXPECT_EQ(c.due_at_ms - c.opened_at_ms, env_.ctx->config().escalation_sla_ms);
  EXPECT_FALSE(c.overdue);
  for (const std::string& field : {c.id, c.note, c.masked_text}) {
    EXPECT_EQ(field.find("acct-esc"), std::string::npos);
    EXPECT_EQ(field.find("SN-ESC"), std::string::npos);
  }
  env_.clock.Advance(env_.ctx->config().escalation_sla_ms + 1);
  auto counts = review::CountOpenCases(*env_.ctx);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->open, 1);
  EXPECT_EQ(counts->overdue, 1) << "past its SLA";
}

TEST_F(EscalationTest, DisclosureTakesTwoDifferentOfficers) {
  Flag({"distress"}, "help");
  const std::string id = OnlyCaseId();
  EXPECT_EQ(review::RequestDisclosure(*env_.ctx, officer_a_, id, "").reason(), "reason_required");
  EXPECT_EQ(review::ApproveDisclosure(*env_.ctx, officer_b_, id).status().reason(),
            "bad_case_state")
      << "nothing requested yet";
  ASSERT_TRUE(review::RequestDisclosure(*env_.ctx, officer_a_, id, "risk to life").ok());
  // The requester cannot approve their own request.
  auto self = review::ApproveDisclosure(*env_.ctx, officer_a_, id);
  EXPECT_EQ(self.status().reason(), "four_eyes");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'escalation.approve_denied'"),
            1);
  auto disclosed = review::ApproveDisclosure(*env_.ctx, officer_b_, id);
  ASSERT_TRUE(disclosed.ok()) << disclosed.status().ToString();
  EXPECT_EQ(disclosed->account, "acct-esc");
  EXPECT_EQ(review::ApproveDisclosure(*env_.ctx, officer_b_, id).status().reason(),
            "bad_case_state")
      << "a disclosure happens once";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action IN ("
                  "'escalation.open', 'escalation.disclosure_request', 'escalation.disclose')"),
            3);
  auto chain = audit::Verify(*env_.ctx);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok);
  ASSERT_TRUE(review::CloseCase(*env_.ctx, officer_b_, id).ok());
  EXPECT_TRUE(review::ListOpenCases(*env_.ctx)->empty());
}

// Invariant 7 is not suspended by a case: the person can still erase
// everything, the case goes with it, and officers' lists keep working.
TEST_F(EscalationTest, ErasureTakesTheCaseWithIt) {
  Flag({"distress", "pii_audible"}, "help");
  ASSERT_EQ(Count("SELECT COUNT(*) FROM escalations"), 1);
  std::string subject_id;
  ASSERT_TRUE(env_.ctx->db()
                  .Read([&](store::Tx& tx) -> Status {
                    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT subject_id FROM escalations", {}));
                    subject_id = rows[0].Text(0);
                    return Status::Ok();
                  })
                  .ok());
  auto receipt = rights::EraseSubject(*env_.ctx, subject_id);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM escalations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM redaction_misses"), 0);
  auto cases = review::ListOpenCases(*env_.ctx);
  ASSERT_TRUE(cases.ok()) << cases.status().ToString();
  EXPECT_TRUE(cases->empty());
}

TEST_F(EscalationTest, UnknownCasesAreNotFound) {
  EXPECT_EQ(review::RequestDisclosure(*env_.ctx, officer_a_, "esc_nope", "x").reason(),
            "no_such_case");
  EXPECT_EQ(review::CaseAudio(*env_.ctx, officer_a_, "esc_nope").status().reason(), "no_such_case");
}

TEST_F(EscalationTest, AnOfficersListenIsVisibleToTheSubject) {
  Flag({"distress"}, "help");
  auto wav = review::CaseAudio(*env_.ctx, officer_a_, OnlyCaseId());
  ASSERT_TRUE(wav.ok()) << wav.status().ToString();
  EXPECT_GT(wav->bytes.size(), 44u);
  EXPECT_EQ(officer_a_.pseudonym.rfind("officer-", 0), 0u) << officer_a_.pseudonym;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM listens WHERE purpose = 'escalation' AND "
                  "reviewer_pseudonym = '" +
                  officer_a_.pseudonym + "'"),
            1);
}

TEST_F(EscalationTest, IntimateWithdrawsTheClipFromEveryQueue) {
  // A second reviewer's task on the same clip (e.g. for agreement).
  ASSERT_TRUE(env_.ctx->db()
                  .Write([&](store::Tx& tx) {
                    return tx
                        .Exec(
                            "INSERT INTO tasks (id, clip_id, state, reviewer_id, lease_until, "
                            "created_at) SELECT 'tsk_second', clip_id, 'queued', NULL, 0, 0 "
                            "FROM tasks WHERE id = ?",
                            {task_.task_id})
                        .status();
                  })
                  .ok());
  Flag({"intimate"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE id = 'tsk_second' AND state = 'withdrawn'"), 1);
  auto other = review::LeaseNext(*env_.ctx, Reviewer(*env_.ctx, "rev-2"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM escalations"), 0) << "intimate is not distress";
}

TEST_F(EscalationTest, AudiblePiiIsRecordedAsARedactionMiss) {
  Flag({"pii_audible"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM redaction_misses"), 1);
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_redaction_misses_total"), 1);
}

}  // namespace
}  // namespace earshot
