// The admin's account routes over HTTP (issue 13, item 2): disabling asks
// nothing of the server that could lock the console or make four eyes
// impossible, and a disabled reviewer or lead can be enabled again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class HttpAdminTest : public HttpTest {
 protected:
  httplib::Result Act(const httplib::Headers& admin, const std::string& action,
                      const std::string& name) {
    return Client().Post("/api/v1/admin/staff/" + action, admin, json{{"name", name}}.dump(),
                         "application/json");
  }
  static std::string Code(const httplib::Result& res) {
    return json::parse(res->body)["error"]["code"].get<std::string>();
  }
};

TEST_F(HttpAdminTest, AnAdminCannotDisableThemselfNorAnOfficerFourEyesNeeds) {
  const httplib::Headers ann = StaffSession("ann", "admin");
  StaffSession("pia", "privacy_officer");
  StaffSession("quinn", "privacy_officer");
  const httplib::Headers bo = StaffSession("bo", "reviewer");

  auto self = Act(ann, "disable", "ann");
  ASSERT_TRUE(self);
  EXPECT_EQ(self->status, 409) << self->body;
  EXPECT_EQ(Code(self), "disable_self");
  EXPECT_EQ(Client().Get("/api/v1/admin/staff", ann)->status, 200) << "still signed in";
  auto officer = Act(ann, "disable", "pia");
  EXPECT_EQ(officer->status, 409) << officer->body;
  EXPECT_EQ(Code(officer), "too_few_officers");

  auto reviewer = Act(ann, "disable", "bo");
  EXPECT_EQ(reviewer->status, 200) << reviewer->body;
  EXPECT_EQ(Client().Get("/api/v1/review/shift", bo)->status, 401) << "bo's session ended";
  auto listed = json::parse(Client().Get("/api/v1/admin/staff", ann)->body)["staff"];
  for (const auto& m : listed) {
    if (m["name"] == "bo") EXPECT_TRUE(m["disabled"].get<bool>());
  }
  auto enabled = Act(ann, "enable", "bo");
  EXPECT_EQ(enabled->status, 200) << enabled->body;
  EXPECT_EQ(json::parse(enabled->body)["status"], "enabled");
  EXPECT_EQ(Code(Act(ann, "enable", "bo")), "not_disabled");
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'staff.enable'"),
            1);

  // Officers are enabled on the host, as they are added.
  ASSERT_EQ(Act(ann, "disable", "pia")->status, 409);
  StaffSession("rhea", "privacy_officer");
  ASSERT_EQ(Act(ann, "disable", "pia")->status, 200);
  auto privileged = Act(ann, "enable", "pia");
  EXPECT_EQ(privileged->status, 403) << privileged->body;
  EXPECT_EQ(Code(privileged), "privileged_role");
}

}  // namespace
}  // namespace earshot::testing
