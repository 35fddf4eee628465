// `earshot demo` as a new user meets it: the guide it prints is followed to
// the letter (issue 13, item 10), and the credentials can be shown again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "app/context.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `earshot demo` on any free port, its guide (stdout) into a file.
class DemoProcess {
 public:
  explicit DemoProcess(std::string dir) : dir_(std::move(dir)) {}
  ~DemoProcess() { Stop(); }

  // Starts the demo and waits for its guide; false when it never came.
  bool Start() {
    const std::string binary = EarshotBinary();
    const std::string data = dir_ + "/demo";
    const char* log_dir = std::getenv("EARSHOT_TEST_LOG_DIR");
    const std::string log = log_dir && *log_dir ? std::string(log_dir) + "/demo-" +
                                                      std::to_string(::getpid()) + ".log"
                                                : dir_ + "/demo.log";
    const std::string db_url = TestDbUrl(data);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!db_url.empty()) ::setenv("EARSHOT_DB", db_url.c_str(), 1);
      ::dup2(::open(guide_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), STDOUT_FILENO);
      ::dup2(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600), STDERR_FILENO);
      ::execl(binary.c_str(), binary.c_str(), "demo", "--data", data.c_str(), "--listen",
              "127.0.0.1:0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 1200; ++i) {  // the demo synthesizes its recordings first
      if (Guide().find("/metrics\n") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string Guide() const { return Slurp(guide_path()); }
  std::string data() const { return dir_ + "/demo"; }

 private:
  std::string guide_path() const { return dir_ + "/guide.txt"; }
  std::string dir_;
  pid_t pid_ = -1;
};

// The guide's shell lines from the one starting with `from` up to the next
// blank line, continuation lines joined as the shell would read them.
std::string Block(const std::string& guide, const std::string& from) {
  const size_t start = guide.find(from);
  if (start == std::string::npos) return "";
  const size_t end = guide.find("\n\n", start);
  return guide.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Runs `script` with bash in `dir`; stdout.
std::string Bash(const std::string& dir, const std::string& script) {
  const std::string path = dir + "/step.sh";
  std::ofstream(path) << "set -e\ncd '" << dir << "'\n" << script << "\n";
  return Shell("bash " + path).out;
}

TEST(Demo, ThePrintedCommandsWorkAsPrinted) {
  TempDir dir;
  DemoProcess demo(dir.path());
  ASSERT_TRUE(demo.Start()) << demo.Guide();
  const std::string guide = demo.Guide();

  // The product backend's two commands, with a real request for YOUR.wav.
  Bash(dir.path(), "flite -voice slt -t 'hey computer what is the time in tokyo' -o YOUR.wav");
  ASSERT_TRUE(FileExists(dir.path() + "/YOUR.wav"));
  const std::string product = Block(guide, "  export STREAM_KEY=");
  ASSERT_FALSE(product.empty()) << guide;
  const std::string sent = Bash(dir.path(), product);
  std::smatch id;
  ASSERT_TRUE(std::regex_search(sent, id, std::regex(R"re("id":"(rec_[a-z0-9_]+)")re"))) << sent;

  // The reviewer's sign-in uses a code the table printed for demo-reviewer.
  std::smatch code;
  const std::string sign_in = Block(guide, "  curl -s -c jar.txt");
  ASSERT_TRUE(std::regex_search(sign_in, code, std::regex(R"re("code":"([^"]+)")re"))) << sign_in;
  std::smatch row;
  ASSERT_TRUE(std::regex_search(guide, row, std::regex(R"(\n\s*demo-reviewer [^\n]*)")));
  EXPECT_NE(row.str().find(code[1].str()), std::string::npos)
      << "the curl's code " << code[1] << " is not in the table: " << row.str();
  const std::string signed_in = Bash(dir.path(), sign_in.substr(0, sign_in.find("\n  export")));
  EXPECT_NE(signed_in.find("csrf_token"), std::string::npos) << signed_in;

  // The recording reaches review: the worker makes its clip and a task.
  auto ctx = Context::Open(TestConfig(demo.data()));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  int64_t tasks = 0;
  for (int i = 0; i < 120 && tasks == 0; ++i) {
    ASSERT_OK((*ctx)->db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM tasks t JOIN clips c ON "
                                           "c.id = t.clip_id WHERE c.recording_id = ?",
                                           {id[1].str()}));
      tasks = rows.at(0).Int(0);
      return Status::Ok();
    }));
    if (tasks == 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_EQ(tasks, 1) << "the recording sent as the guide says never reached review";
  demo.Stop();

  // The guide again, for a terminal that scrolled it away.
  CliRun again = Earshot("demo --print-credentials --data " + demo.data());
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find(row.str().substr(1)), std::string::npos) << again.out;
  CliRun none = Earshot("demo --print-credentials --data " + dir.path() + "/nothing");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.out.find("no demo"), std::string::npos) << none.out;
}

}  // namespace
}  // namespace earshot::testing
