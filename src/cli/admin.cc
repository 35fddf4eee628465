// Operator commands: stream, token, consent, policy, sweep, audit.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "cli/commands.h"
#include "ingest/streams.h"
#include "rights/retention.h"
#include "rights/subject_data.h"
#include "rights/subject_tokens.h"

namespace earshot::cli {
namespace {

using nlohmann::json;

void PrintJson(const json& j) {
  std::printf("%s\n", j.dump(2).c_str());
}

void AddStream(CLI::App& app) {
  auto* stream = app.add_subcommand("stream", "Manage product streams");
  stream->require_subcommand(1);
  auto* create = stream->add_subcommand("create", "Create a stream and print its API key");
  auto data = std::make_shared<std::string>();
  auto spec = std::make_shared<ingest::StreamSpec>();
  auto wake = std::make_shared<std::string>();
  auto max_clip_s = std::make_shared<double>(10);
  create->add_option("name", spec->name, "Stream name, e.g. assistant-en-US")->required();
  create->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*create);
  create->add_option("--rate", spec->sample_rate, "Fraction of recordings sampled for review")
      ->check(CLI::Range(0.0, 1.0));
  create->add_option("--region", spec->region,
                     "Region: an ISO 3166-1 alpha-2 country code or EU or EEA, any case "
                     "(default US)");
  create->add_option("--tenant", spec->tenant,
                     "Product owning the accounts; streams of one tenant share subjects");
  create->add_option("--wake-word", *wake, "Wake word, e.g. \"hey computer\"");
  create->add_option("--max-clip", *max_clip_s, "Longest clip a reviewer hears, seconds")
      ->check(CLI::PositiveNumber);
  create->add_option("--retention", spec->retention_default, "Default retention: 3m, 18m, never");
  create->add_option("--wake-threshold", spec->wake_threshold,
                     "Keyphrase spotting threshold (smaller accepts more), e.g. 1e-20");
  create->add_option("--bleep", spec->bleep, "What replaces spoken PII: tone or silence");
  create->add_option("--anonymize", spec->anonymize_chain,
                     "Voice anonymization chain: mcadams (default) or mcadams-vtl");
  create
      ->add_option("--double-review", spec->double_review,
                   "Fraction of clips reviewed by two reviewers independently (default 0.1)")
      ->check(CLI::Range(0.0, 1.0));
  create
      ->add_option("--disagreement-wer", spec->disagreement_wer,
                   "Word error rate between two reviews above which a third review follows "
                   "(default 0.2)")
      ->check(CLI::Range(0.0, 1.0));
  create
      ->add_option("--on-disagreement", spec->on_disagreement,
                   "What settles two reviews that disagree: third_review (default) or adjudicate "
                   "(a lead decides)")
      ->check(CLI::IsMember({"third_review", "adjudicate"}));
  create
      ->add_option("--gold-share", spec->gold_share,
                   "Share of each reviewer's clips that are gold clips with a known answer "
                   "(default 0.05)")
      ->check(CLI::Range(0.0, 0.5));
  auto ignore_words = std::make_shared<bool>(false);
  create->add_flag("--ignore-product-words", *ignore_words,
                   "Always use earshot's recognizer, even when the product sends word times");
  create->callback([=] {
    auto ctx = OpenOrExit(*data);
    ingest::StreamSpec s = *spec;
    if (!wake->empty()) s.wake_word = *wake;
    s.use_product_words = !*ignore_words;
    s.max_clip_ms = static_cast<int64_t>(*max_clip_s * 1000);
    auto created = ingest::CreateStream(*ctx, s);
    if (!created.ok()) Fail(created.status());
    PrintJson({{"id", created->stream.id},
               {"name", s.name},
               {"tenant", s.tenant},
               {"region", created->stream.spec.region},
               {"rate", s.sample_rate},
               {"wake_word", s.wake_word ? json(*s.wake_word) : json(nullptr)},
               {"double_review", s.double_review},
               {"api_key", created->api_key}});
  });

