#include "pipeline/deid_chain.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace earshot::pipeline {
namespace {

std::vector<asr::Word> HypothesisWords(const ingest::Hypothesis& h) {
  std::vector<asr::Word> words;
  for (const auto& w : h.words) {
    words.push_back({w.w, std::llround(w.start * 1000), std::llround(w.end * 1000), 1.0});
  }
  return words;
}

// The masked token of each word: "[TYPE]" on a span's first word, "" on its
// other words, the word itself elsewhere.
std::vector<std::string> MaskedTokens(const std::vector<asr::Word>& words,
                                      const std::vector<privacy::pii::Span>& spans) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.text);
  for (const auto& s : spans) {
    for (size_t i = s.start; i < s.end; ++i) out[i] = "";
    out[s.start] = std::string("[") + privacy::pii::TypeName(s.type) + "]";
  }
  return out;
}

std::string JoinNonEmpty(const std::vector<std::string>& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (tokens[i].empty()) continue;
    if (!out.empty()) out += ' ';
    out += tokens[i];
  }
  return out;
}

bool IsDigitWord(const std::string& w) {
  static const std::set<std::string> kDigits = {"zero", "oh",  "one",   "two",   "three", "four",
                                                "five", "six", "seven", "eight", "nine"};
  return kDigits.count(w) > 0;
}

// A digit, or a word that says how often the next one repeats.
bool IsDigitToken(const std::string& w) {
  return IsDigitWord(w) || w == "double" || w == "triple";
}

// Runs of >= 4 digit words (gaps under 600 ms) in the second listener's words.
std::vector<audio::TimeRange> DigitRuns(const std::vector<asr::Word>& heard) {
  std::vector<audio::TimeRange> runs;
  size_t i = 0;
  while (i < heard.size()) {
    if (!IsDigitToken(heard[i].text)) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < heard.size() && IsDigitToken(heard[j].text) &&
           heard[j].start_ms - heard[j - 1].end_ms < 600) {
      ++j;
    }
    if (j - i >= 4) runs.push_back({heard[i].start_ms, heard[j - 1].end_ms});
    i = j;
  }
  return runs;
}

// Words whose middle falls in [range).
std::pair<size_t, size_t> WordsIn(const std::vector<asr::Word>& words, const audio::TimeRange& r) {
  size_t first = words.size(), last = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const int64_t mid = (words[i].start_ms + words[i].end_ms) / 2;
    if (mid >= r.start_ms && mid < r.end_ms) {
      first = std::min(first, i);
      last = i + 1;
    }
  }
  return {first, last};
}

// The parts of a digit run the main recognizer is unsure of: the run minus the
// words it heard confidently (and that are not digits, and not already
// masked). Pieces shorter than a spoken digit are dropped; pieces separated
// by less than kBridgeMs of confident speech are joined (one confident word
// inside a misheard number does not split it); and a joined piece is kept
// only if the digit listener heard at least kMinDigitsPerPiece digits in it
// (a lone "to" or "for" between confident words is not a number), or two when
// the run's pieces hold four or more between them (a number split in two).
std::vector<audio::TimeRange> UnsurePieces(const std::vector<asr::Word>& words,
                                           const std::vector<bool>& masked,
                                           const audio::TimeRange& run,
                                           const std::vector<asr::Word>& heard) {
  static const std::set<std::string> kDigitSoundalikes = {
      "to", "too", "for", "fore", "won", "ate", "i", "a", "o", "owe", "the", "free", "tree"};
  constexpr int64_t kMinPieceMs = 150, kBridgeMs = 300;
  constexpr int kMinDigitsPerPiece = 3;
  std::vector<audio::TimeRange> pieces;
  int64_t cursor = run.start_ms;
  for (size_t i = 0; i < words.size(); ++i) {
    const asr::Word& w = words[i];
    const int64_t mid = (w.start_ms + w.end_ms) / 2;
    if (mid < run.start_ms || mid >= run.end_ms) continue;
    const bool keep = w.confidence >= kSecondPassConfidence && !IsDigitWord(w.text) &&
                      !kDigitSoundalikes.count(w.text) && !masked[i];
    if (!keep) continue;
    if (w.start_ms - cursor >= kMinPieceMs) pieces.push_back({cursor, w.start_ms});
    cursor = std::max(cursor, w.end_ms);
  }
  if (run.end_ms - cursor >= kMinPieceMs) pieces.push_back({cursor, run.end_ms});
  std::vector<audio::TimeRange> merged;
  for (const auto& p : pieces) {
    if (!merged.empty() && p.start_ms - merged.back().end_ms <= kBridgeMs) {
      merged.back().end_ms = p.end_ms;
    } else {
      merged.push_back(p);
    }
  }
  // Digits the listener heard overlapping each joined piece.
  std::vector<int> digits(merged.size(), 0);
  int total = 0;
  for (size_t k = 0; k < merged.size(); ++k) {
    for (const auto& h : heard) {
      digits[k] +=
          IsDigitToken(h.text) && h.start_ms < merged[k].end_ms && h.end_ms > merged[k].start_ms;
    }
    total += digits[k];
  }
  // A number split by a long confident word ("four seven <word> two nine")
  // leaves pieces of two digits each: those count when the run's pieces hold
  // a whole number between them.
  std::vector<audio::TimeRange> out;
  for (size_t k = 0; k < merged.size(); ++k) {
    if (digits[k] >= kMinDigitsPerPiece || (digits[k] >= 2 && total >= 4)) {
      out.push_back(merged[k]);
    }
  }
  return out;
}

}  // namespace

