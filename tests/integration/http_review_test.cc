// The reviewer's routes over HTTP where issue 13 changed them: an
// annotation needs an answer to every question, and a break can be ended.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ingest/streams.h"
#include "integration/http_privacy_fixture.h"
#include "review/training_export.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class HttpReviewTest : public HttpPrivacyTest {
 protected:
  // A reviewer holding the lease of one published clip: its task id.
  std::string LeaseOne(const httplib::Headers& reviewer) {
    PutConsent("acct-review", true, true);
    Ingest("acct-review", "SN-REVIEW", Now(), 17);
    EXPECT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
    auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
    EXPECT_TRUE(next && next->status == 200) << (next ? next->body : "no response");
    return next ? json::parse(next->body)["task"]["id"].get<std::string>() : "";
  }
  // Answers a leased task: `text`, and yes to all three questions.
  void Answer(const httplib::Headers& who, const std::string& task, const char* text) {
    auto r = Client().Post("/api/v1/review/tasks/" + task + "/annotation", who,
                           std::string(R"({"transcript":")") + text +
                               R"(","intended":true,"heard_accurately":true,)"
                               R"("responded_appropriately":true})",
                           "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  int64_t Done(const httplib::Headers& reviewer) {
    auto shift = Client().Get("/api/v1/review/shift", reviewer);
    return json::parse(shift->body)["shift"]["done"].get<int64_t>();
  }
};

// Issue 13, item 3: Ctrl+Enter on a fresh clip used to count it as done
// with all three answers null. The server refuses it and names what is
// missing; "cant_tell" is an answer.
TEST_F(HttpReviewTest, AnAnnotationWithoutEveryAnswerIsRefusedNamingTheMissingOne) {
  const httplib::Headers reviewer = StaffSession("rev-answers");
  const std::string task = LeaseOne(reviewer);
  const std::string path = "/api/v1/review/tasks/" + task + "/annotation";
  auto untouched =
      Client().Post(path, reviewer, R"({"transcript":"x","intended":null})", "application/json");
  ASSERT_TRUE(untouched);
  EXPECT_EQ(untouched->status, 400) << untouched->body;
  const json error = json::parse(untouched->body)["error"];
  EXPECT_EQ(error["code"], "missing_answer");
  EXPECT_NE(error["message"].get<std::string>().find(
                "intended, heard_accurately, responded_appropriately"),
            std::string::npos)
      << error;
  auto one_missing = Client().Post(
      path, reviewer, R"({"transcript":"x","intended":true,"responded_appropriately":false})",
      "application/json");
  EXPECT_EQ(one_missing->status, 400);
  EXPECT_NE(one_missing->body.find("not answered: heard_accurately ("), std::string::npos)
      << one_missing->body;
  EXPECT_EQ(Done(reviewer), 0) << "nothing was counted as reviewed";
  auto answered =
      Client().Post(path, reviewer,
                    R"({"transcript":"x","intended":true,"heard_accurately":"cant_tell",)"
                    R"("responded_appropriately":false})",
                    "application/json");
  EXPECT_EQ(answered->status, 200) << answered->body;
  EXPECT_EQ(Done(reviewer), 1);
}

// Issue 13, item 4: a break could not be ended; the reviewer waited out the
// 15 minutes. Ending it resumes assignment at once, and is audited.
TEST_F(HttpReviewTest, ABreakCanBeEndedEarly) {
  const httplib::Headers reviewer = StaffSession("rev-break");
  LeaseOne(reviewer);
  auto taken = Client().Post("/api/v1/review/break", reviewer, "", "application/json");
  ASSERT_EQ(taken->status, 200) << taken->body;
  EXPECT_GT(json::parse(taken->body)["shift"]["on_break_for_s"].get<int64_t>(), 14 * 60);
  EXPECT_EQ(Client().Post("/api/v1/review/next", reviewer, "", "application/json")->status, 409);
  auto ended = Client().Post("/api/v1/review/break/end", reviewer, "", "application/json");
  ASSERT_TRUE(ended);
  ASSERT_EQ(ended->status, 200) << ended->body;
  EXPECT_EQ(json::parse(ended->body)["shift"]["on_break_for_s"], 0);
  auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  ASSERT_EQ(next->status, 200) << next->body;
  EXPECT_FALSE(json::parse(next->body)["task"].is_null()) << "the clip given back comes again";
  auto again = Client().Post("/api/v1/review/break/end", reviewer, "", "application/json");
  EXPECT_EQ(again->status, 409);
  EXPECT_NE(again->body.find("not_on_break"), std::string::npos) << again->body;
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'review.break_end'"),
      1);
}

