// The de-identification worker process: `earshot worker` on any host, and
// the supervised children of `earshot serve` (cli/worker_supervisor.h). The
// chain never runs inside the process that holds intake, review and the
// subject's rights (DESIGN.md, Processes): a crash, hang or runaway
// allocation in a stage costs one attempt of one job.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "app/context.h"
#include "pipeline/worker.h"

namespace earshot::cli {

// How a worker process ends, for its supervisor.
constexpr int kWorkerExitOutOfMemory = 86;  // an allocation failed under the memory limit
constexpr int kWorkerExitTimeout = 87;      // a job ran past the time limit
constexpr int kWorkerExitDisabled = 88;     // this build or host cannot run the chain

struct WorkerOptions {
  // Supervised: the status protocol below is written here; -1 standalone.
  int status_fd = -1;
  int64_t max_memory_mb = 2048;  // address-space limit of the process (RLIMIT_AS)
  int64_t job_time_limit_s = 120;
};

// The worker this build can run (recognizer, digit listener, anonymizer),
// or why not: Unavailable("stage_missing" / the recognizer's reason).
Result<std::unique_ptr<pipeline::DeidWorker>> MakeDeidWorker(Context& ctx);

// Runs jobs until `stopping` (or SIGTERM/SIGINT when standalone), under the
// memory and time limits. Supervised, it writes one line per event to
// `status_fd`:
//   job<TAB>ID<TAB>ATTEMPT   before a claimed job runs
//   idle                     after it ended (finished or failed)
//   count<TAB>NAME<TAB>LABELS<TAB>N   counter increments since the last report
// and leaves recording a crash to the supervisor. Standalone, a job past
// its time limit is recorded as failed ("timeout") by the watchdog before
// the process exits; a crash leaves the job to be reclaimed when its lease
// runs out. Returns the exit code.
int RunWorker(Context& ctx, const WorkerOptions& options, const std::atomic<bool>& stopping);

void AddWorkerCommand(CLI::App& app);

}  // namespace earshot::cli
