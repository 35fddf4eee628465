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

// Runs of >= 4 digit words (gaps under 600 ms) in the second listener's
// words, as index ranges [first, last) into `heard`.
std::vector<std::pair<size_t, size_t>> DigitRuns(const std::vector<asr::Word>& heard) {
  std::vector<std::pair<size_t, size_t>> runs;
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
    if (j - i >= 4) runs.push_back({i, j});
    i = j;
  }
  return runs;
}

// The parts of the run heard[first, last) that sound like a spoken number
// (SecondPassPolicy): cores of window_digits consecutive words with a mean
// ratio of at least min_window_llr (a run shorter than the window is one
// window), trimmed to and grown over digits of at least extend_llr, and
// joined across gaps under join_gap_ms.
std::vector<audio::TimeRange> NumberStretches(const std::vector<asr::Word>& heard, size_t first,
                                              size_t last, const SecondPassPolicy& policy) {
  const size_t n = last - first;
  const size_t window = std::min(n, static_cast<size_t>(std::max(1, policy.window_digits)));
  std::vector<bool> keep(n, false);
  for (size_t a = 0; a + window <= n; ++a) {
    double sum = 0, weight = 0;
    for (size_t k = a; k < a + window; ++k) {
      const asr::Word& w = heard[first + k];
      const double ms = static_cast<double>(std::max<int64_t>(1, w.end_ms - w.start_ms));
      sum += w.phone_loop_llr * ms;
      weight += ms;
    }
    if (sum / weight < policy.min_window_llr) continue;
    for (size_t k = a; k < a + window; ++k) keep[k] = true;
  }
  // Trim each core's edges back to digits that score well enough on their
  // own, then grow it outwards over such digits.
  if (policy.trim_edges) {
    for (size_t k = 0; k < n; ++k) {
      if (!keep[k]) continue;
      size_t e = k;
      while (e + 1 < n && keep[e + 1]) ++e;
      size_t a = k, b = e;
      while (a <= b && heard[first + a].phone_loop_llr < policy.extend_llr) keep[a++] = false;
      while (b >= a && b > 0 && heard[first + b].phone_loop_llr < policy.extend_llr) {
        keep[b--] = false;
      }
      k = e;
    }
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t k = 0; k < n; ++k) {
      if (keep[k] || heard[first + k].phone_loop_llr < policy.extend_llr) continue;
      if ((k > 0 && keep[k - 1]) || (k + 1 < n && keep[k + 1])) keep[k] = grew = true;
    }
  }
  std::vector<audio::TimeRange> out;
  for (size_t k = 0; k < n; ++k) {
    if (!keep[k]) continue;
    const int64_t start = heard[first + k].start_ms;
    size_t e = k;
    while (e + 1 < n && keep[e + 1]) ++e;
    const int64_t end = heard[first + e].end_ms;
    if (!out.empty() && start - out.back().end_ms < policy.join_gap_ms) {
      out.back().end_ms = end;
    } else {
      out.push_back({start, end});
    }
    k = e;
  }
  return out;
}

