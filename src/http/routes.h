// The route table: every endpoint, who may call it, and its handler — the
// whole API in one screen (routes.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "http/reply.h"
#include "http/request.h"
#include "ingest/streams.h"
#include "rights/subjects.h"
#include "staff/staff.h"

namespace earshot::http {

enum class Auth {
  kNone,       // public (health, metrics)
  kStreamKey,  // a product backend: Authorization: Bearer <stream API key>
  kStaff,      // a staff session cookie (+ CSRF token); the route lists the roles allowed
  kSubject,    // a subject token minted for the person recorded
};

// The staff session cookie's name: with Secure it takes the __Host- prefix,
// which browsers only accept from a secure origin, for Path=/ and without a
// Domain (so no sibling subdomain can set or shadow it).
inline const char* SessionCookieName(const Config& config) {
  return config.secure_cookies ? "__Host-earshot_session" : "earshot_session";
}

struct Caller {
  std::optional<ingest::Stream> stream;
  std::optional<staff::StaffMember> staff;
  std::string session_id;  // when the staff member came with a session cookie
  std::string csrf;        // that session's CSRF token
  std::string subject_id;
};

struct Call {
  Context& ctx;
  const Request& req;
  Caller caller;
  // The n-th capture of the route pattern (1-based).
  std::string Param(size_t n) const { return n < req.matches.size() ? req.matches[n] : ""; }
};

// A handler returns its reply or an error Status; the server maps a Status to
// its HTTP reply in one place (ErrorReply, reply.h).
using Handler = Result<Reply> (*)(Call&);

struct Route {
  const char* method;
  const char* pattern;  // regex over the whole decoded path (std::regex_match)
  const char* name;     // logged instead of the raw path
  Auth auth;
  std::vector<staff::Role> roles;  // for Auth::kStaff
  Handler handler;
};

const std::vector<Route>& Routes();

// Handlers, named <verb>_<thing>.
Result<Reply> get_healthz(Call& c);
Result<Reply> get_openapi(Call& c);
Result<Reply> get_metrics(Call& c);
Result<Reply> post_recordings(Call& c);
Result<Reply> put_consents(Call& c);
Result<Reply> post_subject_tokens(Call& c);
Result<Reply> post_review_next(Call& c);
Result<Reply> post_review_adjudicate_next(Call& c);
Result<Reply> get_review_task_audio(Call& c);
Result<Reply> get_review_task_peaks(Call& c);
Result<Reply> get_review_leases(Call& c);
Result<Reply> post_review_task_renew(Call& c);
Result<Reply> get_staff_me(Call& c);
Result<Reply> get_web_page(Call& c);
Result<Reply> get_quality_series(Call& c);
Result<Reply> get_quality_agreement(Call& c);
Result<Reply> get_quality_gold(Call& c);
Result<Reply> get_training_exports(Call& c);
Result<Reply> get_quality_product(Call& c);
Result<Reply> get_quality_product_compare(Call& c);
Result<Reply> delete_quality_gold(Call& c);
Result<Reply> get_audit_status(Call& c);
Result<Reply> get_erasures(Call& c);
Result<Reply> get_admin_staff(Call& c);
Result<Reply> post_admin_staff(Call& c);
Result<Reply> post_admin_staff_disable(Call& c);
Result<Reply> post_admin_staff_enable(Call& c);
Result<Reply> get_admin_streams(Call& c);
Result<Reply> get_admin_quarantined_jobs(Call& c);
Result<Reply> post_admin_streams(Call& c);
Result<Reply> get_admin_regions(Call& c);
Result<Reply> post_admin_region_pause(Call& c);
Result<Reply> get_web_asset(Call& c);
Result<Reply> post_review_task_annotation(Call& c);
Result<Reply> post_review_task_skip(Call& c);
Result<Reply> get_review_shift(Call& c);
Result<Reply> get_review_my_quality(Call& c);
Result<Reply> post_review_break(Call& c);
Result<Reply> post_review_break_end(Call& c);
Result<Reply> post_staff_enrol(Call& c);
Result<Reply> post_staff_sign_in(Call& c);
Result<Reply> post_staff_sign_out(Call& c);
Result<Reply> post_staff_password(Call& c);
Result<Reply> get_escalations(Call& c);
Result<Reply> get_escalation_audio(Call& c);
Result<Reply> post_escalation_disclosure(Call& c);
Result<Reply> post_escalation_approval(Call& c);
Result<Reply> post_escalation_close(Call& c);
Result<Reply> get_me_recordings(Call& c);
Result<Reply> get_me_recording_audio(Call& c);
Result<Reply> get_me_clip_audio(Call& c);
Result<Reply> delete_me_recording(Call& c);
Result<Reply> delete_me(Call& c);
Result<Reply> get_me_export(Call& c);
Result<Reply> get_me_consents(Call& c);
Result<Reply> put_me_consents(Call& c);
Result<Reply> put_me_retention(Call& c);

// Shared by handlers: the JSON object in the request body, or
// InvalidArgument("malformed_json").
Result<nlohmann::json> JsonBody(const Request& req);
// A required non-empty string member, or InvalidArgument("missing_field").
Result<std::string> StringField(const nlohmann::json& body, const char* key);
// The integer query parameter `name`, `fallback` when absent;
// InvalidArgument(reason, "NAME must be MIN-MAX") when not a number in range.
Result<int> IntParam(const Request& req, const char* name, int fallback, int min, int max,
                     const char* reason);
// {"purposes": {...}, "policy_version": "..."}.
// {"purposes": {"store", "human_review", "training"}, "policy_version"}.
nlohmann::json ConsentJson(const rights::ConsentState& s);
Reply ConsentReply(const rights::ConsentState& s);
// The "purposes" object of a consent change: any subset of the three purposes.
Result<std::map<rights::Purpose, bool>> ParseConsentChanges(const nlohmann::json& body);

}  // namespace earshot::http