// Issue 15, item 1: two reviews that disagree go to a lead on a stream that
// adjudicates. Only a lead may lease it; only the adjudication shows the
// reviews; a reviewer's task never carries another's answer.
TEST_F(HttpReviewTest, OnlyALeadAdjudicatesAndOnlyTheAdjudicationShowsTheReviews) {
  ingest::StreamSpec spec = env_.stream.spec;
  spec.double_review = 1.0;
  spec.on_disagreement = "adjudicate";
  ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
  const httplib::Headers alice = StaffSession("rev-alice"), bob = StaffSession("rev-bob");
  const httplib::Headers lead = StaffSession("lead-lena", "lead");
  Answer(alice, LeaseOne(alice), "turn on the lights");
  auto second = Client().Post("/api/v1/review/next", bob, "", "application/json");
  ASSERT_EQ(second->status, 200);
  const json bob_task = json::parse(second->body)["task"];
  EXPECT_EQ(bob_task["adjudication"], false);
  EXPECT_FALSE(bob_task.contains("reviews")) << bob_task;
  EXPECT_EQ(second->body.find("turn on the lights"), std::string::npos);
  Answer(bob, bob_task["id"].get<std::string>(), "call my sister");
  EXPECT_EQ(
      Client().Post("/api/v1/review/adjudications/next", alice, "", "application/json")->status,
      403)
      << "a reviewer may not adjudicate";
  auto adjudication =
      Client().Post("/api/v1/review/adjudications/next", lead, "", "application/json");
  ASSERT_EQ(adjudication->status, 200) << adjudication->body;
  const json task = json::parse(adjudication->body)["task"];
  ASSERT_EQ(task["adjudication"], true) << task;
  ASSERT_EQ(task["reviews"].size(), 2u);
  EXPECT_EQ(task["reviews"][0]["transcript"], "turn on the lights");
  EXPECT_EQ(task["reviews"][1]["transcript"], "call my sister");
  EXPECT_EQ(task["reviews"][0]["intended"], true);
  // The lead hears the clip (a listen the subject sees) and decides.
  auto audio = Client().Get(task["audio_url"].get<std::string>(), lead);
  ASSERT_EQ(audio->status, 200);
  Answer(lead, task["id"].get<std::string>(), "turn on the lights");
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT adjudicated FROM consensus"), 1);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM listens WHERE purpose = 'review'"), 1);
}

// Issue 15, item 3: the agreement figures are for leads; a stream is named.
TEST_F(HttpReviewTest, AgreementFiguresAreForLeadsAndNameAStream) {
  const httplib::Headers lead = StaffSession("lead-agree", "lead");
  const httplib::Headers reviewer = StaffSession("rev-agree");
  const std::string path = "/api/v1/quality/agreement?days=3&stream=" + env_.stream.spec.name;
  auto ok = Client().Get(path, lead);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json body = json::parse(ok->body);
  EXPECT_EQ(body["days"].size(), 3u);
  EXPECT_EQ(body["overall"]["double_reviewed"], 0);
  EXPECT_TRUE(body["overall"]["inter_reviewer_wer"].is_null()) << "nothing measured is null";
  EXPECT_EQ(Client().Get(path, reviewer)->status, 403);
  auto unnamed = Client().Get("/api/v1/quality/agreement", lead);
  EXPECT_EQ(unnamed->status, 400);
  EXPECT_NE(unnamed->body.find("missing_stream"), std::string::npos) << unnamed->body;
  EXPECT_EQ(Client().Get("/api/v1/quality/agreement?stream=nope", lead)->status, 404);
  EXPECT_EQ(Client()
                .Get("/api/v1/quality/agreement?days=400&stream=" + env_.stream.spec.name, lead)
                ->status,
            400);
}