// The mean ratio of the digits heard over [start, end), weighted by their
// overlap with it; nullopt where none was heard there.
std::optional<double> RatioOver(const std::vector<asr::Word>& heard, int64_t start, int64_t end) {
  double sum = 0, weight = 0;
  for (const asr::Word& h : heard) {
    const int64_t overlap = std::min(end, h.end_ms) - std::max(start, h.start_ms);
    if (overlap <= 0 || !IsDigitToken(h.text)) continue;
    sum += h.phone_loop_llr * static_cast<double>(overlap);
    weight += static_cast<double>(overlap);
  }
  if (weight <= 0) return std::nullopt;
  return sum / weight;
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
// words it heard confidently (and that are not digits, not already masked,
// and not heard by the listener as digits that score at least
// policy.spare_confident_below_llr). Pieces shorter than a spoken digit are dropped; pieces
// separated by less than kBridgeMs of confident speech are joined (one confident word inside a
// misheard number does not split it); and a joined piece is kept only if the digit listener heard
// at least kMinDigitsPerPiece digits in it (a lone "to" or "for" between confident words is not a
// number), or two when the run's pieces hold four or more between them (a number split in two).
std::vector<audio::TimeRange> UnsurePieces(const std::vector<asr::Word>& words,
                                           const std::vector<bool>& masked,
                                           const audio::TimeRange& run,
                                           const std::vector<asr::Word>& heard,
                                           const SecondPassPolicy& policy) {
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
    const bool sure = w.confidence >= kSecondPassConfidence && !IsDigitWord(w.text) &&
                      !kDigitSoundalikes.count(w.text) && !masked[i];
    if (!sure) continue;
    const auto ratio = RatioOver(heard, w.start_ms, w.end_ms);
    if (ratio && *ratio >= policy.spare_confident_below_llr) continue;
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

double SureShare(const std::vector<asr::Word>& words) {
  if (words.empty()) return 0;
  size_t sure = 0;
  for (const asr::Word& w : words) sure += w.confidence >= kSecondPassConfidence;
  return static_cast<double>(sure) / static_cast<double>(words.size());
}

SecondPassPolicy RuleFor(const SecondPassPolicy& policy, const std::vector<asr::Word>& words,
                         const std::string& source) {
  if (policy.min_sure_share <= 0) return policy;
  if (source != "recognizer" || SureShare(words) < policy.min_sure_share) {
    return SecondPassPolicy::Fallback();
  }
  return policy;
}

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
  // Stage 1: words with times.
  std::vector<asr::Word> words;
  std::string source;
  if (settings.prefer_product_hypothesis && hypothesis && !hypothesis->words.empty()) {
    words = HypothesisWords(*hypothesis);
    source = "product";
  } else {
    if (recognizer == nullptr) {
      return Unavailable("transcribe_failed", "no recognizer and no hypothesis with word times");
    }
    auto recognized = recognizer->Recognize(pcm);
    if (!recognized.ok()) return Unavailable("transcribe_failed", recognized.status().message());
    words = std::move(recognized).value();
    source = "recognizer";
  }
  std::optional<std::vector<asr::Word>> heard;
  if (digit_listener != nullptr) {
    auto listened = digit_listener->Recognize(pcm);
    if (!listened.ok()) return Unavailable("detect_pii_failed", listened.status().message());
    heard = std::move(listened).value();
  }
  return DeidFromWords(pcm, std::move(words), source, heard ? &*heard : nullptr, settings, known);
}

Result<DeidOutput> DeidFromWords(const audio::Pcm16& pcm, std::vector<asr::Word> words,
                                 const std::string& source, const std::vector<asr::Word>* heard,
                                 const DeidSettings& settings,
                                 const privacy::pii::KnownIdentifiers& known) {
  DeidOutput out;
  out.words = std::move(words);
  out.transcript_source = source;
  out.stages_passed.insert(Stage::kTranscribe);

  // Stage 2: spoken PII, the recording's own identifiers, id-like tokens.
  std::vector<std::string> texts;
  for (const auto& w : out.words) texts.push_back(w.text);
  out.spans = privacy::pii::DetectIdentifiers(texts, known, privacy::pii::DetectPii(texts));
  if (heard != nullptr) {
    const SecondPassPolicy policy = RuleFor(settings.second_pass, out.words, source);
    out.scores_trusted = policy.UsesScores();
    std::vector<bool> masked(out.words.size(), false);
    for (const auto& sp : out.spans) {
      for (size_t i = sp.start; i < sp.end; ++i) masked[i] = true;
    }
    for (const auto& [run_first, run_last] : DigitRuns(*heard)) {
      for (const audio::TimeRange& stretch : NumberStretches(*heard, run_first, run_last, policy)) {
        for (const audio::TimeRange& piece :
             UnsurePieces(out.words, masked, stretch, *heard, policy)) {
          out.second_pass.push_back(piece);
          // The main recognizer's words under the piece are masked too.
          const auto [first, last] = WordsIn(out.words, piece);
          for (size_t i = first; i < last; ++i) masked[i] = true;
        }
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
  out.stages_passed.insert(Stage::kDetectPii);

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
  out.bleeped = audio::BleepedRanges(ranges, settings.margin_ms, pcm.DurationMs());
  out.stages_passed.insert(Stage::kRedact);

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
    for (const audio::TimeRange& r : out.bleeped) {
      const int64_t a = std::max(r.start_ms, bounds[c]), b = std::min(r.end_ms, bounds[c + 1]);
      if (b > a) clip.bleeps.push_back({a - bounds[c], b - bounds[c]});
    }
    clip.bleeped_ms = audio::CoveredMs(clip.bleeps, 0, bounds[c + 1] - bounds[c]);
    if (!clip.audio.samples.empty()) out.clips.push_back(std::move(clip));
  }
  return out;
}

}  // namespace earshot::pipeline
