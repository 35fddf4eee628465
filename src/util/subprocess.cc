#include "util/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace earshot {
namespace {

// One owner for each end of the pipe.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

// The child: stdin from `read_fd`, stdout and stderr to /dev/null, its own
// process group (so a timeout kills what it started too), and default
// SIGPIPE even where the parent ignores it.
void Configure(SpawnSetup& s, int read_fd) {
  posix_spawn_file_actions_adddup2(&s.actions, read_fd, 0);
  posix_spawn_file_actions_addopen(&s.actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&s.actions, 2, "/dev/null", O_WRONLY, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&s.attr, &defaults);
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
}

// Waits for `pid` until `timeout_ms`; then kills its group and reaps it.
Status Await(pid_t pid, int64_t timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int wstatus = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &wstatus, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Internal("wait_failed", std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
      }
      return Unavailable("command_timeout", "the command ran past " + std::to_string(timeout_ms) +
                                                " ms and was killed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return Status::Ok();
  const std::string how = WIFEXITED(wstatus)
                              ? "exited with status " + std::to_string(WEXITSTATUS(wstatus))
                              : "was killed by signal " + std::to_string(WTERMSIG(wstatus));
  return Unavailable("command_failed", "the command " + how);
}

}  // namespace

Status RunWithInput(const std::string& command, const std::string& input, int64_t timeout_ms) {
  if (input.size() > kMaxCommandInput)
    return InvalidArgument("input_too_long", "at most 4096 bytes go to a command's stdin");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Internal("spawn_failed", std::strerror(errno));
  Fd read_end{fds[0]}, write_end{fds[1]};
  // The whole input fits the pipe: written before the child exists, it can
  // neither block us nor raise SIGPIPE if the child never reads.
  if (!input.empty() &&
      ::write(write_end.fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()))
    return Internal("spawn_failed", std::strerror(errno));
  ::close(write_end.fd);
  write_end.fd = -1;
  SpawnSetup setup;
  Configure(setup, read_end.fd);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr,
                               const_cast<char* const*>(argv), environ);
  if (rc != 0) return Internal("spawn_failed", std::strerror(rc));
  return Await(pid, timeout_ms);
}

}  // namespace earshot
