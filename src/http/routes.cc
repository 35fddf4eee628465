#include "http/routes.h"

#include "util/json_limits.h"

namespace earshot::http {

using staff::Role;

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      // The web pages and their assets, compiled into the binary.
      {"GET", "/", "web.index", Auth::kNone, {}, get_web_page},
      {"GET", "/review", "web.review", Auth::kNone, {}, get_web_page},
      {"GET", "/privacy", "web.privacy", Auth::kNone, {}, get_web_page},
      {"GET", "/console", "web.console", Auth::kNone, {}, get_web_page},
      {"GET", R"(/assets/([A-Za-z0-9_.\-]{1,64}))", "web.asset", Auth::kNone, {}, get_web_asset},
      // The API's own description (http/openapi.h).
      {"GET", "/api/openapi.json", "openapi", Auth::kNone, {}, get_openapi},
      // Operations.
      {"GET", "/healthz", "healthz", Auth::kNone, {}, get_healthz},
      {"GET", "/metrics", "metrics", Auth::kNone, {}, get_metrics},
      // Product backends (stream API key).
      {"POST", "/api/v1/recordings", "recordings.create", Auth::kStreamKey, {}, post_recordings},
      {"PUT", "/api/v1/consents", "consents.put", Auth::kStreamKey, {}, put_consents},
      {"POST",
       "/api/v1/subject-tokens",
       "subject_tokens.create",
       Auth::kStreamKey,
       {},
       post_subject_tokens},
      // Staff sign-in (public: lockout protects them).
      {"POST", "/api/v1/staff/enrol", "staff.enrol", Auth::kNone, {}, post_staff_enrol},
      {"POST", "/api/v1/staff/sign-in", "staff.sign_in", Auth::kNone, {}, post_staff_sign_in},
      {"GET",
       "/api/v1/staff/me",
       "staff.me",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead, Role::kPrivacyOfficer, Role::kAdmin},
       get_staff_me},
      {"POST",
       "/api/v1/staff/sign-out",
       "staff.sign_out",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead, Role::kPrivacyOfficer, Role::kAdmin},
       post_staff_sign_out},
      {"POST",
       "/api/v1/staff/password",
       "staff.password",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead, Role::kPrivacyOfficer, Role::kAdmin},
       post_staff_password},
      // Reviewers, and leads (who review too, under the same shift limits,
      // and mark gold clips with their reviews: review/gold.h).
      {"POST",
       "/api/v1/review/next",
       "review.next",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_next},
      // A lead adjudicates two reviews that disagree (review/double_review.h)
      // with the same task calls as a review.
      {"POST",
       "/api/v1/review/adjudications/next",
       "review.adjudicate_next",
       Auth::kStaff,
       {Role::kLead},
       post_review_adjudicate_next},
      {"GET",
       R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/audio)",
       "review.audio",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       get_review_task_audio},
      {"GET",
       "/api/v1/review/leases",
       "review.leases",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       get_review_leases},
      {"POST",
       R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/renew)",
       "review.renew",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_task_renew},
      {"GET",
       R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/peaks)",
       "review.peaks",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       get_review_task_peaks},
      {"POST",
       R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/annotation)",
       "review.annotate",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_task_annotation},
      {"POST",
       R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/skip)",
       "review.skip",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_task_skip},
      {"GET",
       "/api/v1/review/shift",
       "review.shift",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       get_review_shift},
      {"POST",
       "/api/v1/review/break",
       "review.break",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_break},
      {"POST",
       "/api/v1/review/break/end",
       "review.break_end",
       Auth::kStaff,
       {Role::kReviewer, Role::kLead},
       post_review_break_end},
      // Leads: the quality report (counts only).
      {"GET",
       "/api/v1/quality/series",
       "quality.series",
       Auth::kStaff,
       {Role::kLead, Role::kAdmin},
       get_quality_series},
      {"GET",
       "/api/v1/quality/agreement",
       "quality.agreement",
       Auth::kStaff,
       {Role::kLead, Role::kAdmin},
       get_quality_agreement},
      // The product's quality per locale and day, and two ranges compared
      // (review/product_quality.h).
      {"GET",
       "/api/v1/quality/product",
       "quality.product",
       Auth::kStaff,
       {Role::kLead, Role::kAdmin},
       get_quality_product},
      {"GET",
       "/api/v1/quality/product/compare",
       "quality.product_compare",
       Auth::kStaff,
       {Role::kLead, Role::kAdmin},
       get_quality_product_compare},
      // Gold clips (review/gold.h): listed and unmarked by leads; marked
      // with a lead's review ("gold": true in its annotation).
      {"GET",
       "/api/v1/quality/gold",
       "quality.gold",
       Auth::kStaff,
       {Role::kLead},
       get_quality_gold},
      {"DELETE",
       R"(/api/v1/quality/gold/([a-z0-9_]{1,64}))",
       "quality.gold_unmark",
       Auth::kStaff,
       {Role::kLead},
       delete_quality_gold},
      // Privacy officers: audit chain and erasure receipts.
      {"GET",
       "/api/v1/audit/status",
       "audit.status",
       Auth::kStaff,
       {Role::kPrivacyOfficer, Role::kAdmin},
       get_audit_status},
      {"GET",
       "/api/v1/erasures",
       "erasures.list",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       get_erasures},
      // Admins: accounts, streams, region pauses.
      {"GET", "/api/v1/admin/staff", "admin.staff", Auth::kStaff, {Role::kAdmin}, get_admin_staff},
      {"GET",
       "/api/v1/admin/jobs/quarantined",
       "admin.jobs_quarantined",
       Auth::kStaff,
       {Role::kAdmin},
       get_admin_quarantined_jobs},
      {"POST",
       "/api/v1/admin/staff",
       "admin.staff_add",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_staff},
      {"POST",
       "/api/v1/admin/staff/disable",
       "admin.staff_disable",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_staff_disable},
      {"POST",
       "/api/v1/admin/staff/enable",
       "admin.staff_enable",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_staff_enable},
      {"GET",
       "/api/v1/admin/streams",
       "admin.streams",
       Auth::kStaff,
       {Role::kAdmin},
       get_admin_streams},
      {"POST",
       "/api/v1/admin/streams",
       "admin.streams_put",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_streams},
      {"GET",
       "/api/v1/admin/regions",
       "admin.regions",
       Auth::kStaff,
       {Role::kAdmin},
       get_admin_regions},
      {"POST",
       "/api/v1/admin/regions/pause",
       "admin.region_pause",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_region_pause},
      {"POST",
       "/api/v1/admin/regions/resume",
       "admin.region_resume",
       Auth::kStaff,
       {Role::kAdmin},
       post_admin_region_pause},
      // Privacy officers: distress cases and the four-eyes disclosure.
      {"GET",
       "/api/v1/escalations",
       "escalations.list",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       get_escalations},
      {"GET",
       R"(/api/v1/escalations/([a-z0-9_]{1,64})/audio)",
       "escalations.audio",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       get_escalation_audio},
      {"POST",
       R"(/api/v1/escalations/([a-z0-9_]{1,64})/disclosure)",
       "escalations.disclosure_request",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       post_escalation_disclosure},
      {"POST",
       R"(/api/v1/escalations/([a-z0-9_]{1,64})/approval)",
       "escalations.disclosure_approve",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       post_escalation_approval},
      {"POST",
       R"(/api/v1/escalations/([a-z0-9_]{1,64})/close)",
       "escalations.close",
       Auth::kStaff,
       {Role::kPrivacyOfficer},
       post_escalation_close},
      // The person recorded (subject token).
      {"GET", "/api/v1/me/recordings", "me.recordings", Auth::kSubject, {}, get_me_recordings},
      {"GET",
       R"(/api/v1/me/recordings/([a-z0-9_]{1,64})/audio)",
       "me.recording_audio",
       Auth::kSubject,
       {},
       get_me_recording_audio},
      {"GET",
       R"(/api/v1/me/clips/([a-z0-9_]{1,64})/audio)",
       "me.clip_audio",
       Auth::kSubject,
       {},
       get_me_clip_audio},
      {"DELETE",
       R"(/api/v1/me/recordings/([a-z0-9_]{1,64}))",
       "me.recording_delete",
       Auth::kSubject,
       {},
       delete_me_recording},
      {"DELETE", "/api/v1/me", "me.erase", Auth::kSubject, {}, delete_me},
      {"GET", "/api/v1/me/export", "me.export", Auth::kSubject, {}, get_me_export},
      {"GET", "/api/v1/me/consents", "me.consents", Auth::kSubject, {}, get_me_consents},
      {"PUT", "/api/v1/me/consents", "me.consents_put", Auth::kSubject, {}, put_me_consents},
      {"PUT", "/api/v1/me/retention", "me.retention_put", Auth::kSubject, {}, put_me_retention},
  };
  return kRoutes;
}

Result<nlohmann::json> JsonBody(const Request& req) {
  if (!JsonNestingWithin(req.body)) {
    return InvalidArgument("malformed_json", "the request body nests too deeply");
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgument("malformed_json", "the request body must be a JSON object");
  }
  return body;
}

Result<int> IntParam(const Request& req, const char* name, int fallback, int min, int max,
                     const char* reason) {
  const std::string range =
      std::string(name) + " must be " + std::to_string(min) + "-" + std::to_string(max);
  if (!req.HasQuery(name)) return fallback;
  int value = 0;
  try {
    value = std::stoi(req.QueryValue(name));
  } catch (...) {
    return InvalidArgument(reason, range);
  }
  if (value < min || value > max) return InvalidArgument(reason, range);
  return value;
}

Result<std::string> StringField(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    return InvalidArgument("missing_field", std::string(key) + " (non-empty string) is required");
  }
  return it->get<std::string>();
}

}  // namespace earshot::http
