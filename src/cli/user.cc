// `earshot user add NAME --role R --data DIR`: a staff account with a
// one-time enrolment secret, a TOTP provisioning URI drawn as a QR code in
// the terminal (libqrencode), and ten recovery codes; `earshot user
// disable`, `enable`, `list` and `reset-totp` (a new secret and codes).
// Every command is audited under "operator".
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "staff/account_admin.h"
#include "staff/accounts.h"
#include "staff/qr.h"
#include "staff/totp.h"

namespace earshot::cli {
namespace {

// The QR code in half-block characters (two modules a character row), with
// the quiet zone, dark on light whatever the terminal's colours.
void PrintQr(const std::string& text) {
  auto qr = staff::EncodeQr(text);
  if (!qr) {
    std::printf("(could not draw the QR code; enter the URI by hand)\n");
    return;
  }
  const int w = qr->width, quiet = 2;
  for (int y = -quiet; y < w + quiet; y += 2) {
    std::string line = "\033[47;30m";
    for (int x = -quiet; x < w + quiet; ++x) {
      const bool top = qr->Dark(x, y), bottom = qr->Dark(x, y + 1);
      line += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    std::printf("%s\033[0m\n", line.c_str());
  }
}

// Steps 1 and 3 of an enrolment: the authenticator's QR code, its key as
// text for an app without a camera, and the codes.
void PrintSecondFactor(const staff::Enrolment& e) {
  std::printf("Scan this with an authenticator app (or enter the URI):\n\n");
  PrintQr(e.totp_uri);
  std::printf("\n   %s\n\n", e.totp_uri.c_str());
  const auto secret = staff::TotpSecretFromUri(e.totp_uri);
  if (secret) {
    std::printf("Or type this key into the app (time-based, 6 digits; spaces optional):\n\n");
    std::printf("   %s\n\n", staff::GroupedForTyping(staff::Base32Upper(*secret)).c_str());
  }
}

void PrintRecoveryCodes(const staff::Enrolment& e) {
  std::printf("Keep these recovery codes somewhere safe; each works once:\n\n");
  for (const auto& code : e.recovery_codes) std::printf("   %s\n", code.c_str());
  std::printf("\nNothing above is stored in a form that can be shown again.\n");
}

const staff::StaffMember kOperator{"", "operator", "operator", staff::Role::kAdmin};

void AddListCommand(CLI::App* user, std::shared_ptr<std::string> data) {
  auto* list = user->add_subcommand("list", "Every account: name, role, pseudonym, state");
  list->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*list);
  list->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto members = staff::ListMembers(*ctx, "operator");
    if (!members.ok()) Fail(members.status());
    std::printf("%-24s %-16s %-24s %s\n", "NAME", "ROLE", "PSEUDONYM", "STATE");
    for (const auto& m : *members) {
      const char* state = m.disabled ? "disabled" : m.enrolled ? "active" : "not enrolled yet";
      std::printf("%-24s %-16s %-24s %s\n", m.member.name.c_str(), staff::RoleName(m.member.role),
                  m.member.pseudonym.c_str(), state);
    }
  });
}

}  // namespace

void AddUserCommands(CLI::App& app) {
  auto* user = app.add_subcommand("user", "Staff accounts (password + TOTP sign-in)");
  user->require_subcommand(1);
  auto data = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>("reviewer");
  auto* add = user->add_subcommand("add", "Create an account; prints its enrolment secret");
  add->add_option("name", *name, "Staff member's name")->required();
  add->add_option("--role", *role, "reviewer, lead, privacy_officer or admin")->required();
  add->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*add);
  add->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto e = staff::AddUser(*ctx, *name, *role);
    if (!e.ok()) Fail(e.status());
    std::printf("Staff member %s (%s), shown to others as %s.\n\n", e->member.name.c_str(),
                staff::RoleName(e->member.role), e->member.pseudonym.c_str());
    std::printf("1. ");
    PrintSecondFactor(*e);
    std::printf("2. Set a password with this one-time enrolment secret and a first code:\n\n");
    std::printf("   %s\n\n", e->enrolment_secret.c_str());
    std::printf("3. ");
    PrintRecoveryCodes(*e);
  });
  auto* disable = user->add_subcommand("disable", "Disable an account and end its sessions");
  disable->add_option("name", *name, "Staff member's name")->required();
  disable->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*disable);
  auto force = std::make_shared<bool>(false);
  disable->add_flag("--force", *force,
                    "Disable even the last admin or an officer four eyes needs (a compromised "
                    "account); audited as forced");
  disable->callback([=] {
    auto ctx = OpenOrExit(*data);
    Status st = staff::DisableUser(*ctx, kOperator, *name, *force);
    if (!st.ok()) Fail(st);
    std::printf("disabled %s\n", name->c_str());
  });
  auto* enable = user->add_subcommand("enable", "Let a disabled account sign in again");
  enable->add_option("name", *name, "Staff member's name")->required();
  enable->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*enable);
  enable->callback([=] {
    auto ctx = OpenOrExit(*data);
    Status st = staff::EnableUser(*ctx, kOperator, *name, staff::Reach::kHost);
    if (!st.ok()) Fail(st);
    std::printf("enabled %s\n", name->c_str());
  });
  AddListCommand(user, data);
  auto* reset = user->add_subcommand(
      "reset-totp", "A new authenticator secret and recovery codes; ends the account's sessions");
  reset->add_option("name", *name, "Staff member's name")->required();
  reset->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*reset);
  reset->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto e = staff::ResetSecondFactor(*ctx, *name);
    if (!e.ok()) Fail(e.status());
    std::printf(
        "New second factor for %s (%s); the old codes no longer work and their sessions "
        "ended. The password is unchanged.\n\n1. ",
        e->member.name.c_str(), e->member.pseudonym.c_str());
    PrintSecondFactor(*e);
    std::printf("2. ");
    PrintRecoveryCodes(*e);
  });
}

}  // namespace earshot::cli
