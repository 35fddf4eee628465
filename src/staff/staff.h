// Staff members: name, role and the random pseudonym ("reviewer-xxxx",
// "officer-xxxx", ...) that subjects and logs see, never the name. Sign-in
// (password, TOTP, sessions) is staff/accounts.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/context.h"
#include "store/db.h"
#include "util/enum_names.h"

namespace earshot::staff {

// What a member may do (the routes' role lists, http/routes.cc); stored as
// its text in staff.role, shown as it in the API and the CLI.
enum class Role { kReviewer, kLead, kPrivacyOfficer, kAdmin };
inline constexpr EnumName<Role> kRoles[] = {{Role::kReviewer, "reviewer"},
                                            {Role::kLead, "lead"},
                                            {Role::kPrivacyOfficer, "privacy_officer"},
                                            {Role::kAdmin, "admin"}};
constexpr const char* RoleName(Role r) {
  return NameIn(kRoles, r);
}
constexpr std::optional<Role> ParseRole(std::string_view text) {
  return ParseIn(kRoles, text);
}

struct StaffMember {
  std::string id;
  std::string name;
  std::string pseudonym;
  Role role = Role::kReviewer;
};

// InvalidArgument("bad_staff_name") unless 1-64 characters without control
// characters; InvalidArgument("bad_role") for a text no role has.
Result<Role> ValidateMember(const std::string& name, const std::string& role);

// Inserts a new member with a fresh pseudonym (after ValidateMember).
// Conflict("staff_exists") if the name is taken.
Result<StaffMember> InsertMember(store::Tx& tx, Context& ctx, const std::string& name, Role role);

// The member in columns first..first+3 of `row`: id, name, pseudonym, role.
// Corruption("bad_role") for a stored role no Role has.
Result<StaffMember> MemberFromRow(const store::Row& row, size_t first = 0);

}  // namespace earshot::staff
