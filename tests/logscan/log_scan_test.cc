// Runs after every integration test (a ctest fixture cleanup): reads the logs
// of every server the whole run started and fails if any line holds a
// secret or credential shape: session ids, stream keys, subject tokens,
// enrolment secrets, TOTP secrets, CSRF tokens, or the passwords the tests
// use. The directory comes from EARSHOT_TEST_LOG_DIR (set by CMake).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Finding {
  std::string file;
  int line;
  std::string what;
};

// True if the 43-character run is a random secret (base64url), not hex.
bool LooksLikeSecret(const std::string& run) {
  for (char c : run) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return true;
  }
  return false;
}

std::vector<Finding> Scan(const std::string& file, const std::string& text) {
  // A token starts a word: "est_" inside "request_refused" is not a key.
  static const std::regex kPrefixed(R"((^|[^A-Za-z0-9])(ess|esk|sjt|enr|est)_[A-Za-z0-9_.\-]{6,})");
  static const std::regex kTotp(R"((^|[^A-Z2-7])[A-Z2-7]{32}([^A-Z2-7]|$))");
  static const std::regex kRandom(R"((^|[^A-Za-z0-9_\-])([A-Za-z0-9_\-]{43})([^A-Za-z0-9_\-]|$))");
  static const std::vector<std::string> kPasswords = {"password of ", "a long enough password",
                                                      "correct horse", "earshot demo password",
                                                      "a new long password"};
  std::vector<Finding> out;
  std::istringstream lines(text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, kPrefixed)) out.push_back({file, n, "token " + m.str(2) + "_"});
    if (std::regex_search(line, kTotp)) out.push_back({file, n, "TOTP secret"});
    for (auto it = std::sregex_iterator(line.begin(), line.end(), kRandom);
         it != std::sregex_iterator(); ++it) {
      if (LooksLikeSecret((*it)[2].str())) out.push_back({file, n, "43-char random secret"});
    }
    for (const auto& p : kPasswords) {
      if (line.find(p) != std::string::npos) out.push_back({file, n, "password"});
    }
  }
  return out;
}

TEST(ServerLogs, NoSecretReachesTheLogOfAnyServerOfTheRun) {
  const char* dir = std::getenv("EARSHOT_TEST_LOG_DIR");
  ASSERT_TRUE(dir && *dir) << "EARSHOT_TEST_LOG_DIR is not set";
  int files = 0;
  size_t bytes = 0;
  std::vector<Finding> findings;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    bytes += text.size();
    auto found = Scan(entry.path().filename().string(), text);
    findings.insert(findings.end(), found.begin(), found.end());
  }
  ASSERT_GT(files, 0) << "no server log was written: nothing was checked";
  for (const auto& f : findings) {
    ADD_FAILURE() << f.file << ":" << f.line << " holds a " << f.what;
  }
  std::printf("scanned %d server logs, %zu bytes\n", files, bytes);
}

// A sanitizer's report in a server's or worker's log (scripts/sanitize.sh):
// the test that started the process may pass, since no test checks how its
// server exits. Logs of servers whose workers were armed to crash on purpose
// (EARSHOT_TEST_FAULT) are left out.
std::vector<Finding> SanitizerReports(const std::string& file, const std::string& text) {
  static const std::vector<std::string> kReports = {
      "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "ERROR: UndefinedBehaviorSanitizer",
      ": runtime error: "};
  std::vector<Finding> out;
  if (text.find("worker_test_fault_armed") != std::string::npos) return out;
  std::istringstream lines(text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    for (const auto& r : kReports) {
      if (line.find(r) != std::string::npos) out.push_back({file, n, "sanitizer report: " + line});
    }
  }
  return out;
}

TEST(ServerLogs, NoSanitizerReportFromAnyServerOrWorkerOfTheRun) {
  const char* dir = std::getenv("EARSHOT_TEST_LOG_DIR");
  ASSERT_TRUE(dir && *dir) << "EARSHOT_TEST_LOG_DIR is not set";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& f : SanitizerReports(entry.path().filename().string(), text)) {
      ADD_FAILURE() << f.file << ":" << f.line << ": " << f.what;
    }
  }
}

TEST(ServerLogs, TheSanitizerScanCatchesEachReport) {
  EXPECT_FALSE(SanitizerReports("x", "==12==ERROR: LeakSanitizer: detected memory leaks").empty());
  EXPECT_FALSE(SanitizerReports("x", "==12==ERROR: AddressSanitizer: heap-use-after-free").empty());
  EXPECT_FALSE(SanitizerReports("x", "src/a.cc:3:7: runtime error: signed overflow").empty());
  EXPECT_TRUE(SanitizerReports("x", "{\"event\":\"worker_test_fault_armed\"}\n"
                                    "==12==ERROR: AddressSanitizer: SEGV")
                  .empty());
  EXPECT_TRUE(SanitizerReports("x", R"({"event":"http_request","status":"500"})").empty());
}

// The scanner itself must catch each shape it looks for.
TEST(ServerLogs, TheScannerCatchesEachShape) {
  const std::string hex64(64, 'a');
  EXPECT_TRUE(Scan("x", R"({"hash":")" + hex64 + R"("})").empty()) << "audit heads are fine";
  EXPECT_TRUE(Scan("x", R"({"event":"http_request","route":"staff.sign_in"})").empty());
  EXPECT_TRUE(Scan("x", R"({"event":"http_request_refused","reason":"access_denied_x"})").empty());
  for (const std::string& leak :
       {std::string("key=esk_fd1IS7UkvmiEnjOfl"), std::string("sjt_c3ViXzZ3aG1h.248a"),
        std::string("cookie ess_abcdefgh"), std::string("IJXR3AZWS7ZECUFATSCR2FXFVKDEYNCX"),
        std::string(R"({"csrf":"wm_U69TaV9b0IbFAfTohEo1FOMqV4rC4i-xT_geSMmg"})"),
        std::string("pw=correct horse battery staple")}) {
    EXPECT_FALSE(Scan("x", leak).empty()) << leak;
  }
}

}  // namespace