  auto* set = stream->add_subcommand("set", "Change a stream's review settings");
  auto set_data = std::make_shared<std::string>();
  auto set_name = std::make_shared<std::string>();
  auto rate = std::make_shared<std::optional<double>>();
  auto double_review = std::make_shared<std::optional<double>>();
  auto disagreement = std::make_shared<std::optional<double>>();
  auto on_disagreement = std::make_shared<std::optional<std::string>>();
  auto gold_share = std::make_shared<std::optional<double>>();
  set->add_option("name", *set_name, "Stream name")->required();
  set->add_option("--data", *set_data, "Data directory")->required();
  AddStoreOptions(*set);
  set->add_option("--rate", *rate, "Fraction of recordings sampled for review")
      ->check(CLI::Range(0.0, 1.0));
  set->add_option("--double-review", *double_review,
                  "Fraction of clips reviewed by two reviewers independently")
      ->check(CLI::Range(0.0, 1.0));
  set->add_option("--disagreement-wer", *disagreement,
                  "Word error rate between two reviews above which a third review follows")
      ->check(CLI::Range(0.0, 1.0));
  set->add_option("--on-disagreement", *on_disagreement,
                  "What settles two reviews that disagree: third_review or adjudicate")
      ->check(CLI::IsMember({"third_review", "adjudicate"}));
  set->add_option("--gold-share", *gold_share,
                  "Share of each reviewer's clips that are gold clips with a known answer")
      ->check(CLI::Range(0.0, 0.5));
  set->callback([=] {
    auto ctx = OpenOrExit(*set_data);
    auto found = ingest::FindStreamByName(*ctx, *set_name);
    if (!found.ok()) Fail(found.status());
    ingest::StreamSpec s = found->spec;
    if (*rate) s.sample_rate = **rate;
    if (*double_review) s.double_review = **double_review;
    if (*disagreement) s.disagreement_wer = **disagreement;
    if (*on_disagreement) s.on_disagreement = **on_disagreement;
    if (*gold_share) s.gold_share = **gold_share;
    Status st = ingest::UpdateStream(*ctx, s, "operator");
    if (!st.ok()) Fail(st);
    PrintJson({{"name", s.name},
               {"rate", s.sample_rate},
               {"double_review", s.double_review},
               {"disagreement_wer", s.disagreement_wer},
               {"on_disagreement", s.on_disagreement},
               {"gold_share", s.gold_share}});
  });
}

void AddToken(CLI::App& app) {
  auto* token = app.add_subcommand("token", "Mint tokens");
  token->require_subcommand(1);
  auto* subject = token->add_subcommand("subject", "Mint a subject token for an account");
  auto data = std::make_shared<std::string>();
  auto account = std::make_shared<std::string>();
  auto ttl = std::make_shared<int64_t>(3600);
  auto tenant = std::make_shared<std::string>(rights::kDefaultTenant);
  subject->add_option("account", *account, "Upstream account id")->required();
  subject->add_option("--tenant", *tenant, "Tenant of the account");
  subject->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*subject);
  subject->add_option("--ttl", *ttl, "Lifetime in seconds (at most 86400)")
      ->check(CLI::Range(1, 86400));
  subject->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto minted = rights::MintSubjectToken(*ctx, *tenant, *account, *ttl * 1000);
    if (!minted.ok()) Fail(minted.status());
    std::printf("%s\n", minted->c_str());
  });
}

void AddConsent(CLI::App& app) {
  auto* consent = app.add_subcommand("consent", "Record consent for an account");
  consent->require_subcommand(1);
  auto* set = consent->add_subcommand("set", "Set purposes (store, human_review, training)");
  auto data = std::make_shared<std::string>();
  auto account = std::make_shared<std::string>();
  auto policy = std::make_shared<std::string>("operator-import");
  auto tenant = std::make_shared<std::string>(rights::kDefaultTenant);
  auto values = std::make_shared<std::vector<std::string>>();
  set->add_option("account", *account, "Upstream account id")->required();
  set->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*set);
  set->add_option("--policy-version", *policy, "Policy version the consent refers to");
  set->add_option("--tenant", *tenant, "Tenant of the account");
  set->add_option("--purpose", *values, "PURPOSE=yes|no, e.g. store=yes human_review=no")
      ->required();
  set->callback([=] {
    auto ctx = OpenOrExit(*data);
    std::map<rights::Purpose, bool> changes;
    for (const auto& v : *values) {
      const size_t eq = v.find('=');
      auto purpose = rights::ParsePurpose(v.substr(0, eq));
      const std::string answer = eq == std::string::npos ? "" : v.substr(eq + 1);
      if (!purpose || (answer != "yes" && answer != "no")) {
        Fail(InvalidArgument("bad_purpose", "expected PURPOSE=yes|no, got " + v));
      }
      changes[*purpose] = answer == "yes";
    }
    auto updated =
        rights::UpdateAccountConsents(*ctx, *tenant, *account, changes, *policy, "operator");
    if (!updated.ok()) Fail(updated.status());
    std::printf("consent recorded\n");
  });
}

