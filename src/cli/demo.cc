// `earshot demo`: a data directory with a stream, three people with different
// consents and recordings spoken by flite voices, then the server.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "audio/decode.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "ingest/intake.h"
#include "rights/subject_data.h"
#include "rights/subject_tokens.h"
#include "staff/accounts.h"
#include "staff/totp.h"
#include "synth/flite_voice.h"
#include "util/fs.h"

namespace earshot::cli {
namespace {

struct DemoPerson {
  const char* account;
  const char* voice;
  bool human_review;
  std::vector<const char*> requests;
};

// Realistic assistant requests; some carry the personal data that
// de-identification must bleep before a reviewer hears them.
const std::vector<DemoPerson>& People() {
  static const std::vector<DemoPerson> kPeople = {
      {"demo-account-1001",
       "slt",
       true,
       {"hey computer what is the weather tomorrow in boston",
        "hey computer call my sister at five five five one two three four",
        "hey computer set a timer for twenty minutes"}},
      {"demo-account-1002",
       "rms",
       true,
       {"hey computer navigate to twelve forty five oak street",
        "play the next song",  // no wake word: an accidental activation, discarded
        "hey computer my name is daniel miller add milk to my shopping list",
        "hey computer play some jazz in the kitchen"}},
      {"demo-account-1003",
       "awb",
       false,
       {"hey computer remind me to take my medicine at eight",
        "hey computer what time does the pharmacy close"}},
  };
  return kPeople;
}

constexpr const char* kMarker = ".earshot-demo";

Status PrepareDir(const std::string& dir) {
  if (FileExists(dir)) {
    if (!FileExists(dir + "/" + kMarker)) {
      return Conflict("not_demo_dir", dir +
                                          " exists and is not an earshot demo directory; "
                                          "pick another --data");
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) return Internal("io_error", "cannot reset " + dir + ": " + ec.message());
  }
  RETURN_IF_ERROR(EnsureDir(dir));
  return WriteFileDurable(dir + "/" + kMarker, "earshot demo data; safe to delete\n");
}

// Demo staff, enrolled with one password; each signs in with it and a TOTP
// code from the URI (any authenticator app, or `oathtool --totp -b SECRET`)
// or one of the recovery codes printed.
constexpr const char* kDemoPassword = "earshot demo password";
struct DemoStaff {
  const char* name;
  const char* role;
};
constexpr DemoStaff kDemoStaff[] = {{"demo-reviewer", "reviewer"},
                                    {"demo-lead", "lead"},
                                    {"demo-officer", "privacy_officer"},
                                    {"demo-officer-2", "privacy_officer"},
                                    {"demo-admin", "admin"}};

struct DemoResult {
  std::string api_key;
  std::vector<staff::Enrolment> staff;
  std::string subject_token;
  int recordings = 0;
  int discarded = 0;
  int candidates = 0;
};

Result<DemoResult> Populate(Context& ctx) {
  DemoResult out;
  ingest::StreamSpec spec;
  spec.name = "assistant-en-US";
  spec.region = "US";
  spec.wake_word = "hey computer";
  spec.sample_rate = 1.0;  // the demo samples everything so the queue is not empty
  // One reviewer account: a clip's second review would wait for a reviewer
  // the demo does not have.
  spec.double_review = 0.0;
  ASSIGN_OR_RETURN(auto created, ingest::CreateStream(ctx, spec));
  out.api_key = created.api_key;
  int n = 0;
  for (const DemoPerson& person : People()) {
    RETURN_IF_ERROR(
        rights::UpdateAccountConsents(ctx, rights::kDefaultTenant, person.account,
                                      {{rights::Purpose::kStore, true},
                                       {rights::Purpose::kHumanReview, person.human_review},
                                       {rights::Purpose::kTraining, false}},
                                      "2026-11", "demo")
            .status());
    for (const char* text : person.requests) {
      ASSIGN_OR_RETURN(audio::Pcm16 pcm, synth::Speak(person.voice, text));
      ingest::RecordingMetadata meta;
      meta.account = person.account;
      meta.device_serial = "DEMO-SERIAL-" + std::to_string(1000 + n);
      meta.captured_at_ms = ctx.clock().NowMs();  // after the consent above
      meta.locale = "en-US";
      meta.hypothesis = ingest::Hypothesis{text, {}};
      ASSIGN_OR_RETURN(auto outcome,
                       ingest::IngestRecording(ctx, created.stream, meta, audio::EncodeWav(pcm)));
      out.recordings += outcome.discarded ? 0 : 1;
      out.discarded += outcome.discarded ? 1 : 0;
      out.candidates += outcome.review_candidate ? 1 : 0;
      ++n;
    }
  }
  for (const DemoStaff& member : kDemoStaff) {
    ASSIGN_OR_RETURN(staff::Enrolment e, staff::AddUser(ctx, member.name, member.role));
    const auto secret = staff::TotpSecretFromUri(e.totp_uri);
    if (!secret) return Internal("demo_totp", "the provisioning URI has no secret");
    RETURN_IF_ERROR(staff::CompleteEnrolment(
        ctx, member.name, e.enrolment_secret, kDemoPassword,
        staff::TotpCode(*secret, ctx.clock().NowMs() / staff::kTotpStepMs)));
    out.staff.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(
      out.subject_token,
      rights::MintSubjectToken(ctx, rights::kDefaultTenant, People()[0].account, 12 * kMsPerHour));
  return out;
}

// Hands `url` to the desktop (xdg-open) when there is a display; a headless
// machine just has the printed guide.
void OpenBrowser(const std::string& url) {
  const char* x = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((x == nullptr || *x == '\0') && (wayland == nullptr || *wayland == '\0')) return;
  if (::fork() == 0) {
    ::execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

// The guide a new user follows: where to sign in, the demo's credentials,
// and API commands that work as printed (the recording's capture time is the
// shell's clock, after the consent granted a line earlier).
std::string FormatGuide(const DemoResult& d, int port) {
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::string staff_lines;
  for (const staff::Enrolment& e : d.staff) {
    const std::string secret =
        staff::Base32Upper(staff::TotpSecretFromUri(e.totp_uri).value_or(""));
    char line[256];
    std::snprintf(line, sizeof line, "    %-15s %-16s TOTP secret %s  recovery %s %s %s\n",
                  e.member.name.c_str(), staff::RoleName(e.member.role), secret.c_str(),
                  e.recovery_codes[0].c_str(), e.recovery_codes[1].c_str(),
                  e.recovery_codes[2].c_str());
    staff_lines += line;
  }
  char text[16384];
  std::snprintf(text, sizeof text, R"guide(
earshot demo is running at %s
  %d recordings from 3 people (flite voices) stored; %d without the wake word
  "hey computer" discarded unheard; %d sampled for review. The de-identification
  worker turns them into clips (spoken PII bleeped, voice anonymized) within
  seconds; only then can a reviewer lease them.

Open in a browser:
  staff sign-in (reviewer workstation, console)  %s/
  the person recorded: their privacy dashboard   %s/privacy#token=%s

Staff sign in with the password "%s" and a second factor: a TOTP code
(add the secret to an authenticator app, or `oathtool --totp -b SECRET`) or
one of the single-use recovery codes.
%s
The same through the API (Ctrl-C stops the server):

  # the product backend: send a recording
  export STREAM_KEY=%s
  curl -s -H "Authorization: Bearer $STREAM_KEY" -X PUT %s/api/v1/consents \
    -d '{"account":"acct-42","purposes":{"store":true,"human_review":true,"training":false},"policy_version":"2026-11"}'
  curl -s -H "Authorization: Bearer $STREAM_KEY" %s/api/v1/recordings \
    -F audio=@YOUR.wav -F 'metadata={"account":"acct-42","device_serial":"D1","captured_at":"'"$(date -u +%%Y-%%m-%%dT%%H:%%M:%%S.%%3NZ)"'","locale":"en-US"}'

  # the person recorded: what is held and who listened
  curl -s -H "Authorization: Bearer %s" %s/api/v1/me/recordings

  # a reviewer: sign in with demo-reviewer's third recovery code (each works
  # once; the session is a cookie, and changes need its CSRF token)
  curl -s -c jar.txt -H 'Content-Type: application/json' \
    -d '{"name":"demo-reviewer","password":"%s","code":"%s"}' %s/api/v1/staff/sign-in
  export CSRF=...   # the csrf_token of the reply
  curl -s -b jar.txt -d '' -H "X-CSRF-Token: $CSRF" %s/api/v1/review/next

  # operations
  curl -s %s/metrics

Request lines of polls and reads are logged at debug level (--log-level debug
shows them). `earshot demo --print-credentials` prints this guide again.
)guide",
                base.c_str(), d.recordings, d.discarded, d.candidates, base.c_str(), base.c_str(),
                d.subject_token.c_str(), kDemoPassword, staff_lines.c_str(), d.api_key.c_str(),
                base.c_str(), base.c_str(), d.subject_token.c_str(), base.c_str(), kDemoPassword,
                d.staff[0].recovery_codes[2].c_str(), base.c_str(), base.c_str(), base.c_str());
  return text;
}

// Kept beside the demo data (it is only demo data) so that a terminal that
// scrolled the guide away can show it again.
constexpr const char* kGuideFile = "demo-guide.txt";

Status PrintGuide(const std::string& dir, const DemoResult& d, int port) {
  const std::string guide = FormatGuide(d, port);
  std::fputs(guide.c_str(), stdout);
  std::fflush(stdout);
  return WriteFileDurable(dir + "/" + kGuideFile, guide);
}

int PrintSavedGuide(const std::string& dir) {
  auto guide = ReadFile(dir + "/" + kGuideFile);
  if (!FileExists(dir + "/" + kMarker) || !guide.ok()) {
    std::fprintf(stderr, "error: no demo in %s: start one with `earshot demo --data %s`\n",
                 dir.c_str(), dir.c_str());
    return 1;
  }
  std::fputs(guide->c_str(), stdout);
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Create demo data and serve it");
  auto data = std::make_shared<std::string>(".earshot-demo");
  auto options = std::make_shared<ServeOptions>();
  cmd->add_option("--data", *data, "Demo data directory (recreated each run)");
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on");
  auto open = std::make_shared<bool>(false);
  cmd->add_flag("--open", *open, "Open the sign-in page in the desktop's browser, if there is one");
  auto print = std::make_shared<bool>(false);
  cmd->add_flag("--print-credentials", *print,
                "Print the guide (sign-in credentials, API commands) of the demo in --data again");
  AddLogLevelOption(*cmd);
  cmd->callback([data, options, open, print] {
    if (*print) std::exit(PrintSavedGuide(*data));
    Status st = PrepareDir(*data);
    if (!st.ok()) Fail(st);
    auto ctx = OpenOrExit(*data);
    std::fprintf(stderr, "creating demo data in %s ...\n", data->c_str());
    auto demo = Populate(*ctx);
    if (!demo.ok()) Fail(demo.status());
    DemoResult result = *demo;
    std::exit(RunServer(*ctx, *options, [result, open, data](int port) {
      Status saved = PrintGuide(*data, result, port);
      if (!saved.ok()) std::fprintf(stderr, "warning: %s\n", saved.message().c_str());
      if (*open) OpenBrowser("http://127.0.0.1:" + std::to_string(port) + "/");
    }));
  });
}

}  // namespace earshot::cli
