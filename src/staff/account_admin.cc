#include "staff/account_admin.h"

#include "audit/audit_log.h"

namespace earshot::staff {
namespace {

struct Target {
  std::string id;
  Role role;
  std::string pseudonym;
  bool disabled = false;
};

Result<Target> FindTarget(store::Tx& tx, const std::string& name) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, role, pseudonym, disabled FROM staff "
                                       "WHERE name = ?",
                                       {name}));
  if (rows.empty()) return NotFound("no_such_staff", "no staff member with this name");
  ASSIGN_OR_RETURN(const Role role,
                   ParseStored(kRoles, rows[0].Text(1), "bad_role", "staff member " + name));
  return Target{rows[0].Text(0), role, rows[0].Text(2), rows[0].Int(3) != 0};
}

// Members of `role` still enabled once `target` is disabled.
Result<int64_t> EnabledBesides(store::Tx& tx, Role role, const Target& target) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM staff WHERE role = ? AND "
                                       "disabled = 0 AND id <> ?",
                                       {RoleName(role), target.id}));
  return rows[0].Int(0);
}

// The rules that keep the console reachable and four eyes possible.
Status CheckMayDisable(store::Tx& tx, const StaffMember& actor, const Target& target, bool force) {
  if (target.disabled) return Conflict("already_disabled", "the account is already disabled");
  if (target.id == actor.id) {
    return Conflict("disable_self",
                    "you cannot disable your own account; another admin or the host operator can");
  }
  if (force) return Status::Ok();
  if (target.role == Role::kAdmin) {
    ASSIGN_OR_RETURN(int64_t admins, EnabledBesides(tx, Role::kAdmin, target));
    if (admins == 0) {
      return Conflict("last_admin", "this is the last enabled admin; add or enable another first");
    }
  }
  if (target.role == Role::kPrivacyOfficer) {
    ASSIGN_OR_RETURN(int64_t officers, EnabledBesides(tx, Role::kPrivacyOfficer, target));
    if (officers < 2) {
      return Conflict("too_few_officers",
                      "fewer than two privacy officers would remain, so no disclosure could be "
                      "approved (four eyes); add or enable another officer first");
    }
  }
  return Status::Ok();
}

}  // namespace

Status DisableUser(Context& ctx, const StaffMember& actor, const std::string& name, bool force) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, name));
    RETURN_IF_ERROR(CheckMayDisable(tx, actor, target, force));
    RETURN_IF_ERROR(tx.Exec("UPDATE staff SET disabled = 1 WHERE id = ?", {target.id}).status());
    RETURN_IF_ERROR(tx.Exec("DELETE FROM staff_sessions WHERE staff_id = ?", {target.id}).status());
    return audit::Append(tx, ctx, actor.pseudonym, "staff.disable", target.pseudonym,
                         force ? "forced" : "");
  });
}

Status EnableUser(Context& ctx, const StaffMember& actor, const std::string& name, Reach reach) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, name));
    if (reach == Reach::kConsole && target.role != Role::kReviewer && target.role != Role::kLead) {
      return Forbidden("privileged_role",
                       "enable privacy officers and admins on the host with earshot user enable");
    }
    if (!target.disabled) return Conflict("not_disabled", "the account is not disabled");
    RETURN_IF_ERROR(tx.Exec("UPDATE staff SET disabled = 0 WHERE id = ?", {target.id}).status());
    return audit::Append(tx, ctx, actor.pseudonym, "staff.enable", target.pseudonym);
  });
}

Result<std::vector<MemberState>> ListMembers(Context& ctx, const std::string& actor) {
  std::vector<MemberState> out;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    out.clear();  // a retried write starts again
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, name, pseudonym, role, disabled, "
                                         "password_hash IS NOT NULL FROM staff ORDER BY name",
                                         {}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(StaffMember member, MemberFromRow(r));
      out.push_back({std::move(member), r.Int(5) != 0, r.Int(4) != 0});
    }
    return audit::Append(tx, ctx, actor, "staff.list", "staff",
                         "count=" + std::to_string(out.size()));
  }));
  return out;
}

}  // namespace earshot::staff
