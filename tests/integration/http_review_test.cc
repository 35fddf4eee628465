// The reviewer's routes over HTTP where issue 13 changed them: an
// annotation needs an answer to every question, and a break can be ended.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/http_privacy_fixture.h"

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

}  // namespace
}  // namespace earshot::testing
