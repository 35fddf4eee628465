// Staff accounts with strong sign-in (issue 5): Argon2id passwords
// (libsodium), a TOTP second factor whose codes are accepted once, ten
// single-use recovery codes, lockout with growing delays per account and per
// address, and server-side sessions (256-bit random ids, stored hashed; idle
// expiry 30 min, absolute 12 h; a CSRF token each). Every sign-in, failure,
// enrolment, password change and second-factor reset is audited.
// Thread-safe (all state in the database).
//
// Enrolment: AddUser prints a one-time enrolment secret and the TOTP
// provisioning URI; the new member sets a password with that secret and a
// first TOTP code (which proves the authenticator app works).
#pragma once

#include <string>
#include <vector>

#include "app/context.h"
#include "staff/staff.h"

namespace earshot::staff {

constexpr int64_t kSessionIdleMs = 30 * 60'000;
constexpr int64_t kSessionAbsoluteMs = 12 * 60 * 60'000;
// Sign-in lockout, three counts (docs/security.md, "Sign-in lockout"): each
// failure counts against the account and address pair, the account, and the
// address; once any count reaches its free failures, that key is locked for
// 1 s, then 2 s, 4 s, ... up to 15 min. Strict for one account; much higher
// for one address, which a vendor's whole office may share behind NAT
// (Config::lockout_address_free_failures, default 100).
constexpr int kLockoutFreeFailures = 5;   // one account from one address
constexpr int kAccountFreeFailures = 10;  // one account from anywhere
// Failures are forgotten this long after the last one (once no lock holds).
constexpr int64_t kFailureMemoryMs = 24 * 60 * 60'000;

struct Enrolment {
  StaffMember member;
  std::string enrolment_secret;             // one-time; shown once
  std::string totp_uri;                     // otpauth://...; shown once
  std::vector<std::string> recovery_codes;  // ten, single-use; shown once
};

// InvalidArgument for a bad name or role; Conflict("staff_exists").
// `actor` is who added the member, for the audit log.
Result<Enrolment> AddUser(Context& ctx, const std::string& name, const std::string& role,
                          const std::string& actor = "operator");

// Sets the first password; the TOTP code may be typed with spaces or dashes
// (NormalizeCode). Unauthenticated("bad_enrolment") for a wrong or
// used secret or a wrong TOTP code; InvalidArgument("weak_password") for a
// password outside 12-256 characters; Unauthenticated("locked") after
// repeated failures (counted and audited like failed sign-ins).
// Failures count against the account and `address`; the password is only
// hashed once secret and code are right.
Status CompleteEnrolment(Context& ctx, const std::string& name, const std::string& secret,
                         const std::string& password, const std::string& totp_code,
                         const std::string& address = "local");

struct Session {
  std::string id;    // the cookie value; only its hash is stored
  std::string csrf;  // to send back on every state-changing request
  StaffMember member;
};

// A new session (never one the caller brought: no fixation). `second_factor`
// is a TOTP code or a recovery code, as typed: spaces and dashes are ignored
// and case does not matter (NormalizeCode, staff/totp.h). Unauthenticated("bad_credentials") for
// any wrong part (which one is not said), Unauthenticated("locked") while the
// account or `address` is locked out.
Result<Session> SignIn(Context& ctx, const std::string& name, const std::string& password,
                       const std::string& second_factor, const std::string& address);

// The member of a live session, sliding its idle expiry.
// Unauthenticated("bad_session") for an unknown, expired or disabled one.
Result<Session> AuthenticateSession(Context& ctx, const std::string& session_id);

Status SignOut(Context& ctx, const std::string& session_id);

// Unauthenticated("bad_credentials") for a wrong old password (counted
// towards the account's lockout: Unauthenticated("locked")); ends every
// session of the member.
Status ChangePassword(Context& ctx, const StaffMember& member, const std::string& old_password,
                      const std::string& new_password);

// A new TOTP secret and ten new recovery codes for a member who lost their
// authenticator (the password stays): the old secret and codes stop working
// and every session of theirs ends; audited staff.reset_totp under `actor`.
// The result's enrolment_secret is empty. NotFound("no_such_staff").
// Disabling, enabling and listing accounts: staff/account_admin.h.
Result<Enrolment> ResetSecondFactor(Context& ctx, const std::string& name,
                                    const std::string& actor = "operator");

// Deletes expired sessions and failure counts older than kFailureMemoryMs
// that hold no lock (run by the sweep).
Status PurgeExpired(Context& ctx);

}  // namespace earshot::staff
