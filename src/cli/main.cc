#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/worker.h"
#include "util/log.h"

namespace earshot::cli {

std::unique_ptr<Context> OpenOrExit(const std::string& data_dir) {
  auto ctx = Context::Open(DefaultConfig(data_dir));
  if (!ctx.ok()) Fail(ctx.status());
  return std::move(ctx).value();
}

void Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  std::exit(1);
}

void AddStoreOptions(CLI::App& cmd) {
  cmd.add_option_function<std::string>(
      "--db", [](const std::string& url) { ::setenv("EARSHOT_DB", url.c_str(), 1); },
      "Database: a path or sqlite:///path (default <data>/earshot.db), or "
      "postgresql://user@host:port/db[?schema=NAME&pool=N] (env EARSHOT_DB)");
  cmd.add_option_function<std::string>(
      "--blobs", [](const std::string& url) { ::setenv("EARSHOT_BLOBS", url.c_str(), 1); },
      "Sealed blobs: files (default, <data>/blobs), files:///dir, or postgresql (in the "
      "PostgreSQL --db) (env EARSHOT_BLOBS)");
}

void AddLogLevelOption(CLI::App& cmd) {
  cmd.add_option_function<std::string>(
         "--log-level",
         [](const std::string& name) {
           SetLogLevel(*ParseLogLevel(name));
           ::setenv("EARSHOT_LOG_LEVEL", name.c_str(), 1);
         },
         "Least severe log line written: debug, info (default), warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
}

}  // namespace earshot::cli

int main(int argc, char** argv) {
  if (const char* level = std::getenv("EARSHOT_LOG_LEVEL"); level != nullptr) {
    if (auto parsed = earshot::ParseLogLevel(level)) earshot::SetLogLevel(*parsed);
  }
  CLI::App app{"earshot: human review of voice recordings that protects the people recorded"};
  app.set_version_flag("--version", "earshot " EARSHOT_VERSION);
  app.require_subcommand(1);
  earshot::cli::AddServeCommand(app);
  earshot::cli::AddWorkerCommand(app);
  earshot::cli::AddAdminCommands(app);
  earshot::cli::AddIngestCommand(app);
  earshot::cli::AddDemoCommand(app);
  earshot::cli::AddRedactTextCommand(app);
  earshot::cli::AddSpeechCommands(app);
  earshot::cli::AddUserCommands(app);
  earshot::cli::AddMigrateStoreCommand(app);
  earshot::cli::AddExportCommand(app);
  earshot::cli::AddTraceCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
