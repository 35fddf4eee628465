// Staff members: name, role and the random pseudonym ("reviewer-xxxx",
// "officer-xxxx", ...) that subjects and logs see, never the name. Sign-in
// (password, TOTP, sessions) is staff/accounts.h.
#pragma once

#include <string>

#include "app/context.h"
#include "store/db.h"

namespace earshot::staff {

struct StaffMember {
  std::string id;
  std::string name;
  std::string pseudonym;
  std::string role;  // reviewer | lead | privacy_officer | admin
};

bool IsValidRole(const std::string& role);

// InvalidArgument("bad_staff_name") unless 1-64 characters without control
// characters; InvalidArgument("bad_role") for an unknown role.
Status ValidateMember(const std::string& name, const std::string& role);

// Inserts a new member with a fresh pseudonym (after ValidateMember).
// Conflict("staff_exists") if the name is taken.
Result<StaffMember> InsertMember(store::Tx& tx, Context& ctx, const std::string& name,
                                 const std::string& role);

}  // namespace earshot::staff
