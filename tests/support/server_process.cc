#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/test_util.h"

namespace earshot::testing {

std::string EarshotBinary() {
  return EARSHOT_BINARY;
}

CliRun Earshot(const std::string& args) {
  // On a PostgreSQL run, the store of the --data directory named (test_util.h).
  std::string prefix;
  const size_t flag = args.find("--data ");
  if (flag != std::string::npos) {
    size_t start = flag + 7, end;
    if (start < args.size() && (args[start] == '\'' || args[start] == '"')) {
      end = args.find(args[start], start + 1);
      ++start;
    } else {
      end = args.find(' ', start);
    }
    const std::string url =
        TestDbUrl(args.substr(start, end == std::string::npos ? end : end - start));
    if (!url.empty()) prefix = "EARSHOT_DB='" + url + "' ";
  }
  return Shell(prefix + EarshotBinary() + " " + args);
}

CliRun Shell(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

long ServerProcess::PeakRssKb() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

namespace {

// Where a server for `data_dir` logs: EARSHOT_TEST_LOG_DIR (kept for the
// whole run's log scan) or beside the data directory. One file per data
// directory, so a restarted server appends to the same log.
std::string LogPathFor(const std::string& data_dir) {
  const char* dir = std::getenv("EARSHOT_TEST_LOG_DIR");
  if (dir == nullptr || *dir == '\0') return data_dir + "/../server.log";
  std::filesystem::create_directories(dir);
  return std::string(dir) + "/server-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::hash<std::string>{}(data_dir)) + ".log";
}

}  // namespace

ServerProcess::ServerProcess(std::string data_dir)
    : data_dir_(std::move(data_dir)), log_path_(LogPathFor(data_dir_)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

bool ServerProcess::Start() {
  const std::string binary = EarshotBinary();
  const size_t seen = Log().size();  // the log is appended across restarts
  std::vector<const char*> argv = {binary.c_str(),    "serve",    "--data",
                                   data_dir_.c_str(), "--listen", "127.0.0.1:0"};
  for (const auto& a : extra_args_) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  const std::string db_url = TestDbUrl(data_dir_);
  pid_ = ::fork();
  if (pid_ == 0) {
    if (!db_url.empty()) ::setenv("EARSHOT_DB", db_url.c_str(), 1);
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, STDOUT_FILENO);
    ::execv(binary.c_str(), const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  if (pid_ < 0) return false;
  const std::regex listening(R"re("event":"listening".*"port":"(\d+)")re");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string log = Log();
    std::smatch m;
    std::string fresh = log.substr(std::min(seen, log.size()));
    if (std::regex_search(fresh, m, listening)) {
      port_ = std::stoi(m[1]);
      return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace earshot::testing