// Issue 15, item 7: a reviewer sees their own figures, nobody else's, and
// only from whole days before today.
TEST_F(HttpReviewTest, AReviewerSeesTheirOwnAgreementAndNobodyElses) {
  ingest::StreamSpec spec = env_.stream.spec;
  spec.double_review = 1.0;
  ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
  const httplib::Headers alice = StaffSession("rev-own-a"), bob = StaffSession("rev-own-b");
  const httplib::Headers officer = StaffSession("po-own", "privacy_officer");
  Answer(alice, LeaseOne(alice), "turn on the lights");
  auto second = Client().Post("/api/v1/review/next", bob, "", "application/json");
  ASSERT_EQ(second->status, 200);
  Answer(bob, json::parse(second->body)["task"]["id"].get<std::string>(), "turn off the lights");
  auto today = Client().Get("/api/v1/review/me/quality", alice);
  ASSERT_EQ(today->status, 200) << today->body;
  EXPECT_TRUE(json::parse(today->body)["streams"].empty()) << "today's reviews show tomorrow";
  // A day passes for the reviews.
  ASSERT_OK(env_.ctx->db().Write([](store::Tx& tx) -> Status {
    return tx.Exec("UPDATE annotations SET created_at = created_at - 86400000").status();
  }));
  auto mine = Client().Get("/api/v1/review/me/quality?days=7", alice);
  ASSERT_EQ(mine->status, 200) << mine->body;
  const json body = json::parse(mine->body);
  ASSERT_EQ(body["streams"].size(), 1u) << body;
  const json& s = body["streams"][0];
  EXPECT_EQ(s["stream"], env_.stream.spec.name);
  EXPECT_EQ(s["reviews"], 1);
  EXPECT_EQ(s["compared"], 1);
  EXPECT_DOUBLE_EQ(s["wer_vs_consensus"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(s["grade_agreement"].get<double>(), 1.0);
  EXPECT_FALSE(s.contains("pseudonym"));
  EXPECT_FALSE(s.contains("below_others")) << "the flag is for leads";
  // Nothing of bob's: not his pseudonym, not his words.
  std::string bob_pseudonym;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT pseudonym FROM staff WHERE name = ?", {"rev-own-b"}));
    if (!rows.empty()) bob_pseudonym = rows[0].Text(0);
    return Status::Ok();
  }));
  ASSERT_FALSE(bob_pseudonym.empty());
  EXPECT_EQ(mine->body.find(bob_pseudonym), std::string::npos);
  EXPECT_EQ(mine->body.find("off"), std::string::npos);
  EXPECT_EQ(Client().Get("/api/v1/review/me/quality", officer)->status, 403);
  auto bad = Client().Get("/api/v1/review/me/quality?days=0", alice);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("bad_days"), std::string::npos) << bad->body;
}

