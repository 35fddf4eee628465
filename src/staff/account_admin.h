// Administering staff accounts (issue 13, item 2): disable, enable, list
// (a new second factor is ResetSecondFactor, staff/accounts.h). Every change
// is audited under the actor's pseudonym ("operator" on the host). Disabling
// keeps the console usable and four eyes possible: nobody disables themself,
// the last admin, or a privacy officer when fewer than two would remain (a
// disclosure needs two). Only the host operator may override the last two
// rules, for an account that is compromised. Thread-safe (all state in the
// database).
#pragma once

#include <string>
#include <vector>

#include "app/context.h"
#include "staff/accounts.h"
#include "staff/staff.h"

namespace earshot::staff {

// Where an action comes from: the staff console reaches reviewers and leads
// only when it restores access; privacy officers and admins are enabled on
// the host, as they are added (no admin alone makes the two officers a
// disclosure needs).
enum class Reach { kConsole, kHost };

// Ends every session of the member and refuses new ones; audited
// staff.disable. NotFound("no_such_staff"); Conflict("already_disabled");
// Conflict("disable_self") when `actor` is that member; Conflict("last_admin")
// for the only admin left enabled; Conflict("too_few_officers") for a
// privacy officer when fewer than two would stay enabled. `force` (the host
// operator only) skips the last two and is audited as such.
Status DisableUser(Context& ctx, const StaffMember& actor, const std::string& name,
                   bool force = false);

// Lets a disabled member sign in again (their password and second factor
// unchanged); audited staff.enable. NotFound("no_such_staff");
// Conflict("not_disabled"); Forbidden("privileged_role") for a privacy
// officer or admin from Reach::kConsole.
Status EnableUser(Context& ctx, const StaffMember& actor, const std::string& name, Reach reach);

struct MemberState {
  StaffMember member;
  bool enrolled = false;  // has set a password
  bool disabled = false;
};

// Every staff member, by name (for the admin console and `earshot user
// list`); the view is audited (staff.list) under `actor`. No secret of
// theirs is read.
Result<std::vector<MemberState>> ListMembers(Context& ctx, const std::string& actor);

}  // namespace earshot::staff
