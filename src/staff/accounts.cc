#include "staff/accounts.h"

#include <algorithm>
#include <initializer_list>

#include "audit/audit_log.h"
#include "crypto/password.h"
#include "crypto/seal.h"
#include "staff/totp.h"
#include "util/encoding.h"
#include "util/random.h"

namespace earshot::staff {
namespace {

constexpr int kRecoveryCodes = 10;
constexpr int64_t kMaxLockoutMs = 15 * 60'000;

Status BadCredentials() {
  return Unauthenticated("bad_credentials", "wrong name, password or code");
}

Status CheckPasswordLength(const std::string& password) {
  if (password.size() < 12 || password.size() > 256) {
    return InvalidArgument("weak_password", "a password must be 12-256 characters long");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& password) {
  RETURN_IF_ERROR(CheckPasswordLength(password));
  return crypto::HashPassword(password);
}

bool PasswordMatches(const std::string& stored, const std::string& password) {
  // An unknown account is checked against a fixed hash, so that timing does
  // not say which names exist.
  static const std::string kDummy = [] {
    auto hash = HashPassword("not-a-real-password-at-all");
    return hash.ok() ? *hash : std::string();
  }();
  const std::string& hash = stored.empty() ? kDummy : stored;
  const bool match = crypto::PasswordHashMatches(hash, password);
  return match && !stored.empty();
}

std::string TotpKey(Context& ctx) {
  return ctx.keys().DeriveKey("stafftot");
}

// The latest lock on any of `keys` ("account:NAME", "address:A"), or 0.
Result<int64_t> LockedUntil(store::Tx& tx, std::initializer_list<std::string> keys) {
  int64_t latest = 0;
  for (const std::string& key : keys) {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT locked_until FROM sign_in_failures WHERE key = ?", {key}));
    if (!rows.empty()) latest = std::max(latest, rows[0].Int(0));
  }
  return latest;
}

// One more failure on `key`: after `free_failures`, locked for 1 s, then
// 2 s, 4 s, ... up to 15 min.
Status CountFailure(store::Tx& tx, int64_t now, const std::string& key, int64_t free_failures) {
  // One upsert, so two failures counted at once both count (a read, then a
  // delete and an insert, would let the later overwrite the earlier).
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("INSERT INTO sign_in_failures (key, failures, locked_until, "
                            "last_failure_at) VALUES (?, 1, 0, ?) ON CONFLICT (key) DO UPDATE "
                            "SET failures = sign_in_failures.failures + 1, last_failure_at = "
                            "excluded.last_failure_at RETURNING failures",
                            {key, now}));
  if (rows.empty()) return Internal("db_error", "the failure count was not returned");
  const int64_t failures = rows[0].Int(0);
  if (failures < free_failures) return Status::Ok();
  const int64_t doublings = std::min<int64_t>(failures - free_failures, 20);
  const int64_t lock = now + std::min<int64_t>(1000LL << doublings, kMaxLockoutMs);
  return tx.Exec("UPDATE sign_in_failures SET locked_until = ? WHERE key = ?", {lock, key})
      .status();
}

// The three lockout counts of a sign-in or enrolment by `name` from `address`.
struct LockoutKeys {
  std::string account, pair, address;
  int64_t address_free_failures;

  LockoutKeys(const Context& ctx, const std::string& name, const std::string& address_)
      : account("account:" + name),
        pair("pair:" + name + "|" + address_),
        address("address:" + address_),
        address_free_failures(ctx.config().lockout_address_free_failures) {}

  Result<int64_t> LockedUntil(store::Tx& tx) const {
    return staff::LockedUntil(tx, {account, pair, address});
  }
  Status CountFailure(store::Tx& tx, int64_t now) const {
    RETURN_IF_ERROR(staff::CountFailure(tx, now, pair, kLockoutFreeFailures));
    RETURN_IF_ERROR(staff::CountFailure(tx, now, account, kAccountFreeFailures));
    return staff::CountFailure(tx, now, address, address_free_failures);
  }
  // A success forgets the account's failures, not the address's: signing in
  // to one's own account must not reset the count of guesses at others.
  Status Forget(store::Tx& tx) const {
    RETURN_IF_ERROR(tx.Exec("DELETE FROM sign_in_failures WHERE key = ?", {account}).status());
    return tx.Exec("DELETE FROM sign_in_failures WHERE key = ?", {pair}).status();
  }
};

Status LockedOut(int64_t locked_until, int64_t now) {
  return Unauthenticated("locked", "too many failed attempts; try again in " +
                                       std::to_string((locked_until - now + 999) / 1000) + " s");
}

struct Account {
  StaffMember member;
  std::string password_hash, totp_sealed, enrolment_hash;
  int64_t totp_last_step = 0;
  bool disabled = false;
};

Result<std::optional<Account>> FindAccount(store::Tx& tx, const std::string& name) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, name, pseudonym, role, disabled, "
                                       "password_hash, totp_sealed, totp_last_step, "
                                       "enrolment_hash FROM staff WHERE name = ?",
                                       {name}));
  if (rows.empty()) return std::optional<Account>();
  const auto& r = rows[0];
  Account a;
  ASSIGN_OR_RETURN(a.member, MemberFromRow(r));
  a.disabled = r.Int(4) != 0;
  a.password_hash = r.IsNull(5) ? "" : r.Text(5);
  a.totp_sealed = r.IsNull(6) ? "" : r.Text(6);
  a.totp_last_step = r.Int(7);
  a.enrolment_hash = r.IsNull(8) ? "" : r.Text(8);
  return std::optional<Account>(std::move(a));
}

