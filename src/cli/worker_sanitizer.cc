#include "cli/worker_sanitizer.h"

#if defined(__SANITIZE_ADDRESS__)
#define EARSHOT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EARSHOT_ASAN 1
#endif
#endif

#ifdef EARSHOT_ASAN
#include <sanitizer/asan_interface.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#endif

namespace earshot::cli {

#ifdef EARSHOT_ASAN
namespace {

void (*g_on_out_of_memory)() = nullptr;

// The first field of /proc/self/statm: pages mapped.
uint64_t MappedBytes() {
  unsigned long long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%llu", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

// Called by ASan with its whole report, before it aborts.
// The kind of error is in the report's SUMMARY line.
void OnReport(const char* report) {
  if (std::strstr(report, "SUMMARY: AddressSanitizer: out-of-memory") != nullptr ||
      std::strstr(report, "SUMMARY: AddressSanitizer: allocation-size-too-big") != nullptr) {
    if (g_on_out_of_memory != nullptr) g_on_out_of_memory();
  }
  if (std::strstr(report, "SUMMARY: AddressSanitizer: SEGV") != nullptr) {
    // ASan's handler runs with SA_NODEFER; unblock anyway, then die by it.
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    sigprocmask(SIG_UNBLOCK, &segv, nullptr);
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
  }
}

}  // namespace

uint64_t AddressSpaceLimitBytes(int64_t max_memory_mb) {
  return MappedBytes() + (static_cast<uint64_t>(max_memory_mb) << 20);
}

void EndSanitizerFaultsAsInProduction(void (*on_out_of_memory)()) {
  g_on_out_of_memory = on_out_of_memory;
  __asan_set_error_report_callback(OnReport);
}

#else

uint64_t AddressSpaceLimitBytes(int64_t max_memory_mb) {
  return static_cast<uint64_t>(max_memory_mb) << 20;
}

void EndSanitizerFaultsAsInProduction(void (*)()) {}

#endif

}  // namespace earshot::cli
