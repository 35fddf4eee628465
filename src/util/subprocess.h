// Running an operator's command (e.g. the audit witness) from the server:
// /bin/sh -c COMMAND with a short input on its stdin, bounded in time.
// Thread-safe (no shared state); the child is spawned with posix_spawn, so
// it is safe in a multi-threaded process.
#pragma once

#include <cstdint>
#include <string>

#include "util/status.h"

namespace earshot {

// The most input RunWithInput passes: the pipe takes it in one write before
// the child starts, so the caller never blocks on, or is signalled by, a
// child that does not read.
constexpr size_t kMaxCommandInput = 4096;

// Runs `command` with `sh -c` in its own process group, `input` on stdin and
// stdout/stderr discarded, and waits for it at most `timeout_ms`; then the
// whole group is killed. Ok if it exited 0; Unavailable("command_failed")
// with its exit status, Unavailable("command_timeout"), or
// Internal("spawn_failed") otherwise. REQUIRES: input.size() <= kMaxCommandInput.
Status RunWithInput(const std::string& command, const std::string& input, int64_t timeout_ms);

}  // namespace earshot
