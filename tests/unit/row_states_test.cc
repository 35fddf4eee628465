// The one mapping of row states to their stored text (app/row_states.h):
// every value has a text of its own that reads back as that value, and every
// state a whole flow (intake, de-identification, review with a distress
// flag, a disclosure, an erasure) leaves in the tables is one of them.
#include "app/row_states.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <set>
#include <string>

#include "ingest/intake.h"
#include "pipeline/jobs.h"
#include "pipeline/stages.h"
#include "review/escalation.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "rights/subjects.h"
#include "staff/staff.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

// Every enumerator 0..count-1 is named, names are distinct, and each parses
// back to its value; texts no state has (case, spacing, empty) do not parse.
template <typename E, size_t N, typename Parse>
void ExpectOneToOne(const EnumName<E> (&table)[N], int count, Parse parse) {
  ASSERT_EQ(static_cast<int>(N), count) << "a value is missing from the table";
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    const E value = static_cast<E>(i);
    const std::string name = NameIn(table, value);
    EXPECT_FALSE(name.empty()) << "value " << i << " has no text";
    EXPECT_TRUE(names.insert(name).second) << "two values share the text " << name;
    EXPECT_EQ(parse(name), value) << name;
    std::string upper = name;
    upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
    EXPECT_EQ(parse(upper), std::nullopt);
    EXPECT_EQ(parse(name + " "), std::nullopt);
  }
  EXPECT_EQ(parse(""), std::nullopt);
}

TEST(RowStatesTest, EachStateHasOneTextThatReadsBack) {
  ExpectOneToOne(kTaskStates, 4, ParseTaskState);
  ExpectOneToOne(kJobStates, 5, ParseJobState);
  ExpectOneToOne(kRecordingStates, 2, ParseRecordingState);
  ExpectOneToOne(kErasureStates, 2, ParseErasureState);
  ExpectOneToOne(kEscalationStates, 4, ParseEscalationState);
  // The legacy text migration 11 rewrote is no state any more.
  EXPECT_EQ(ParseJobState("failed"), std::nullopt);
}

TEST(RowStatesTest, AStoredTextNoValueHasIsCorruptionNotADefault) {
  EXPECT_EQ(ParseStored(kJobStates, "running", "bad_job_state", "job j1").value(),
            JobState::kRunning);
  const auto legacy = ParseStored(kJobStates, "failed", "bad_job_state", "job j1");
  ASSERT_FALSE(legacy.ok());
  EXPECT_EQ(legacy.status().code(), Code::kCorruption);
  EXPECT_EQ(legacy.status().reason(), "bad_job_state");
  EXPECT_NE(legacy.status().message().find("job j1"), std::string::npos);
}

TEST(RowStatesTest, RolesPurposesAndStagesHaveOneTextEachToo) {
  ExpectOneToOne(staff::kRoles, 4, staff::ParseRole);
  ExpectOneToOne(rights::kPurposes, 3, rights::ParsePurpose);
  ExpectOneToOne(pipeline::kStages, 4, pipeline::ParseStage);
  // Every stage is required before a reviewer may hear a clip.
  EXPECT_EQ(pipeline::RequiredStages().size(), 4u);
  // A text no role has is refused at the boundary, not stored.
  EXPECT_EQ(staff::ValidateMember("someone", "superuser").status().reason(), "bad_role");
  EXPECT_EQ(staff::ValidateMember("someone", "privacy_officer").value(),
            staff::Role::kPrivacyOfficer);
}

std::set<std::string> States(Context& ctx, const std::string& table) {
  std::set<std::string> out;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT DISTINCT state FROM " + table, {}));
    for (const auto& r : rows) out.insert(r.Text(0));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(RowStatesTest, EveryStateAFlowStoresIsOneTheMappingKnows) {
  Env env;
  env.Open(1.0);
  Context& ctx = *env.ctx;
  auto ingest = [&](const std::string& account, uint32_t seed) {
    GrantConsent(ctx, account, true, true);
    auto rec = ingest::IngestRecording(
        ctx, env.stream, Meta(account, env.clock.NowMs(), "SN-STATES", "call my sister"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    ASSERT_EQ(RunFakeStages(ctx, AllStages()), 1);
  };
  ingest("acct-states", 21);
  const staff::StaffMember reviewer = Reviewer(ctx, "rev-states");
  auto task = review::LeaseNext(ctx, reviewer);
  ASSERT_TRUE(task.ok() && task->has_value()) << task.status().ToString();
  review::AnnotationInput in;
  in.transcript = "call my sister";
  in.flags = {"distress"};
  in.note = "scared";
  ASSERT_OK(review::Annotate(ctx, reviewer, (*task)->task_id, in));
  ingest("acct-erased", 22);
  auto second = review::LeaseNext(ctx, reviewer);
  ASSERT_TRUE(second.ok() && second->has_value()) << second.status().ToString();
  auto cases = review::ListOpenCases(ctx);
  ASSERT_TRUE(cases.ok() && cases->size() == 1u);
  EXPECT_EQ((*cases)[0].state, EscalationState::kOpen);
  const staff::StaffMember officer = Member(ctx, "officer-states", "privacy_officer");
  ASSERT_OK(review::RequestDisclosure(ctx, officer, (*cases)[0].id, "emergency services asked"));
  auto after = review::ListOpenCases(ctx);
  ASSERT_TRUE(after.ok() && after->size() == 1u);
  EXPECT_EQ((*after)[0].state, EscalationState::kDisclosureRequested);
  std::set<std::string> seen;
  auto collect = [&] {
    for (const auto& s : States(ctx, "tasks")) {
      EXPECT_TRUE(ParseTaskState(s)) << "tasks.state " << s;
      seen.insert("task:" + s);
    }
    for (const auto& s : States(ctx, "deid_jobs")) {
      EXPECT_TRUE(ParseJobState(s)) << "deid_jobs.state " << s;
      seen.insert("job:" + s);
    }
    for (const auto& s : States(ctx, "recordings")) {
      EXPECT_TRUE(ParseRecordingState(s)) << "recordings.state " << s;
    }
    for (const auto& s : States(ctx, "erasures")) {
      EXPECT_TRUE(ParseErasureState(s)) << "erasures.state " << s;
      seen.insert("erasure:" + s);
    }
    for (const auto& s : States(ctx, "escalations")) {
      EXPECT_TRUE(ParseEscalationState(s)) << "escalations.state " << s;
      seen.insert("escalation:" + s);
    }
  };
  collect();
  ASSERT_OK(rights::EraseSubject(ctx, SubjectIdOf(ctx, "acct-erased")).status());
  collect();
  // The flow went where it should: the reviewed task done, the second one
  // leased until its person was erased, the jobs done, the erasure done, the
  // case waiting for a second officer.
  for (const char* want : {"task:done", "task:leased", "job:done", "erasure:done",
                           "escalation:disclosure_requested"}) {
    EXPECT_TRUE(seen.count(want)) << want;
  }
  auto erasures = rights::RecentErasures(ctx, 10);
  ASSERT_TRUE(erasures.ok() && erasures->size() == 1u);
  EXPECT_EQ((*erasures)[0].state, ErasureState::kDone);
}

}  // namespace
}  // namespace earshot
