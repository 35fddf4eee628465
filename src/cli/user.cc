// `earshot user add NAME --role R --data DIR`: a staff account with a
// one-time enrolment secret, a TOTP provisioning URI drawn as a QR code in
// the terminal (libqrencode), and ten recovery codes; `earshot user disable`.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "staff/accounts.h"
#include "staff/qr.h"

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
  add->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto e = staff::AddUser(*ctx, *name, *role);
    if (!e.ok()) Fail(e.status());
    std::printf("Staff member %s (%s), shown to others as %s.\n\n", e->member.name.c_str(),
                e->member.role.c_str(), e->member.pseudonym.c_str());
    std::printf("1. Scan this with an authenticator app (or enter the URI):\n\n");
    PrintQr(e->totp_uri);
    std::printf("\n   %s\n\n", e->totp_uri.c_str());
    std::printf("2. Set a password with this one-time enrolment secret and a first code:\n\n");
    std::printf("   %s\n\n", e->enrolment_secret.c_str());
    std::printf("3. Keep these recovery codes somewhere safe; each works once:\n\n");
    for (const auto& code : e->recovery_codes) std::printf("   %s\n", code.c_str());
    std::printf("\nNothing above is stored in a form that can be shown again.\n");
  });
  auto* disable = user->add_subcommand("disable", "Disable an account and end its sessions");
  disable->add_option("name", *name, "Staff member's name")->required();
  disable->add_option("--data", *data, "Data directory")->required();
  disable->callback([=] {
    auto ctx = OpenOrExit(*data);
    const staff::StaffMember operator_member{"", "operator", "operator", "admin"};
    Status st = staff::DisableUser(*ctx, operator_member, *name);
    if (!st.ok()) Fail(st);
    std::printf("disabled %s\n", name->c_str());
  });
}

}  // namespace earshot::cli