// The TOTP step the code matches, or nullopt.
Result<std::optional<int64_t>> CheckTotp(Context& ctx, const Account& a, const std::string& code) {
  if (a.totp_sealed.empty()) return std::optional<int64_t>();
  // REQUIRES: `code` went through NormalizeCode.
  ASSIGN_OR_RETURN(std::string secret,
                   crypto::OpenText(TotpKey(ctx), a.totp_sealed, "totp:" + a.member.id));
  return MatchTotp(secret, code, ctx.clock().NowMs(), a.totp_last_step);
}

// Uses up the recovery code if it is one of the member's unused ones.
Result<bool> UseRecoveryCode(store::Tx& tx, Context& ctx, const Account& a,
                             const std::string& code) {
  ASSIGN_OR_RETURN(int64_t used,
                   tx.Exec("UPDATE staff_recovery_codes SET used_at = ? WHERE staff_id = ? AND "
                           "code_hash = ? AND used_at IS NULL",
                           {ctx.clock().NowMs(), a.member.id, crypto::HashHex(code)}));
  return used == 1;
}

Result<Session> NewSession(store::Tx& tx, Context& ctx, const StaffMember& member) {
  Session s;
  s.id = "ess_" + NewSecret(ctx.rng());
  s.csrf = NewSecret(ctx.rng());
  s.member = member;
  const int64_t now = ctx.clock().NowMs();
  RETURN_IF_ERROR(tx.Exec("INSERT INTO staff_sessions (id_hash, staff_id, csrf, created_at, "
                          "last_seen) VALUES (?, ?, ?, ?, ?)",
                          {crypto::HashHex(s.id), member.id, s.csrf, now, now})
                      .status());
  return s;
}

// A fresh TOTP secret (returned raw) with its provisioning URI and ten
// recovery codes, into `out`.
std::string NewSecondFactor(Context& ctx, const std::string& name, Enrolment* out) {
  uint8_t secret[20];
  ctx.rng().Fill(secret, sizeof secret);
  const std::string totp(reinterpret_cast<const char*>(secret), sizeof secret);
  out->totp_uri = TotpUri(name, totp);
  out->recovery_codes.clear();
  for (int i = 0; i < kRecoveryCodes; ++i) {
    uint8_t bytes[8];
    ctx.rng().Fill(bytes, sizeof bytes);
    out->recovery_codes.push_back(Base32Lower(bytes, sizeof bytes));
  }
  return totp;
}

// Replaces the member's TOTP secret (sealed; no step used yet) and recovery
// codes (hashed): whatever they had before stops working.
Status StoreSecondFactor(store::Tx& tx, Context& ctx, const std::string& staff_id,
                         const std::string& totp, const std::vector<std::string>& codes) {
  RETURN_IF_ERROR(
      tx.Exec("UPDATE staff SET totp_sealed = ?, totp_last_step = 0 WHERE id = ?",
              {crypto::SealText(TotpKey(ctx), totp, "totp:" + staff_id, ctx.rng()), staff_id})
          .status());
  RETURN_IF_ERROR(
      tx.Exec("DELETE FROM staff_recovery_codes WHERE staff_id = ?", {staff_id}).status());
  for (const auto& code : codes) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (?, ?)",
                            {staff_id, crypto::HashHex(code)})
                        .status());
  }
  return Status::Ok();
}

}  // namespace

Result<Enrolment> AddUser(Context& ctx, const std::string& name, const std::string& role,
                          const std::string& actor) {
  ASSIGN_OR_RETURN(const Role parsed, ValidateMember(name, role));
  Enrolment e;
  e.enrolment_secret = "enr_" + NewSecret(ctx.rng());
  const std::string totp = NewSecondFactor(ctx, name, &e);
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(e.member, InsertMember(tx, ctx, name, parsed));
    RETURN_IF_ERROR(tx.Exec("UPDATE staff SET enrolment_hash = ? WHERE id = ?",
                            {crypto::HashHex(e.enrolment_secret), e.member.id})
                        .status());
    RETURN_IF_ERROR(StoreSecondFactor(tx, ctx, e.member.id, totp, e.recovery_codes));
    return audit::Append(tx, ctx, actor, "staff.add", e.member.pseudonym,
                         std::string("role=") + RoleName(parsed));
  });
  RETURN_IF_ERROR(st);
  return e;
}

