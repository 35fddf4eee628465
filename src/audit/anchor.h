// The audit chain's head, anchored outside the database (issue 11). The
// chain alone shows edits, but not a log rewritten from scratch or cut off
// at the end by someone who can write the database: the anchor file holds
// the heads as they were, each line signed with a key derived from the
// master key ("auditanc", distinct from the chain's key), and
// audit::Verify checks that every anchored head is still in the chain.
//
// The file (Config::audit_anchor_file, default <data>/audit-anchor.log) is
// append-only, one line per head that advanced:
//   v1 seq=<seq> at=<RFC 3339 time> hash=<64 hex> mac=<64 hex>
// An optional witness command (Config::audit_witness, EARSHOT_AUDIT_WITNESS)
// gets each new line on stdin, to keep a copy where this host cannot edit it.
//
// Thread-safe: appends are serialized across threads and processes by an
// exclusive lock on the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"

namespace earshot::audit {

struct AnchoredHead {
  int64_t seq = 0;
  std::string hash;
  int64_t at_ms = 0;
  int64_t line = 0;  // 1-based line in the anchor file
};

// The signed line for a head, without its newline.
std::string FormatAnchorLine(const crypto::Keyring& keys, int64_t seq, const std::string& hash,
                             int64_t at_ms);

// A parsed anchor file. `heads` are the lines that parse, carry a valid MAC
// and advance the seq, in file order; every other line is a problem.
struct AnchorFile {
  bool exists = false;
  int64_t lines = 0;
  std::vector<AnchoredHead> heads;
  int64_t bad_lines = 0;
  int64_t first_bad_line = 0;
  // "anchor_malformed" (not a v1 line: edited, or cut short), "anchor_bad_mac"
  // (a field edited, or a line forged without the key), "anchor_out_of_order"
  // (a seq not above the one before: lines moved or copied).
  std::string first_bad_reason;
};

// Reads and checks the anchor file at `path`; a missing file is
// {exists = false}, not an error. Errors only for I/O failures.
Result<AnchorFile> ReadAnchorFile(const std::string& path, const crypto::Keyring& keys);

struct AnchorOptions {
  // Start a new file where the old one is lost (it must not exist); the
  // audit log records the restart. Without it a missing or emptied file,
  // where heads were anchored before, is an error.
  bool new_file = false;
  std::string actor = "system";  // who starts a file: "system" (sweep) or "operator"
};

struct AnchorOutcome {
  enum class Kind { kAppended, kUnchanged, kEmptyLog };
  Kind kind = Kind::kEmptyLog;
  AnchoredHead head;  // the head now anchored last (kAppended, kUnchanged)
  std::string path;
};

// Appends the chain's head to the anchor file if it advanced past the last
// anchored head (fsync'd), records it in the database, runs the witness
// (whose failure is logged, never returned) and logs "audit_head". A new or
// empty file first gets an audit.anchor_started event, so the chain itself
// says a file must exist. Errors: Corruption("audit_anchor_missing") where
// the file is missing or empty but the database says heads were anchored;
// Corruption("audit_head_regressed") where the head is behind (or differs
// at) the last anchored seq; Conflict("anchor_file_exists") for new_file
// with a file present; I/O and database errors.
Result<AnchorOutcome> AnchorHead(Context& ctx, const AnchorOptions& options = {});

}  // namespace earshot::audit