TEST_F(HttpReviewTest, ProductQualityAndARangeComparisonAreForLeads) {
  const httplib::Headers lead = StaffSession("lead-product", "lead");
  const httplib::Headers reviewer = StaffSession("rev-product");
  const std::string stream = "stream=" + env_.stream.spec.name;
  auto ok = Client().Get("/api/v1/quality/product?days=5&" + stream, lead);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json body = json::parse(ok->body);
  EXPECT_EQ(body["days"].size(), 5u);
  ASSERT_GE(body["locales"].size(), 1u);
  EXPECT_EQ(body["locales"][0]["locale"], "all");
  EXPECT_TRUE(body["locales"][0]["overall"]["wer"].is_null()) << "nothing measured is null";
  EXPECT_EQ(Client().Get("/api/v1/quality/product?" + stream, reviewer)->status, 403);
  EXPECT_EQ(Client().Get("/api/v1/quality/product", lead)->status, 400);
  EXPECT_EQ(Client().Get("/api/v1/quality/product?stream=nope", lead)->status, 404);
  const std::string compare = "/api/v1/quality/product/compare?" + stream;
  auto cmp = Client().Get(compare + "&a=2026-11-01..2026-11-14&b=2026-11-15..2026-11-30", lead);
  ASSERT_EQ(cmp->status, 200) << cmp->body;
  EXPECT_EQ(json::parse(cmp->body)["b"]["to"], "2026-11-30");
  auto bad = Client().Get(compare + "&a=2026-11-14..2026-11-01&b=2026-11-15", lead);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("bad_range"), std::string::npos) << bad->body;
  EXPECT_EQ(Client().Get(compare + "&a=2026-11-01", lead)->status, 400) << "b is required";
  EXPECT_EQ(Client().Get(compare + "&a=2026-11-01&b=2026-11-02", reviewer)->status, 403);
}

TEST_F(HttpReviewTest, TheTrainingExportLogIsForPrivacyOfficers) {
  review::ExportRequest req;
  req.stream = env_.stream.spec.name;
  req.out_dir = env_.dir.path() + "/export-log";
  req.actor = "operator";
  ASSERT_TRUE(review::ExportTraining(*env_.ctx, req).ok());
  const httplib::Headers officer = StaffSession("po-exports", "privacy_officer");
  auto ok = Client().Get("/api/v1/training-exports", officer);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json body = json::parse(ok->body);
  ASSERT_EQ(body["exports"].size(), 1u);
  EXPECT_EQ(body["exports"][0]["state"], "done");
  EXPECT_EQ(body["exports"][0]["by"], "operator");
  EXPECT_EQ(body["exports"][0]["format"], "nemo");
  for (const char* role : {"reviewer", "lead", "admin"}) {
    EXPECT_EQ(Client()
                  .Get("/api/v1/training-exports", StaffSession(std::string("x-") + role, role))
                  ->status,
              403)
        << role;
  }
}

TEST_F(HttpReviewTest, GoldClipsAreListedAndUnmarkedByLeadsOnly) {
  const httplib::Headers lead = StaffSession("lead-gold", "lead");
  const httplib::Headers admin = StaffSession("admin-gold", "admin");
  const httplib::Headers reviewer = StaffSession("rev-gold");
  const std::string path = "/api/v1/quality/gold?stream=" + env_.stream.spec.name;
  auto ok = Client().Get(path, lead);
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["gold"].size(), 0u);
  EXPECT_EQ(Client().Get(path, reviewer)->status, 403) << "a reviewer must not learn what is gold";
  EXPECT_EQ(Client().Get(path, admin)->status, 403);
  EXPECT_EQ(Client().Get("/api/v1/quality/gold", lead)->status, 400);
  EXPECT_EQ(Client().Get("/api/v1/quality/gold?stream=nope", lead)->status, 404);
  auto gone = Client().Delete("/api/v1/quality/gold/gld_nope", lead);
  EXPECT_EQ(gone->status, 404);
  EXPECT_NE(gone->body.find("no_such_gold"), std::string::npos) << gone->body;
  EXPECT_EQ(Client().Delete("/api/v1/quality/gold/gld_nope", reviewer)->status, 403);
  // The agreement report counts the stream's gold clips.
  auto agreement = Client().Get("/api/v1/quality/agreement?stream=" + env_.stream.spec.name, lead);
  ASSERT_EQ(agreement->status, 200);
  EXPECT_EQ(json::parse(agreement->body)["gold_clips"], 0);
}

}  // namespace
}  // namespace earshot::testing