Result<Enrolment> ResetSecondFactor(Context& ctx, const std::string& name,
                                    const std::string& actor) {
  Enrolment e;
  const std::string totp = NewSecondFactor(ctx, name, &e);
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto account, FindAccount(tx, name));
    if (!account) return NotFound("no_such_staff", "no staff member with this name");
    e.member = account->member;
    RETURN_IF_ERROR(StoreSecondFactor(tx, ctx, e.member.id, totp, e.recovery_codes));
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM staff_sessions WHERE staff_id = ?", {e.member.id}).status());
    return audit::Append(tx, ctx, actor, "staff.reset_totp", e.member.pseudonym);
  }));
  return e;
}

Status CompleteEnrolment(Context& ctx, const std::string& name, const std::string& secret,
                         const std::string& password, const std::string& typed_totp_code,
                         const std::string& address) {
  const std::string totp_code = NormalizeCode(typed_totp_code);
  RETURN_IF_ERROR(CheckPasswordLength(password));
  const int64_t now = ctx.clock().NowMs();
  const LockoutKeys keys(ctx, name, address);
  bool ok = false;
  int64_t locked = 0;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ok = false;  // a retried transaction starts over (store/db.h)
    ASSIGN_OR_RETURN(locked, keys.LockedUntil(tx));
    if (locked > now) return Status::Ok();  // nothing is checked, nothing hashed
    ASSIGN_OR_RETURN(auto account, FindAccount(tx, name));
    if (account && !account->enrolment_hash.empty() &&
        crypto::ConstantTimeEquals(account->enrolment_hash, crypto::HashHex(secret))) {
      ASSIGN_OR_RETURN(auto step, CheckTotp(ctx, *account, totp_code));
      if (step) {
        // Hashed only once secret and code are right: a stranger cannot make
        // the server spend 64 MiB of Argon2id per request.
        ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
        ok = true;
        RETURN_IF_ERROR(tx.Exec("UPDATE staff SET password_hash = ?, enrolment_hash = NULL, "
                                "totp_last_step = ? WHERE id = ?",
                                {hash, *step, account->member.id})
                            .status());
        return audit::Append(tx, ctx, account->member.pseudonym, "staff.enrol", "self");
      }
    }
    // A failed enrolment counts like a failed sign-in and is audited.
    RETURN_IF_ERROR(keys.CountFailure(tx, now));
    return audit::Append(tx, ctx, account ? account->member.pseudonym : "unknown",
                         "staff.enrol_failure", "self");
  }));
  if (locked > now) return LockedOut(locked, now);
  if (!ok) return Unauthenticated("bad_enrolment", "wrong enrolment secret or code");
  return Status::Ok();
}

Result<Session> SignIn(Context& ctx, const std::string& name, const std::string& password,
                       const std::string& typed_second_factor, const std::string& address) {
  const std::string second_factor = NormalizeCode(typed_second_factor);
  const int64_t now = ctx.clock().NowMs();
  const LockoutKeys keys(ctx, name, address);
  // Locks first: a locked account does not even get its password checked.
  int64_t locked = 0;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(locked, keys.LockedUntil(tx));
    return Status::Ok();
  }));
  if (locked > now) return LockedOut(locked, now);
  std::optional<Account> account;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(account, FindAccount(tx, name));
    return Status::Ok();
  }));
  const bool password_ok = PasswordMatches(account ? account->password_hash : "", password);
  Session session;
  bool ok = false;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ok = false;  // a retried transaction starts over (store/db.h)
    // Checked again where failures are counted: parallel guesses started
    // before the lock must not get through after it.
    ASSIGN_OR_RETURN(locked, keys.LockedUntil(tx));
    if (locked > now) return Status::Ok();
    if (password_ok && account && !account->disabled) {
      ASSIGN_OR_RETURN(auto step, CheckTotp(ctx, *account, second_factor));
      if (step) {
        // Only one sign-in can move the step forward: a code raced twice
        // works once.
        ASSIGN_OR_RETURN(int64_t moved, tx.Exec("UPDATE staff SET totp_last_step = ? WHERE id = ? "
                                                "AND totp_last_step < ?",
                                                {*step, account->member.id, *step}));
        ok = moved == 1;
      } else {
        ASSIGN_OR_RETURN(ok, UseRecoveryCode(tx, ctx, *account, second_factor));
      }
    }
    if (!ok) {
      RETURN_IF_ERROR(keys.CountFailure(tx, now));
      return audit::Append(tx, ctx, account ? account->member.pseudonym : "unknown",
                           "sign_in.failure", "self");
    }
    RETURN_IF_ERROR(keys.Forget(tx));
    ASSIGN_OR_RETURN(session, NewSession(tx, ctx, account->member));
    return audit::Append(tx, ctx, account->member.pseudonym, "sign_in.success", "self");
  }));
  if (locked > now) return LockedOut(locked, now);
  if (!ok) return BadCredentials();
  return session;
}

