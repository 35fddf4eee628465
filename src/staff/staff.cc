#include "staff/staff.h"

#include <cctype>

#include "crypto/seal.h"
#include "util/encoding.h"

namespace earshot::staff {

bool IsValidRole(const std::string& role) {
  return role == "reviewer" || role == "lead" || role == "privacy_officer" || role == "admin";
}

Result<IssuedToken> IssueStaffToken(Context& ctx, const std::string& name,
                                    const std::string& role) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("bad_staff_name", "staff name must be 1-64 characters");
  }
  for (char c : name) {
    if (std::iscntrl(static_cast<unsigned char>(c))) {
      return InvalidArgument("bad_staff_name", "staff name must not contain control characters");
    }
  }
  if (!IsValidRole(role)) {
    return InvalidArgument("bad_role", "role must be reviewer, lead, privacy_officer or admin");
  }
  IssuedToken out;
  out.token = "est_" + NewSecret(ctx.rng());
  const std::string hash = crypto::HashHex(out.token);
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT id, pseudonym, role FROM staff WHERE name = ?", {name}));
    if (!rows.empty()) {
      out.member = {rows[0].Text(0), name, rows[0].Text(1), rows[0].Text(2)};
      return tx.Exec("UPDATE staff SET token_hash = ? WHERE id = ?", {hash, out.member.id})
          .status();
    }
    out.member = {NewId(ctx.rng(), "stf"), name, "", role};
    uint8_t bytes[5];
    ctx.rng().Fill(bytes, sizeof bytes);
    // The role shows in the pseudonym: a person recorded can tell a reviewer
    // from a privacy officer who heard them, never who it was.
    const std::string prefix = role == "privacy_officer" ? "officer" : role;
    out.member.pseudonym = prefix + "-" + Base32Lower(bytes, sizeof bytes);
    return tx
        .Exec(
            "INSERT INTO staff (id, name, pseudonym, role, token_hash, disabled, created_at) "
            "VALUES (?, ?, ?, ?, ?, 0, ?)",
            {out.member.id, name, out.member.pseudonym, role, hash, ctx.clock().NowMs()})
        .status();
  });
  RETURN_IF_ERROR(st);
  return out;
}

Result<StaffMember> AuthenticateStaff(Context& ctx, const std::string& token) {
  if (token.empty()) return Unauthenticated("missing_staff_token", "a staff token is required");
  StaffMember member;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, name, pseudonym, role, disabled FROM staff "
                                         "WHERE token_hash = ?",
                                         {crypto::HashHex(token)}));
    if (rows.empty() || rows[0].Int(4) != 0) {
      return Unauthenticated("bad_staff_token", "the staff token is not valid");
    }
    member = {rows[0].Text(0), rows[0].Text(1), rows[0].Text(2), rows[0].Text(3)};
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return member;
}

}  // namespace earshot::staff
