// Runs `earshot worker` children for `earshot serve` and watches them: a
// child that dies (crash, time or memory limit) while it holds a job gets
// that attempt recorded with its failure class (pipeline::FailJob, which
// quarantines the job at its third attempt) and is started again; the
// server's process is never the one that crashes. Thread-safe: Start and
// Stop from one thread; the children are watched on threads of its own.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "cli/worker.h"

namespace earshot::cli {

// "crash_sigsegv", "crash_sigabrt", "out_of_memory", "timeout", "exit_N":
// the failure class of a worker that ended with wait(2) status `status`.
std::string WorkerFailureClass(int status);

class WorkerSupervisor {
 public:
  // `workers` children, each with `options` (status_fd is set per child).
  WorkerSupervisor(Context& ctx, int workers, WorkerOptions options);
  ~WorkerSupervisor();  // Stop()

  void Start();
  // Asks each child to finish its job and exit (SIGTERM); a child that has
  // not after a grace period is killed and its job released unharmed.
  void Stop();

 private:
  void Supervise(int index);
  struct ChildEnd {
    int status = -1;           // wait(2) status; -1: it could not be started
    bool died_on_job = false;  // it ended while holding a job
  };
  // One child's life: start, read its status lines, reap it.
  ChildEnd RunChild(int index);

  Context& ctx_;
  const int workers_;
  const WorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace earshot::cli
