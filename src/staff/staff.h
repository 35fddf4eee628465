// Staff members and their interim bearer tokens (sign-in with password and
// TOTP is staff/accounts.h; the tokens stay until the web pages use sessions).
// Only a hash of each token is stored. Each member
// has a random pseudonym ("reviewer-xxxx", "officer-xxxx", ...) that is what
// subjects and logs see, never the name.
#pragma once

#include <string>

#include "app/context.h"

namespace earshot::staff {

struct StaffMember {
  std::string id;
  std::string name;
  std::string pseudonym;
  std::string role;  // reviewer | lead | privacy_officer | admin
};

bool IsValidRole(const std::string& role);

struct IssuedToken {
  StaffMember member;
  std::string token;  // shown once
};

// Creates the member if `name` is new (with `role`), or rotates the token of
// the existing member (whose role is kept). InvalidArgument for a bad name or role.
Result<IssuedToken> IssueStaffToken(Context& ctx, const std::string& name, const std::string& role);

// Unauthenticated("bad_staff_token") for an unknown token or a disabled member.
Result<StaffMember> AuthenticateStaff(Context& ctx, const std::string& token);

}  // namespace earshot::staff