Result<Session> AuthenticateSession(Context& ctx, const std::string& session_id) {
  auto bad = [] { return Unauthenticated("bad_session", "sign in again"); };
  if (session_id.empty()) return bad();
  const int64_t now = ctx.clock().NowMs();
  Session s;
  bool live = false;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    // A retried transaction starts over (store/db.h): a first attempt that
    // found the session live must not vouch for a retry that deleted it.
    live = false;
    s = {};
    const std::string hash = crypto::HashHex(session_id);
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT st.id, st.name, st.pseudonym, st.role, st.disabled, "
                              "ss.csrf, ss.created_at, ss.last_seen FROM staff_sessions ss "
                              "JOIN staff st ON st.id = ss.staff_id WHERE ss.id_hash = ?",
                              {hash}));
    if (rows.empty()) return Status::Ok();
    const auto& r = rows[0];
    if (r.Int(4) != 0 || now - r.Int(7) > kSessionIdleMs || now - r.Int(6) > kSessionAbsoluteMs) {
      return tx.Exec("DELETE FROM staff_sessions WHERE id_hash = ?", {hash}).status();
    }
    ASSIGN_OR_RETURN(StaffMember member, MemberFromRow(r));
    s = {session_id, r.Text(5), std::move(member)};
    live = true;
    return tx.Exec("UPDATE staff_sessions SET last_seen = ? WHERE id_hash = ?", {now, hash})
        .status();
  }));
  if (!live) return bad();
  return s;
}

Status SignOut(Context& ctx, const std::string& session_id) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    return tx.Exec("DELETE FROM staff_sessions WHERE id_hash = ?", {crypto::HashHex(session_id)})
        .status();
  });
}

Status ChangePassword(Context& ctx, const StaffMember& member, const std::string& old_password,
                      const std::string& new_password) {
  RETURN_IF_ERROR(CheckPasswordLength(new_password));  // before any work
  const int64_t now = ctx.clock().NowMs();
  const std::string account_key = "account:" + member.name;
  std::optional<Account> account;
  int64_t locked = 0;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(locked, LockedUntil(tx, {account_key}));
    ASSIGN_OR_RETURN(account, FindAccount(tx, member.name));
    return Status::Ok();
  }));
  // A stolen session must not become a way to guess the password.
  if (locked > now) return LockedOut(locked, now);
  const bool old_ok = account && PasswordMatches(account->password_hash, old_password);
  std::string hash;
  if (old_ok) {
    ASSIGN_OR_RETURN(hash, HashPassword(new_password));
  }
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    // Checked again where failures are counted: parallel guesses started
    // before the lock must not get through after it.
    ASSIGN_OR_RETURN(locked, LockedUntil(tx, {account_key}));
    if (locked > now) return Status::Ok();
    if (!old_ok) {
      // A session guessing its own password: as strict as one address.
      RETURN_IF_ERROR(CountFailure(tx, now, account_key, kLockoutFreeFailures));
      return audit::Append(tx, ctx, member.pseudonym, "staff.password_change_failure", "self");
    }
    RETURN_IF_ERROR(
        tx.Exec("UPDATE staff SET password_hash = ? WHERE id = ?", {hash, member.id}).status());
    RETURN_IF_ERROR(tx.Exec("DELETE FROM staff_sessions WHERE staff_id = ?", {member.id}).status());
    return audit::Append(tx, ctx, member.pseudonym, "staff.password_change", "self");
  }));
  if (locked > now) return LockedOut(locked, now);
  return old_ok ? Status::Ok() : BadCredentials();
}

Status PurgeExpired(Context& ctx) {
  const int64_t now = ctx.clock().NowMs();
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("DELETE FROM staff_sessions WHERE last_seen < ? OR created_at < ?",
                            {now - kSessionIdleMs, now - kSessionAbsoluteMs})
                        .status());
    return tx
        .Exec("DELETE FROM sign_in_failures WHERE locked_until < ? AND last_failure_at < ?",
              {now, now - kFailureMemoryMs})
        .status();
  });
}

}  // namespace earshot::staff
