#include "cli/worker_supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "pipeline/jobs.h"
#include "util/log.h"

namespace earshot::cli {
namespace {

constexpr int kStopGraceMs = 5'000;
// The child's own watchdog ends a job at its limit; past this margin the
// supervisor kills a child that did not.
constexpr int64_t kHardKillMarginMs = 10'000;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
    out.push_back(line.substr(start, tab - start));
  }
  out.push_back(line.substr(start));
  return out;
}

// What the supervisor knows of one child from its status lines.
struct ChildState {
  std::optional<pipeline::DeidJob> job;  // the job it is on
  int64_t job_started_ms = 0;
  bool killed_for_time = false;
  bool killed_for_stop = false;
};

void Apply(Context& ctx, const std::string& line, ChildState& state) {
  const auto f = SplitTabs(line);
  if (f[0] == "job" && f.size() == 3) {
    pipeline::DeidJob job;
    job.id = f[1];
    job.attempts = std::atoll(f[2].c_str());
    state.job = job;
    state.job_started_ms = SteadyMs();
  } else if (f[0] == "idle") {
    state.job.reset();
  } else if (f[0] == "count" && f.size() == 4) {
    ctx.metrics().AddSeries({f[1], f[2], std::atoll(f[3].c_str())});
  }
}

}  // namespace

std::string WorkerFailureClass(int status) {
  if (WIFSIGNALED(status)) {
    switch (WTERMSIG(status)) {
      case SIGSEGV: return "crash_sigsegv";
      case SIGABRT: return "crash_sigabrt";
      case SIGBUS: return "crash_sigbus";
      case SIGFPE: return "crash_sigfpe";
      case SIGILL: return "crash_sigill";
      case SIGKILL: return "killed";
      default: return "crash_signal_" + std::to_string(WTERMSIG(status));
    }
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == kWorkerExitOutOfMemory) return "out_of_memory";
    if (WEXITSTATUS(status) == kWorkerExitTimeout) return "timeout";
    return "exit_" + std::to_string(WEXITSTATUS(status));
  }
  return "unknown";
}

WorkerSupervisor::WorkerSupervisor(Context& ctx, int workers, WorkerOptions options)
    : ctx_(ctx), workers_(workers), options_(options) {}

WorkerSupervisor::~WorkerSupervisor() {
  Stop();
}

void WorkerSupervisor::Start() {
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this, i] { Supervise(i); });
}

void WorkerSupervisor::Stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerSupervisor::Supervise(int index) {
  int64_t backoff_ms = 500;
  while (!stopping_) {
    const int64_t started = SteadyMs();
    const ChildEnd end = RunChild(index);
    const int status = end.status;
    if (stopping_) break;
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == kWorkerExitDisabled) {
      LogWarn("deid_worker_not_restarted", {{"reason", "disabled"}});
      return;
    }
    ctx_.metrics().Add("earshot_worker_restarts_total", 1, "class",
                       status < 0 ? "spawn_failed" : WorkerFailureClass(status));
    // A child that died on a job is the job's doing (recorded on it): start
    // the next one at once. One that keeps dying on its own (a broken host,
    // a missing model) is restarted ever more slowly.
    if (end.died_on_job) {
      backoff_ms = 500;
    } else {
      backoff_ms = SteadyMs() - started > 60'000 ? 500 : std::min<int64_t>(backoff_ms * 2, 30'000);
    }
    for (int64_t waited = 0; waited < backoff_ms && !stopping_; waited += 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

WorkerSupervisor::ChildEnd WorkerSupervisor::RunChild(int index) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  const std::string data = ctx_.config().data_dir;
  const std::string memory = std::to_string(options_.max_memory_mb);
  const std::string limit = std::to_string(options_.job_time_limit_s);
  std::vector<const char*> argv = {"earshot",         "worker",          "--data",
                                   data.c_str(),      "--status-fd",     "3",
                                   "--max-memory-mb", memory.c_str(),    "--job-time-limit",
                                   limit.c_str(),     nullptr};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the server
    ::dup2(fds[1], 3);                   // dup2 clears close-on-exec on 3
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    // The listening socket and every other descriptor stay with the server.
    ::close_range(4, ~0U, 0);
    ::execv("/proc/self/exe", const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  ::close(fds[1]);
  LogInfo("worker_started", {{"worker", std::to_string(index)}, {"pid", std::to_string(pid)}});
  ChildState state;
  std::string buffer;
  int64_t stop_sent_ms = 0;
  for (;;) {
    if (stopping_ && stop_sent_ms == 0) {
      ::kill(pid, SIGTERM);
      stop_sent_ms = SteadyMs();
    }
    if (stop_sent_ms > 0 && SteadyMs() - stop_sent_ms > kStopGraceMs && !state.killed_for_stop) {
      state.killed_for_stop = true;
      ::kill(pid, SIGKILL);
    }
    if (state.job && !state.killed_for_time &&
        SteadyMs() - state.job_started_ms > options_.job_time_limit_s * 1000 + kHardKillMarginMs) {
      state.killed_for_time = true;
      ::kill(pid, SIGKILL);
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;  // the child is gone
    buffer.append(chunk, static_cast<size_t>(n));
    for (size_t nl; (nl = buffer.find('\n')) != std::string::npos;) {
      Apply(ctx_, buffer.substr(0, nl), state);
      buffer.erase(0, nl + 1);
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (state.job) {
    if (state.killed_for_stop) {
      // Our own shutdown is not the job's fault.
      (void)pipeline::ReleaseJob(ctx_, *state.job);
    } else {
      const std::string failure = state.killed_for_time ? "timeout" : WorkerFailureClass(status);
      LogError("worker_died_during_job", {{"class", failure}, {"job", state.job->id}});
      Status st = pipeline::FailJob(ctx_, *state.job, failure);
      if (!st.ok()) LogWarn("worker_crash_not_recorded", {{"reason", st.reason()}});
    }
  } else if (!stopping_) {
    LogWarn("worker_exited", {{"class", WorkerFailureClass(status)}});
  }
  return {status, state.job.has_value()};
}

}  // namespace earshot::cli
