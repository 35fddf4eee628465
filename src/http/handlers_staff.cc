// Staff sign-in over HTTP: enrolment, sign-in (a session cookie, HttpOnly,
// SameSite=Strict; Secure and __Host- when Config::secure_cookies), sign-out, password
// change. State-changing requests on a session need its CSRF token in the
// X-CSRF-Token header (checked in server.cc).
#include "http/routes.h"
#include "staff/accounts.h"

namespace earshot::http {

using nlohmann::json;

namespace {

std::string SessionCookie(Context& ctx, const std::string& value, int64_t max_age_s) {
  std::string cookie = std::string(SessionCookieName(ctx.config())) + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  if (ctx.config().secure_cookies) cookie += "; Secure";
  return cookie;
}

// Sign-in and enrolment take JSON only: a page elsewhere cannot send that
// without a CORS preflight, so it cannot sign a victim in to its own account
// (login CSRF) with a plain form.
Status RequireJson(const Request& req) {
  if (req.Header("Content-Type").rfind("application/json", 0) != 0) {
    return Unsupported("json_required", "send the body as Content-Type: application/json");
  }
  return Status::Ok();
}

// The client's address for the per-address lockout. Behind a TLS proxy every
// request comes from the proxy, so with Config::trust_proxy the address the
// proxy appended last to X-Forwarded-For counts instead (the entries before
// it come from the client and prove nothing).
std::string ClientAddress(const Call& c) {
  if (c.ctx.config().trust_proxy) {
    const std::string forwarded = c.req.Header("X-Forwarded-For");
    const size_t comma = forwarded.rfind(',');
    std::string last = forwarded.substr(comma == std::string::npos ? 0 : comma + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    if (!last.empty() && last.size() <= 64) return last;
  }
  return c.req.remote_addr;
}

}  // namespace

Result<Reply> post_staff_enrol(Call& c) {
  RETURN_IF_ERROR(RequireJson(c.req));
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  auto name = StringField(body, "name");
  auto secret = StringField(body, "enrolment_secret");
  auto password = StringField(body, "password");
  auto code = StringField(body, "code");
  for (const auto* field : {&name, &secret, &password, &code}) {
    if (!field->ok()) return field->status();
  }
  RETURN_IF_ERROR(
      staff::CompleteEnrolment(c.ctx, *name, *secret, *password, *code, ClientAddress(c)));
  return JsonReply(200, {{"status", "enrolled"}});
}

Result<Reply> post_staff_sign_in(Call& c) {
  RETURN_IF_ERROR(RequireJson(c.req));
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  auto name = StringField(body, "name");
  auto password = StringField(body, "password");
  auto code = StringField(body, "code");
  for (const auto* field : {&name, &password, &code}) {
    if (!field->ok()) return field->status();
  }
  ASSIGN_OR_RETURN(auto session, staff::SignIn(c.ctx, *name, *password, *code, ClientAddress(c)));
  Reply r = JsonReply(200, {{"role", staff::RoleName(session.member.role)},
                            {"pseudonym", session.member.pseudonym},
                            {"csrf_token", session.csrf}});
  r.headers["Set-Cookie"] = SessionCookie(c.ctx, session.id, staff::kSessionAbsoluteMs / 1000);
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Result<Reply> get_staff_me(Call& c) {
  // The page's way back to its CSRF token after a reload; a page elsewhere
  // cannot read this reply (no CORS) nor send the cookie (SameSite=Strict).
  Reply r = JsonReply(200, {{"role", staff::RoleName(c.caller.staff->role)},
                            {"pseudonym", c.caller.staff->pseudonym},
                            {"csrf_token", c.caller.csrf}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Result<Reply> post_staff_sign_out(Call& c) {
  RETURN_IF_ERROR(staff::SignOut(c.ctx, c.caller.session_id));
  Reply r = JsonReply(200, {{"status", "signed_out"}});
  r.headers["Set-Cookie"] = SessionCookie(c.ctx, "", 0);
  return r;
}

Result<Reply> post_staff_password(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  auto old_password = StringField(body, "old_password");
  auto new_password = StringField(body, "new_password");
  for (const auto* field : {&old_password, &new_password}) {
    if (!field->ok()) return field->status();
  }
  RETURN_IF_ERROR(staff::ChangePassword(c.ctx, *c.caller.staff, *old_password, *new_password));
  return JsonReply(200, {{"status", "changed"}, {"next", "sign in again"}});
}

}  // namespace earshot::http
