#include "audit/anchor.h"

#include <optional>
#include <string_view>

#include "audit/audit_log.h"
#include "audit/chain_state.h"
#include "crypto/seal.h"
#include "util/encoding.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace earshot::audit {
namespace {

// A line is about 190 bytes; the last complete one is within this much of
// the end (AnchorHead reads no more than this, however long the file grows).
constexpr size_t kTailBytes = 4096;

std::string AnchorKey(const crypto::Keyring& keys) {
  return keys.DeriveKey("auditanc");
}

// What the MAC covers: the fields as written, one per line (none can hold a
// newline), under a label that no other MAC of ours uses.
std::string MacInput(std::string_view seq, std::string_view at, std::string_view hash) {
  std::string out = "earshot audit anchor v1\n";
  out.append(seq).append("\n").append(at).append("\n").append(hash);
  return out;
}

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<int64_t> ParseSeq(std::string_view s) {
  if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The value of `token` if it is "<name>=<value>".
std::optional<std::string_view> Field(std::string_view token, std::string_view name) {
  if (token.size() <= name.size() || token.substr(0, name.size()) != name ||
      token[name.size()] != '=')
    return std::nullopt;
  return token.substr(name.size() + 1);
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t pos; (pos = text.find(sep, start)) != std::string_view::npos; start = pos + 1)
    out.push_back(text.substr(start, pos - start));
  out.push_back(text.substr(start));
  return out;
}

// Parses and checks one line; "" and `*out` filled, or the problem.
std::string ParseLine(std::string_view line, const std::string& key, AnchoredHead* out) {
  const auto tokens = Split(line, ' ');
  if (tokens.size() != 5 || tokens[0] != "v1") return "anchor_malformed";
  const auto seq_text = Field(tokens[1], "seq"), at_text = Field(tokens[2], "at"),
             hash = Field(tokens[3], "hash"), mac = Field(tokens[4], "mac");
  if (!seq_text || !at_text || !hash || !mac) return "anchor_malformed";
  const auto seq = ParseSeq(*seq_text);
  const auto at = ParseRfc3339(*at_text);
  if (!seq || !at || !IsLowerHex64(*hash) || !IsLowerHex64(*mac)) return "anchor_malformed";
  const std::string expected = crypto::MacHex(key, MacInput(*seq_text, *at_text, *hash));
  if (!crypto::ConstantTimeEquals(expected, *mac)) return "anchor_bad_mac";
  *out = {*seq, std::string(*hash), *at, 0};
  return "";
}

// The file's lines: a final newline ends the last line rather than
// starting an empty one.
std::vector<std::string_view> Lines(std::string_view content) {
  if (content.empty()) return {};
  if (content.back() == '\n') content.remove_suffix(1);
  return Split(content, '\n');
}

// What AnchorHead needs from the end of the file.
struct Tail {
  bool any_line = false;             // the file holds at least one complete line
  bool torn = false;                 // it ends in a partial line (a crash mid-write)
  std::optional<AnchoredHead> last;  // the last complete line, if it verifies
};

Tail ParseTail(const std::string& tail, const std::string& key) {
  Tail out;
  if (tail.empty()) return out;
  auto pieces = Split(tail, '\n');  // the piece after the last newline: "" or torn
  out.torn = !pieces.back().empty();
  pieces.pop_back();
  // The window may start inside a line: its first piece is whole only if the
  // window is the whole file.
  if (tail.size() == kTailBytes && !pieces.empty()) pieces.erase(pieces.begin());
  if (pieces.empty()) {
    out.any_line = out.torn || tail.size() == kTailBytes;
    return out;
  }
  out.any_line = true;
  AnchoredHead head;
  if (ParseLine(pieces.back(), key, &head).empty()) out.last = head;
  return out;
}

Status AnchorMissing(const std::string& path, int64_t anchored_seq) {
  return Corruption("audit_anchor_missing",
                    "the audit anchor file " + path +
                        " is missing or empty, but the database says heads up to seq " +
                        std::to_string(anchored_seq) +
                        " were anchored in it: restore it from a copy, or start a new one "
                        "with `earshot audit anchor --new-file` (recorded in the audit log)");
}

Result<ChainState> ReadState(Context& ctx) {
  ChainState state;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(state, ReadChainState(tx));
    return Status::Ok();
  }));
  return state;
}

Status AppendStartEvent(Context& ctx, const AnchorOptions& options) {
  return ctx.db().Write([&](store::Tx& tx) {
    return Append(tx, ctx, options.actor, kAnchorStartedAction, "anchor",
                  options.new_file ? "new_file" : "");
  });
}

// Sends the new line to the witness, if one is configured; a failure is
// logged, never returned: the anchor file already holds the line.
void Witness(Context& ctx, const std::string& line) {
  const std::string& command = ctx.config().audit_witness;
  if (command.empty()) return;
  Status st = RunWithInput(command, line + "\n", ctx.config().audit_witness_timeout_ms);
  if (!st.ok())
    LogWarn("audit_witness_failed", {{"reason", st.reason()}, {"detail", st.message()}});
}