std::vector<int64_t> SplitAtPauses(const std::vector<asr::Word>& words, int64_t duration_ms,
                                   int64_t max_ms) {
  std::vector<int64_t> cuts;
  if (max_ms <= 0) return cuts;
  int64_t cursor = 0;
  while (duration_ms - cursor > max_ms) {
    const int64_t lo = cursor + max_ms / 2, hi = cursor + max_ms;
    int64_t best = hi, best_gap = -1;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      const int64_t gap = words[i + 1].start_ms - words[i].end_ms;
      const int64_t mid = words[i].end_ms + gap / 2;
      if (mid > lo && mid <= hi && gap > best_gap) {
        best_gap = gap;
        best = mid;
      }
    }
    // Between words that overlap nothing is a pause; no word at all: hard cut.
    cuts.push_back(best);
    cursor = best;
  }
  return cuts;
}

Result<DeidOutput> RunDeid(const audio::Pcm16& pcm,
                           const std::optional<ingest::Hypothesis>& hypothesis,
                           asr::Recognizer* recognizer, const DeidSettings& settings,
                           asr::Recognizer* digit_listener,
                           const privacy::pii::KnownIdentifiers& known) {
  DeidOutput out;
  // Stage 1: words with times.
  if (settings.prefer_product_hypothesis && hypothesis && !hypothesis->words.empty()) {
    out.words = HypothesisWords(*hypothesis);
    out.transcript_source = "product";
  } else {
    if (recognizer == nullptr) {
      return Unavailable("transcribe_failed", "no recognizer and no hypothesis with word times");
    }
    auto words = recognizer->Recognize(pcm);
    if (!words.ok()) return Unavailable("transcribe_failed", words.status().message());
    out.words = std::move(words).value();
    out.transcript_source = "recognizer";
  }
  out.stages_passed.insert("transcribe");

  // Stage 2: spoken PII, the recording's own identifiers, id-like tokens.
  std::vector<std::string> texts;
  for (const auto& w : out.words) texts.push_back(w.text);
  out.spans = privacy::pii::DetectIdentifiers(texts, known, privacy::pii::DetectPii(texts));
  if (digit_listener != nullptr) {
    auto heard = digit_listener->Recognize(pcm);
    if (!heard.ok()) return Unavailable("detect_pii_failed", heard.status().message());
    std::vector<bool> masked(out.words.size(), false);
    for (const auto& sp : out.spans) {
      for (size_t i = sp.start; i < sp.end; ++i) masked[i] = true;
    }
    for (const audio::TimeRange& run : DigitRuns(*heard)) {
      for (const audio::TimeRange& piece : UnsurePieces(out.words, masked, run, *heard)) {
        out.second_pass.push_back(piece);
        // The main recognizer's words under the piece are masked too.
        const auto [first, last] = WordsIn(out.words, piece);
        for (size_t i = first; i < last; ++i) masked[i] = true;
      }
    }
    // Masked words not in a first-pass span become LONG_NUMBER spans.
    std::vector<bool> in_span(out.words.size(), false);
    for (const auto& sp : out.spans) {
      for (size_t i = sp.start; i < sp.end; ++i) in_span[i] = true;
    }
    for (size_t i = 0; i < out.words.size();) {
      if (!masked[i] || in_span[i]) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < out.words.size() && masked[j] && !in_span[j]) ++j;
      out.spans.push_back({privacy::pii::PiiType::kLongNumber, i, j});
      i = j;
    }
    std::sort(out.spans.begin(), out.spans.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
  }
  out.masked_text = privacy::pii::MaskText(texts, out.spans);
  out.stages_passed.insert("detect_pii");

  // Stage 3: bleep each span's audio.
  std::vector<audio::TimeRange> ranges;
  for (const auto& s : out.spans) {
    const int64_t start = out.words[s.start].start_ms, end = out.words[s.end - 1].end_ms;
    if (start < 0 || end <= start) {
      return Internal("span_without_times", "a PII span has no usable word times");
    }
    ranges.push_back({start, end});
  }
  ranges.insert(ranges.end(), out.second_pass.begin(), out.second_pass.end());
  out.redacted = pcm;
  audio::Bleep(out.redacted, ranges, settings.bleep, settings.margin_ms);
  out.stages_passed.insert("redact");

  // Clips of at most max_clip_ms, cut at pauses.
  const std::vector<std::string> masked = MaskedTokens(out.words, out.spans);
  std::vector<int64_t> bounds = {0};
  for (int64_t cut : SplitAtPauses(out.words, pcm.DurationMs(), settings.max_clip_ms)) {
    bounds.push_back(cut);
  }
  bounds.push_back(pcm.DurationMs());
  const int64_t rate = out.redacted.sample_rate;
  for (size_t c = 0; c + 1 < bounds.size(); ++c) {
    DeidClip clip;
    clip.start_ms = bounds[c];
    clip.audio.sample_rate = static_cast<int>(rate);
    // Cut points are in ms; the last clip runs to the very last sample.
    const size_t total = out.redacted.samples.size();
    const size_t a = std::min(total, static_cast<size_t>(bounds[c] * rate / 1000));
    const size_t b = c + 2 == bounds.size()
                         ? total
                         : std::min(total, static_cast<size_t>(bounds[c + 1] * rate / 1000));
    clip.audio.samples.assign(out.redacted.samples.begin() + static_cast<long>(a),
                              out.redacted.samples.begin() + static_cast<long>(b));
    const auto [first, last] = WordsIn(out.words, {bounds[c], bounds[c + 1]});
    clip.masked_text = JoinNonEmpty(masked, first, last);
    if (!clip.audio.samples.empty()) out.clips.push_back(std::move(clip));
  }
  return out;
}

}  // namespace earshot::pipeline
