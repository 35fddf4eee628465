// `earshot export`: a stream's consolidated, consented clips as a training
// dataset (review/training_export.h), and `earshot export prune`, which
// deletes from an earlier export's copy what its subjects took back.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "review/training_export.h"
#include "util/encoding.h"

namespace earshot::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void OnInterrupt(int) {
  g_cancel.store(true);
}

// The fault seam of the interruption test: EARSHOT_TEST_FAULT=
// export_utterance_ms:N makes each utterance take N ms more, as a slow disk
// would, so that a test can press Ctrl+C in the middle. Never set in
// production.
int ExtraMsPerUtterance() {
  const char* spec = std::getenv("EARSHOT_TEST_FAULT");
  const std::string prefix = "export_utterance_ms:";
  if (spec == nullptr || std::string(spec).rfind(prefix, 0) != 0) return 0;
  return std::atoi(spec + prefix.size());
}

struct ExportArgs {
  std::string data, stream, format, out, since;
};

void RunExport(const ExportArgs& a) {
  auto format = review::ParseExportFormat(a.format);
  if (!format.ok()) Fail(format.status());
  review::ExportRequest req;
  req.stream = a.stream;
  req.format = *format;
  req.out_dir = a.out;
  req.actor = "operator";
  if (!a.since.empty()) {
    auto ms = ParseRfc3339(a.since.size() == 10 ? a.since + "T00:00:00Z" : a.since);
    if (!ms)
      Fail(InvalidArgument("bad_since", "--since takes a date (2026-11-01) or RFC 3339 time"));
    req.since_ms = *ms;
  }
  auto ctx = OpenOrExit(a.data);
  // Ctrl+C stops at the next utterance and removes the partial export.
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  const bool tty = isatty(STDERR_FILENO) != 0;
  const int extra_ms = ExtraMsPerUtterance();
  auto progress = [&](int64_t done, int64_t total) {
    if (extra_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms));
    if (!tty) return;
    const int width = 30;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::fprintf(stderr, "\r[%s%s] %lld/%lld utterances", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
  };
  auto summary = review::ExportTraining(*ctx, req, progress, &g_cancel);
  if (tty) std::fprintf(stderr, "\n");
  if (!summary.ok()) Fail(summary.status());
  std::printf("%s\n", nlohmann::json{{"export_id", summary->export_id},
                                     {"out", a.out},
                                     {"format", a.format},
                                     {"utterances", summary->utterances},
                                     {"audio_seconds", summary->audio_seconds},
                                     {"tombstones", summary->tombstones}}
                          .dump()
                          .c_str());
}

}  // namespace

void AddExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "export", "Write a stream's consolidated, training-consented clips as a training dataset");
  auto args = std::make_shared<ExportArgs>();
  cmd->add_option("--data", args->data, "Data directory");
  AddStoreOptions(*cmd);
  cmd->add_option("--stream", args->stream, "Stream name");
  cmd->add_option("--format", args->format, "nemo, hf (an audiofolder) or kaldi")
      ->check(CLI::IsMember({"nemo", "hf", "kaldi"}));
  cmd->add_option("--out", args->out, "A new folder to write (it must not exist)");
  cmd->add_option("--since", args->since,
                  "Only clips whose consensus changed on or after this date (2026-11-01)");
  auto* prune = cmd->add_subcommand(
      "prune", "Delete from an earlier export the utterances listed in a later tombstones.txt");
  auto dir = std::make_shared<std::string>();
  auto tombstones = std::make_shared<std::string>();
  prune->add_option("dir", *dir, "The earlier export's folder")->required();
  prune->add_option("--tombstones", *tombstones, "A later export's tombstones.txt")->required();
  prune->callback([=] {
    auto removed = review::PruneExport(*dir, *tombstones);
    if (!removed.ok()) Fail(removed.status());
    std::printf("%s\n", nlohmann::json{{"removed", *removed}}.dump().c_str());
  });
  cmd->callback([=, &app] {
    (void)app;
    if (cmd->got_subcommand("prune")) return;
    if (args->data.empty() || args->stream.empty() || args->format.empty() || args->out.empty()) {
      Fail(InvalidArgument("missing_option", "export needs --data, --stream, --format and --out"));
    }
    RunExport(*args);
  });
}

}  // namespace earshot::cli