void AddPolicy(CLI::App& app) {
  auto* policy = app.add_subcommand("policy", "Review policy");
  policy->require_subcommand(1);
  for (bool pause : {true, false}) {
    auto* cmd = policy->add_subcommand(
        pause ? "pause-region" : "resume-region",
        pause ? "Stop sampling and assigning a region's recordings" : "Resume review in a region");
    auto data = std::make_shared<std::string>();
    auto region = std::make_shared<std::string>();
    cmd->add_option("region", *region,
                    "An ISO 3166-1 alpha-2 country code (e.g. DE) or EU or EEA, any case")
        ->required();
    cmd->add_option("--data", *data, "Data directory")->required();
    AddStoreOptions(*cmd);
    cmd->callback([=] {
      auto ctx = OpenOrExit(*data);
      Status st = pause ? ingest::PauseRegion(*ctx, *region) : ingest::ResumeRegion(*ctx, *region);
      if (!st.ok()) Fail(st);
      const auto code = ingest::NormalizeRegionCode(*region);
      const std::string shown = code.ok() ? *code : ingest::AsciiUpper(*region);
      std::printf("region %s %s\n", shown.c_str(), pause ? "paused" : "resumed");
    });
  }
}

void AddSweep(CLI::App& app) {
  auto* sweep = app.add_subcommand("sweep", "Apply retention now and remove orphan blobs");
  auto data = std::make_shared<std::string>();
  sweep->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*sweep);
  sweep->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto result = rights::RunRetentionSweep(*ctx);
    if (!result.ok()) Fail(result.status());
    auto orphans = rights::SweepOrphanBlobs(*ctx, SystemClock().NowMs() - rights::kOrphanGraceMs);
    if (!orphans.ok()) Fail(orphans.status());
    PrintJson({{"raw_deleted", result->raw_deleted},
               {"clips_deleted", result->clips_deleted},
               {"orphan_blobs_removed", *orphans}});
  });
}

void AddAuditVerify(CLI::App* audit_cmd) {
  auto* verify = audit_cmd->add_subcommand(
      "verify", "Recompute the hash chain and check it against the anchored heads");
  auto data = std::make_shared<std::string>();
  auto head = std::make_shared<std::string>();
  auto no_anchor = std::make_shared<bool>(false);
  verify->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*verify);
  verify->add_option("--head", *head,
                     "A head hash published earlier in the logs (audit_head): check it is "
                     "still in the chain, so that cutting events off the end shows");
  verify->add_flag("--no-anchor", *no_anchor,
                   "Skip the anchor file (audit-anchor.log); the chain alone cannot show a "
                   "log rewritten from scratch or cut off at the end");
  verify->callback([=] {
    auto ctx = OpenOrExit(*data);
    audit::VerifyOptions options;
    if (!head->empty()) options.expected_head = *head;
    options.check_anchor = !*no_anchor;
    auto result = audit::Verify(*ctx, options);
    if (!result.ok()) Fail(result.status());
    for (const std::string& line : audit::Describe(*result)) std::printf("%s\n", line.c_str());
    if (!result->ok) std::exit(1);
  });
}

void AddAuditAnchor(CLI::App* audit_cmd) {
  auto* anchor = audit_cmd->add_subcommand(
      "anchor", "Append the chain's head to the anchor file (as every sweep of serve does)");
  auto data = std::make_shared<std::string>();
  auto new_file = std::make_shared<bool>(false);
  anchor->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*anchor);
  anchor->add_flag("--new-file", *new_file,
                   "Start a new anchor file where the old one is lost (recorded in the audit "
                   "log); refused while a file exists");
  anchor->callback([=] {
    auto ctx = OpenOrExit(*data);
    auto outcome = audit::AnchorHead(*ctx, {*new_file, "operator"});
    if (!outcome.ok()) Fail(outcome.status());
    const auto& h = outcome->head;
    switch (outcome->kind) {
      case audit::AnchorOutcome::Kind::kEmptyLog:
        std::printf("nothing to anchor: the audit log is empty\n");
        break;
      case audit::AnchorOutcome::Kind::kUnchanged:
        std::printf("unchanged: head seq %lld hash %s is already anchored in %s\n",
                    static_cast<long long>(h.seq), h.hash.c_str(), outcome->path.c_str());
        break;
      case audit::AnchorOutcome::Kind::kAppended:
        std::printf("anchored: head seq %lld hash %s in %s\n", static_cast<long long>(h.seq),
                    h.hash.c_str(), outcome->path.c_str());
        break;
    }
  });
}

void AddAudit(CLI::App& app) {
  auto* audit_cmd = app.add_subcommand("audit", "The tamper-evident audit log");
  audit_cmd->require_subcommand(1);
  AddAuditVerify(audit_cmd);
  AddAuditAnchor(audit_cmd);
}

}  // namespace

void AddAdminCommands(CLI::App& app) {
  AddStream(app);
  AddToken(app);
  AddConsent(app);
  AddPolicy(app);
  AddSweep(app);
  AddAudit(app);
}

}  // namespace earshot::cli
