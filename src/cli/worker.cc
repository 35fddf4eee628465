#include "cli/worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#include "asr/pocketsphinx.h"
#include "cli/commands.h"
#include "cli/worker_sanitizer.h"
#include "pipeline/jobs.h"
#include "util/log.h"
#include "util/thread_annotations.h"

namespace earshot::cli {
namespace {

std::atomic<bool> g_signalled{false};

void OnStopSignal(int) {
  g_signalled = true;
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One line to the supervisor; a supervisor that went away is not an error
// here (the process ends with its parent, PR_SET_PDEATHSIG).
void Report(int fd, const std::string& line) {
  if (fd < 0) return;
  const std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

void ReportCounters(int fd, Metrics& metrics) {
  if (fd < 0) return;
  for (const auto& c : metrics.TakeAll()) {
    Report(fd, "count\t" + c.name + "\t" + c.labels + "\t" + std::to_string(c.value));
  }
}

// The allocation that fails under RLIMIT_AS ends the process at once with a
// code the supervisor classifies, instead of unwinding through C libraries.
void OnOutOfMemory() {
  static const char kMsg[] = "{\"event\":\"worker_out_of_memory\",\"level\":\"error\"}\n";
  (void)!::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  ::_exit(kWorkerExitOutOfMemory);
}

void LimitMemory(int64_t max_memory_mb) {
  if (max_memory_mb <= 0) return;
  rlimit limit{};
  limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(AddressSpaceLimitBytes(max_memory_mb));
  if (::setrlimit(RLIMIT_AS, &limit) != 0) LogWarn("worker_memory_limit_failed");
  std::set_new_handler(OnOutOfMemory);
  EndSanitizerFaultsAsInProduction(OnOutOfMemory);
}

// The test seam for faults (DESIGN.md: fakes only behind the seams for
// clock, faults and randomness): EARSHOT_TEST_FAULT=KIND:MARKER[,KIND:MARKER]
// makes a job whose product hypothesis contains MARKER crash (SIGSEGV),
// abort, hang or allocate without bound. Unset in production; logged when set.
void Misbehave(const std::string& kind) {
  if (kind == "crash") std::raise(SIGSEGV);
  if (kind == "abort") std::abort();
  if (kind == "hang") {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (kind == "oom") {
    std::vector<std::unique_ptr<char[]>> hog;
    for (;;) {
      hog.emplace_back(new char[64 << 20]);
      for (size_t i = 0; i < (64u << 20); i += 4096) hog.back()[i] = 1;
    }
  }
}

pipeline::DeidWorker::FaultHook FaultFromEnvironment() {
  const char* spec = std::getenv("EARSHOT_TEST_FAULT");
  if (spec == nullptr || *spec == '\0') return {};
  std::vector<std::pair<std::string, std::string>> faults;  // kind, marker
  std::string rest(spec);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string item = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    const size_t colon = item.find(':');
    if (colon == std::string::npos || colon + 1 >= item.size()) continue;
    faults.emplace_back(item.substr(0, colon), item.substr(colon + 1));
    LogWarn("worker_test_fault_armed", {{"kind", faults.back().first}});
  }
  if (faults.empty()) return {};
  return [faults](const pipeline::JobInput& in) {
    if (!in.meta.hypothesis) return;
    for (const auto& [kind, marker] : faults) {
      if (in.meta.hypothesis->text.find(marker) != std::string::npos) Misbehave(kind);
    }
  };
}

// Ends the process when a job runs past its limit. Standalone, it records
// the attempt first; supervised, the supervisor does (it saw the job line).
class Watchdog {
 public:
  Watchdog(Context& ctx, const WorkerOptions& options) : ctx_(ctx), options_(options) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Watchdog() {
    done_ = true;
    thread_.join();
  }
  void Start(const pipeline::DeidJob& job) {
    {
      MutexLock lock(mu_);
      job_ = job;
    }
    started_ms_ = SteadyMs();
  }
  void Stop() { started_ms_ = 0; }

 private:
  void Run() {
    while (!done_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const int64_t started = started_ms_;
      if (started == 0 || SteadyMs() - started <= options_.job_time_limit_s * 1000) continue;
      LogError("worker_job_timeout", {{"limit_s", std::to_string(options_.job_time_limit_s)}});
      if (options_.status_fd < 0) {
        MutexLock lock(mu_);
        (void)pipeline::FailJob(ctx_, job_, "timeout");
      }
      ::_exit(kWorkerExitTimeout);
    }
  }

  Context& ctx_;
  const WorkerOptions options_;
  std::atomic<bool> done_{false};
  std::atomic<int64_t> started_ms_{0};
  Mutex mu_;
  pipeline::DeidJob job_ GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<pipeline::DeidWorker>> MakeDeidWorker(Context& ctx) {
  std::vector<std::unique_ptr<pipeline::ClipStage>> stages;
  stages.push_back(std::make_unique<pipeline::AnonymizeStage>(ctx.rng()));
  const auto missing = pipeline::MissingStages(pipeline::ChainStages(stages));
  if (!missing.empty()) {
    return Unavailable("stage_missing", "this build lacks the stage " +
                                            std::string(pipeline::StageName(missing.front())));
  }
  ASSIGN_OR_RETURN(auto recognizer, asr::PocketsphinxRecognizer::Create());
  // The phone-loop scores only where the policy reads them (the default
  // does): the allphone search costs a second search per recording.
  std::unique_ptr<asr::Recognizer> digits;
  if (pipeline::DeidSettings{}.second_pass.UsesScores()) {
    ASSIGN_OR_RETURN(digits, asr::DigitListener::Create());
  } else {
    ASSIGN_OR_RETURN(digits,
                     asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar()));
  }
  auto worker = std::make_unique<pipeline::DeidWorker>(ctx, std::move(recognizer),
                                                       std::move(stages), std::move(digits));
  worker->set_fault_hook(FaultFromEnvironment());
  return worker;
}

int RunWorker(Context& ctx, const WorkerOptions& options, const std::atomic<bool>& stopping) {
  LimitMemory(options.max_memory_mb);
  auto worker = MakeDeidWorker(ctx);
  if (!worker.ok()) {
    LogWarn("deid_worker_disabled", {{"reason", worker.status().reason()}});
    return kWorkerExitDisabled;
  }
  Watchdog watchdog(ctx, options);
  LogInfo("worker_ready", {{"time_limit_s", std::to_string(options.job_time_limit_s)},
                           {"memory_limit_mb", std::to_string(options.max_memory_mb)}});
  while (!stopping && !g_signalled) {
    auto job = (*worker)->Claim();
    if (!job.ok() || !*job) {
      if (!job.ok()) LogWarn("deid_worker_error", {{"reason", job.status().reason()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    Report(options.status_fd, "job\t" + (*job)->id + "\t" + std::to_string((*job)->attempts));
    watchdog.Start(**job);
    Status st = (*worker)->Process(**job);
    watchdog.Stop();
    if (!st.ok()) LogWarn("deid_worker_error", {{"reason", st.reason()}});
    ReportCounters(options.status_fd, ctx.metrics());
    Report(options.status_fd, "idle");
  }
  return 0;
}

void AddWorkerCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("worker",
                                 "Run de-identification jobs (standalone, or as a child of serve)");
  auto data = std::make_shared<std::string>();
  auto options = std::make_shared<WorkerOptions>();
  cmd->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*cmd);
  AddLogLevelOption(*cmd);
  cmd->add_option("--status-fd", options->status_fd,
                  "File descriptor for the supervisor's status lines (set by serve)");
  cmd->add_option("--max-memory-mb", options->max_memory_mb,
                  "Address-space limit of the process in MiB (0: none)");
  cmd->add_option("--job-time-limit", options->job_time_limit_s, "Seconds one job may run")
      ->check(CLI::PositiveNumber);
  cmd->callback([data, options] {
    auto ctx = OpenOrExit(*data);
    std::signal(SIGTERM, OnStopSignal);
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGPIPE, SIG_IGN);
    const std::atomic<bool> never{false};
    std::exit(RunWorker(*ctx, *options, never));
  });
}

}  // namespace earshot::cli
