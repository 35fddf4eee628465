// How a worker's limits hold in the sanitizer build (scripts/sanitize.sh;
// tests only, never deployed), so that the supervisor sees the same
// failures it sees in production. In any other build both are no-ops that
// change nothing.
//
// AddressSanitizer reserves terabytes of address space (shadow memory, its
// allocator) before main, so an absolute RLIMIT_AS would fail the next
// mapping; and it reports a failed allocation or a SEGV itself, then aborts
// (SIGABRT), where production would end with kWorkerExitOutOfMemory or
// SIGSEGV. Not thread-safe: call from main's thread before any job runs.
#pragma once

#include <cstdint>

namespace earshot::cli {

// The RLIMIT_AS value for a limit of `max_memory_mb`: that many MiB in all,
// or, under AddressSanitizer, that many more than is mapped now. (ASan's
// allocator maps small blocks inside space it reserved at start, so there
// the limit holds for large allocations only.)
uint64_t AddressSpaceLimitBytes(int64_t max_memory_mb);

// Under AddressSanitizer: after ASan has printed its report, a failed
// allocation calls `on_out_of_memory` (which must not return) and a SEGV
// ends the process by SIGSEGV, as they would without ASan. Every other
// report ends as ASan ends it.
void EndSanitizerFaultsAsInProduction(void (*on_out_of_memory)());

}  // namespace earshot::cli
