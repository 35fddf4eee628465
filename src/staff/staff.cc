#include "staff/staff.h"

#include <cctype>

#include "util/encoding.h"
#include "util/random.h"

namespace earshot::staff {

Result<Role> ValidateMember(const std::string& name, const std::string& role) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("bad_staff_name", "staff name must be 1-64 characters");
  }
  for (char c : name) {
    if (std::iscntrl(static_cast<unsigned char>(c))) {
      return InvalidArgument("bad_staff_name", "staff name must not contain control characters");
    }
  }
  const std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return InvalidArgument("bad_role", "role must be reviewer, lead, privacy_officer or admin");
  }
  return *parsed;
}

Result<StaffMember> MemberFromRow(const store::Row& row, size_t first) {
  ASSIGN_OR_RETURN(const Role role, ParseStored(kRoles, row.Text(first + 3), "bad_role",
                                                "staff member " + row.Text(first)));
  return StaffMember{row.Text(first), row.Text(first + 1), row.Text(first + 2), role};
}

Result<StaffMember> InsertMember(store::Tx& tx, Context& ctx, const std::string& name, Role role) {
  RETURN_IF_ERROR(ValidateMember(name, RoleName(role)).status());
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM staff WHERE name = ?", {name}));
  if (!rows.empty()) return Conflict("staff_exists", "a staff member with this name exists");
  StaffMember member{NewId(ctx.rng(), "stf"), name, "", role};
  uint8_t bytes[5];
  ctx.rng().Fill(bytes, sizeof bytes);
  // The role shows in the pseudonym: a person recorded can tell a reviewer
  // from a privacy officer who heard them, never who it was.
  const std::string prefix = role == Role::kPrivacyOfficer ? "officer" : RoleName(role);
  member.pseudonym = prefix + "-" + Base32Lower(bytes, sizeof bytes);
  // token_hash belonged to the retired bearer tokens (migration 7); the
  // column is NOT NULL UNIQUE, so it holds a value no token can hash to.
  RETURN_IF_ERROR(tx.Exec("INSERT INTO staff (id, name, pseudonym, role, token_hash, disabled, "
                          "created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                          {member.id, name, member.pseudonym, RoleName(role),
                           "retired:" + member.id, ctx.clock().NowMs()})
                      .status());
  return member;
}

}  // namespace earshot::staff
