// Runs the real `earshot serve` binary as a child process on a free loopback
// port, for integration tests that drive it over HTTP.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace earshot::testing {

class ServerProcess {
 public:
  // REQUIRES: `data_dir` exists (the test may have populated it).
  explicit ServerProcess(std::string data_dir);
  ~ServerProcess();  // SIGTERM and wait, if still running

  // Starts the server and waits until it reports its port. False on failure.
  bool Start();
  // Flags added to `earshot serve` at the next Start (e.g. worker limits).
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // Graceful stop (SIGTERM); returns the exit status.
  int Stop();
  // kill -9: no chance to clean up.
  void Kill();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // The server's peak resident memory so far (VmHWM), in KiB; 0 if unknown.
  long PeakRssKb() const;
  // Everything the server wrote to stderr (its structured log) so far.
  std::string Log() const;

 private:
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The path of the earshot binary under test.
std::string EarshotBinary();

struct CliRun {
  int exit_code;
  std::string out;  // stdout and stderr
};

// Runs `earshot ARGS` (a shell command line) to the end.
CliRun Earshot(const std::string& args);
// Runs `command` with sh, stderr into stdout: its exit code and output.
CliRun Shell(const std::string& command);

}  // namespace earshot::testing
