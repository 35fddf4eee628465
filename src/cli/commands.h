// The `earshot` program's subcommands; each Add*Command registers one group.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/context.h"

namespace earshot::cli {

void AddServeCommand(CLI::App& app);
void AddAdminCommands(CLI::App& app);  // stream, staff, token, consent, policy, sweep, audit
void AddIngestCommand(CLI::App& app);
void AddDemoCommand(CLI::App& app);
void AddRedactTextCommand(CLI::App& app);
void AddUserCommands(CLI::App& app);    // user add, user disable
void AddSpeechCommands(CLI::App& app);  // transcribe, deid, anonymize
void AddMigrateStoreCommand(CLI::App& app);
void AddExportCommand(CLI::App& app);  // export, export prune
void AddTraceCommand(CLI::App& app);   // trace

// Opens the data directory or prints the error and exits with status 1.
std::unique_ptr<Context> OpenOrExit(const std::string& data_dir);

// Prints `status` as "error: <message>" on stderr and exits with status 1.
[[noreturn]] void Fail(const Status& status);

// `--db URL` and `--blobs URL` on `cmd` (store/open.h): where the
// deployment's rows and sealed blobs live. Exported as EARSHOT_DB and
// EARSHOT_BLOBS, which DefaultConfig reads, so the workers a server starts
// open the same store.
void AddStoreOptions(CLI::App& cmd);

// `--log-level debug|info|warn|error` on `cmd`: the least severe log line
// written (default info, or EARSHOT_LOG_LEVEL). Also exported as
// EARSHOT_LOG_LEVEL, so the workers a server starts log alike.
void AddLogLevelOption(CLI::App& cmd);

}  // namespace earshot::cli
