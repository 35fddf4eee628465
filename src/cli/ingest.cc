// `earshot ingest FILES…`: batch import with the same rules as the HTTP intake.
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "ingest/intake.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::cli {
namespace {

struct IngestArgs {
  std::string data;
  std::vector<std::string> files;
  std::string stream;
  std::string account;
  std::string device_serial = "batch-import";
  std::string locale = "en-US";
  std::string captured_at;  // default: now
};

void DrawProgress(size_t done, size_t total, size_t failed) {
  constexpr int kWidth = 30;
  const int filled = total ? static_cast<int>(done * kWidth / total) : kWidth;
  std::fprintf(stderr, "\r[%s%s] %zu/%zu  %zu rejected", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total, failed);
  std::fflush(stderr);
}

int Run(const IngestArgs& args) {
  auto ctx = OpenOrExit(args.data);
  auto found = ingest::FindStreamByName(*ctx, args.stream);
  if (!found.ok()) Fail(found.status());
  const ingest::Stream stream = *found;
  ingest::RecordingMetadata meta;
  meta.account = args.account;
  meta.device_serial = args.device_serial;
  meta.locale = args.locale;
  if (!args.captured_at.empty()) {
    auto ms = ParseRfc3339(args.captured_at);
    if (!ms) Fail(InvalidArgument("bad_time", "--captured-at must be an RFC 3339 time"));
    meta.captured_at_ms = *ms;
  }
  const bool tty = ::isatty(STDERR_FILENO);
  size_t failed = 0;
  std::vector<std::string> lines;
  for (size_t i = 0; i < args.files.size(); ++i) {
    const std::string& file = args.files[i];
    if (args.captured_at.empty()) meta.captured_at_ms = ctx->clock().NowMs();
    auto bytes = ReadFile(file);
    Result<ingest::IntakeOutcome> outcome =
        bytes.ok() ? ingest::IngestRecording(*ctx, stream, meta, *bytes)
                   : Result<ingest::IntakeOutcome>(bytes.status());
    if (outcome.ok() && outcome->discarded) {
      lines.push_back(file + "\tdiscarded: wake word not heard");
    } else if (outcome.ok()) {
      lines.push_back(file + "\t" + outcome->recording_id);
    } else {
      ++failed;
      lines.push_back(file + "\terror: " + outcome.status().message());
    }
    if (tty) DrawProgress(i + 1, args.files.size(), failed);
  }
  if (tty) std::fprintf(stderr, "\n");
  for (const auto& line : lines) std::printf("%s\n", line.c_str());
  std::fprintf(stderr, "%zu accepted, %zu rejected\n", args.files.size() - failed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void AddIngestCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("ingest", "Import audio files for an account");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("files", args->files, "Audio files (WAV, FLAC, Ogg Vorbis, Opus, MP3)")
      ->required();
  cmd->add_option("--data", args->data, "Data directory")->required();
  AddStoreOptions(*cmd);
  cmd->add_option("--stream", args->stream, "Stream name")->required();
  cmd->add_option("--account", args->account, "Upstream account id")->required();
  cmd->add_option("--device-serial", args->device_serial, "Device serial");
  cmd->add_option("--locale", args->locale, "Locale, e.g. en-US");
  cmd->add_option("--captured-at", args->captured_at, "Capture time, RFC 3339 (default: now)");
  cmd->callback([args] { std::exit(Run(*args)); });
}

}  // namespace earshot::cli
