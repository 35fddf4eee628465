// Product streams (e.g. "assistant-en-US") and regional pauses of review.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "ingest/region_codes.h"
#include "store/db.h"

namespace earshot::ingest {

constexpr int64_t kMaxClipMs = 10'000;  // DESIGN.md invariant 5

struct StreamSpec {
  std::string name;
  std::string tenant = "default";  // the product owning the accounts (rights/subjects.h)
  std::string region = "US";       // a code of ingest/region_codes.h, any case; stored upper case
  std::optional<std::string> wake_word;
  double sample_rate = 0.1;               // fraction of recordings drawn for review
  std::string retention_default = "18m";  // "3m", "18m" or "never"
  int64_t max_clip_ms = 10'000;
  int64_t max_recording_ms = 30'000;
  bool use_product_words = true;            // de-identify with the product's word times when sent
  std::string bleep = "tone";               // "tone" (1 kHz) or "silence" over PII
  double wake_threshold = 1e-20;            // keyphrase spotting threshold (smaller accepts more)
  std::string anonymize_chain = "mcadams";  // privacy/anonymize/anonymizer.h KnownChains()
  // Fraction of clips reviewed independently by two reviewers
  // (review/double_review.h); 0 none, 1 every clip.
  double double_review = 0.1;
  // Two reviews of a clip disagree when their transcripts differ by more
  // than this word error rate (or a grade differs): a third review follows.
  double disagreement_wer = 0.2;
  // What settles a disagreement: "third_review" (one more independent
  // review; the consensus then votes) or "adjudicate" (a lead hears the clip,
  // sees both reviews and decides).
  std::string on_disagreement = "third_review";
  // Share of each reviewer's leases that are gold clips of this stream
  // (review/gold.h), where the stream has gold clips the reviewer never had.
  double gold_share = 0.05;
};

struct Stream {
  std::string id;
  StreamSpec spec;
};

struct CreatedStream {
  Stream stream;
  std::string api_key;  // shown once; only its hash is stored
};

// InvalidArgument for a bad name (1-64 of [A-Za-z0-9._-]), a region that is
// no code (NormalizeRegionCode: "bad_region"), rate outside [0,1], unknown
// retention, a non-positive length or clips over kMaxClipMs;
// Conflict("stream_exists"). The stream returned and stored has its region
// in upper case.
// `actor` is who created it, for the audit log.
Result<CreatedStream> CreateStream(Context& ctx, const StreamSpec& spec,
                                   const std::string& actor = "operator");

// The stream whose API key is `api_key`, or Unauthenticated("bad_api_key").
Result<Stream> AuthenticateStream(store::Tx& tx, const std::string& api_key);
Result<Stream> FindStreamByName(store::Tx& tx, const std::string& name);
Result<Stream> FindStreamById(store::Tx& tx, const std::string& id);
// The same, each in a read transaction of its own (http/, cli/).
Result<Stream> AuthenticateStream(Context& ctx, const std::string& api_key);
Result<Stream> FindStreamByName(Context& ctx, const std::string& name);

Result<std::vector<Stream>> ListStreams(Context& ctx);

// Changes the region, wake word, sampling rate, default retention, longest
// clip, anonymization chain and double-review settings (for clips published
// from then on) of the stream named spec.name (validated as
// CreateStream does, the region upper-cased; the tenant and key stay).
// NotFound("unknown_stream").
Status UpdateStream(Context& ctx, const StreamSpec& spec, const std::string& actor);

// Pausing a region stops both sampling and assignment of its clips. The
// region is typed in any case and kept upper case; PauseRegion refuses text
// that is no code (InvalidArgument("bad_region")); ResumeRegion does too,
// unless a pause stored under that name (upper-cased) before codes were
// checked exists, which it lifts.
Status PauseRegion(Context& ctx, const std::string& region, const std::string& actor = "operator");
Status ResumeRegion(Context& ctx, const std::string& region, const std::string& actor = "operator");
Result<std::vector<std::string>> PausedRegions(Context& ctx);
Result<bool> IsRegionPaused(store::Tx& tx, const std::string& region);

bool IsValidRetention(const std::string& retention);
// Retention in days; nullopt for "never" (never deleted automatically).
std::optional<int64_t> RetentionDays(const std::string& retention);

}  // namespace earshot::ingest