// Appends `head` (fsync'd), then records it in the database: a crash leaves
// the file ahead of the database, never behind. `*line` is the line written.
Result<AnchoredHead> AppendHead(Context& ctx, LockedAppendFile& file, bool torn,
                                const ChainHead& head, std::string* line) {
  const int64_t now = ctx.clock().NowMs();
  *line = FormatAnchorLine(ctx.keys(), head.seq, head.hash, now);
  RETURN_IF_ERROR(file.AppendDurable((torn ? "\n" : "") + *line + "\n"));
  RETURN_IF_ERROR(
      ctx.db().Write([&](store::Tx& tx) { return RecordAnchoredHead(tx, head.seq, now); }));
  return AnchoredHead{head.seq, head.hash, now, 0};
}

// Compares the chain's head with the last anchored one: the head may only
// move forward.
Status CheckAdvanced(const ChainHead& head, const AnchoredHead& last) {
  if (head.seq > last.seq || (head.seq == last.seq && head.hash == last.hash)) return Status::Ok();
  return Corruption("audit_head_regressed",
                    "the audit chain's head (seq " + std::to_string(head.seq) +
                        ") is not the head anchored last (seq " + std::to_string(last.seq) +
                        ") or after it: events were removed or rewritten; run "
                        "`earshot audit verify`");
}

}  // namespace

std::string FormatAnchorLine(const crypto::Keyring& keys, int64_t seq, const std::string& hash,
                             int64_t at_ms) {
  const std::string seq_text = std::to_string(seq), at = FormatRfc3339(at_ms);
  return "v1 seq=" + seq_text + " at=" + at + " hash=" + hash +
         " mac=" + crypto::MacHex(AnchorKey(keys), MacInput(seq_text, at, hash));
}

Result<AnchorFile> ReadAnchorFile(const std::string& path, const crypto::Keyring& keys) {
  AnchorFile file;
  auto content = ReadFile(path);
  if (!content.ok()) {
    if (content.status().code() == Code::kNotFound) return file;
    return content.status();
  }
  file.exists = true;
  const std::string key = AnchorKey(keys);
  for (std::string_view line : Lines(*content)) {
    ++file.lines;
    AnchoredHead head;
    std::string problem = ParseLine(line, key, &head);
    if (problem.empty() && !file.heads.empty() && head.seq <= file.heads.back().seq)
      problem = "anchor_out_of_order";
    if (!problem.empty()) {
      if (file.bad_lines++ == 0) {
        file.first_bad_line = file.lines;
        file.first_bad_reason = problem;
      }
      continue;
    }
    head.line = file.lines;
    file.heads.push_back(head);
  }
  return file;
}

namespace {

// AnchorHead's work under the file's lock; `*line` is the line appended, if any.
Result<AnchorOutcome> AnchorLocked(Context& ctx, const AnchorOptions& options,
                                   const ChainState& state, std::string* line) {
  AnchorOutcome outcome;
  outcome.path = ctx.config().audit_anchor_file;
  ASSIGN_OR_RETURN(auto file, LockedAppendFile::Open(outcome.path));
  ASSIGN_OR_RETURN(std::string tail_bytes, file.ReadTail(kTailBytes));
  const Tail tail = ParseTail(tail_bytes, AnchorKey(ctx.keys()));
  if (!tail.any_line) {  // a new or emptied file
    if (!options.new_file && state.anchored_seq > 0)
      return AnchorMissing(outcome.path, state.anchored_seq);
    RETURN_IF_ERROR(AppendStartEvent(ctx, options));
  } else if (!tail.last) {
    LogWarn("audit_anchor_tail_invalid", {{"path", outcome.path}});
  }
  ASSIGN_OR_RETURN(ChainHead head, Head(ctx));
  if (tail.last) RETURN_IF_ERROR(CheckAdvanced(head, *tail.last));
  if (head.events == 0) return outcome;
  if (tail.last && head.seq == tail.last->seq) {
    outcome.kind = AnchorOutcome::Kind::kUnchanged;
    outcome.head = *tail.last;
    return outcome;
  }
  ASSIGN_OR_RETURN(outcome.head, AppendHead(ctx, file, tail.torn, head, line));
  outcome.kind = AnchorOutcome::Kind::kAppended;
  return outcome;
}

}  // namespace

Result<AnchorOutcome> AnchorHead(Context& ctx, const AnchorOptions& options) {
  const std::string& path = ctx.config().audit_anchor_file;
  const bool existed = FileExists(path);
  if (options.new_file && existed)
    return Conflict("anchor_file_exists", "the audit anchor file " + path +
                                              " exists: move it aside (keep it) before "
                                              "starting a new one");
  ASSIGN_OR_RETURN(ChainState state, ReadState(ctx));
  if (!existed && !options.new_file && state.anchored_seq > 0)
    return AnchorMissing(path, state.anchored_seq);
  std::string line;
  ASSIGN_OR_RETURN(AnchorOutcome outcome, AnchorLocked(ctx, options, state, &line));
  if (outcome.kind == AnchorOutcome::Kind::kEmptyLog) return outcome;
  // The lock is released: a slow witness holds up no other anchoring.
  if (!line.empty()) Witness(ctx, line);
  LogInfo("audit_head", {{"seq", std::to_string(outcome.head.seq)},
                         {"hash", outcome.head.hash},
                         {"anchored", line.empty() ? "unchanged" : "new"}});
  return outcome;
}

}  // namespace earshot::audit
