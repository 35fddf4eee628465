#include "privacy/pii/known_identifiers.h"

#include <cctype>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "privacy/pii/identifier_forms.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {
namespace {

// Letters as they are spelled aloud: the ICAO alphabet and letter names.
std::optional<char> SpokenLetter(const std::string& w) {
  static const std::unordered_map<std::string, char> k = {
      {"alpha", 'a'},    {"alfa", 'a'},    {"bravo", 'b'},   {"charlie", 'c'}, {"delta", 'd'},
      {"echo", 'e'},     {"foxtrot", 'f'}, {"golf", 'g'},    {"hotel", 'h'},   {"india", 'i'},
      {"juliet", 'j'},   {"juliett", 'j'}, {"kilo", 'k'},    {"lima", 'l'},    {"mike", 'm'},
      {"november", 'n'}, {"oscar", 'o'},   {"papa", 'p'},    {"quebec", 'q'},  {"romeo", 'r'},
      {"sierra", 's'},   {"tango", 't'},   {"uniform", 'u'}, {"victor", 'v'},  {"whiskey", 'w'},
      {"whisky", 'w'},   {"x-ray", 'x'},   {"xray", 'x'},    {"yankee", 'y'},  {"zulu", 'z'},
      {"bee", 'b'},      {"be", 'b'},      {"cee", 'c'},     {"see", 'c'},     {"sea", 'c'},
      {"dee", 'd'},      {"ef", 'f'},      {"eff", 'f'},     {"gee", 'g'},     {"aitch", 'h'},
      {"eye", 'i'},      {"jay", 'j'},     {"kay", 'k'},     {"el", 'l'},      {"ell", 'l'},
      {"em", 'm'},       {"en", 'n'},      {"oh", 'o'},      {"pee", 'p'},     {"pea", 'p'},
      {"cue", 'q'},      {"queue", 'q'},   {"ar", 'r'},      {"are", 'r'},     {"ess", 's'},
      {"es", 's'},       {"tee", 't'},     {"tea", 't'},     {"you", 'u'},     {"vee", 'v'},
      {"ex", 'x'},       {"why", 'y'},     {"zee", 'z'},     {"zed", 'z'}};
  auto it = k.find(w);
  return it == k.end() ? std::nullopt : std::optional<char>(it->second);
}

// A digit said as one word, with the words a recognizer hears for some.
std::optional<char> SpokenDigit(const std::string& w) {
  if (auto d = DigitWord(w)) return static_cast<char>('0' + *d);
  static const std::unordered_map<std::string, char> k = {
      {"won", '1'}, {"to", '2'}, {"too", '2'}, {"for", '4'}, {"fore", '4'}, {"ate", '8'}};
  auto it = k.find(w);
  return it == k.end() ? std::nullopt : std::optional<char>(it->second);
}

bool IsSpokenSeparator(const std::string& w) {
  static const std::vector<std::string> k = {"dash",  "hyphen", "minus", "underscore", "dot",
                                             "point", "slash",  "space", "period",     "colon",
                                             "hash",  "pound",  "at"};
  for (const auto& s : k) {
    if (w == s) return true;
  }
  return false;
}

// Whether tokens from `k` on spell code[p...]: a depth-first search over the
// ways each token can stand for characters of the code, memoised on (k, p),
// which does not depend on where the match started. Not thread-safe (one
// matcher per call).
class CodeMatcher {
 public:
  CodeMatcher(const Tokens& t, const std::string& code) : t_(t), code_(code) {}

  // The end of the first spelling of the whole code found from token `i`
  // (written pieces tried before spoken ones), or kNone.
  size_t MatchFrom(size_t i) { return Go(i, 0); }

  static constexpr size_t kNone = std::numeric_limits<size_t>::max();

 private:
  bool Next(size_t p, std::string_view piece) const {
    return !piece.empty() && code_.compare(p, piece.size(), piece) == 0;
  }
  bool IsSeparator(size_t k) const {
    return k < t_.norm.size() && (t_.alnum[k].empty() || IsSpokenSeparator(t_.norm[k]));
  }
  size_t Go(size_t k, size_t p);
  size_t Try(size_t k, size_t p);

  const Tokens& t_;
  const std::string& code_;
  std::unordered_map<uint64_t, size_t> memo_;
};

size_t CodeMatcher::Go(size_t k, size_t p) {
  if (p == code_.size()) return k;
  if (k >= t_.norm.size()) return kNone;
  const uint64_t key = static_cast<uint64_t>(k) * (code_.size() + 1) + p;
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const size_t end = Try(k, p);
  memo_[key] = end;
  return end;
}

size_t CodeMatcher::Try(size_t k, size_t p) {
  const std::string& w = t_.norm[k];
  const std::string& a = t_.alnum[k];
  size_t end = kNone;
  auto attempt = [&](size_t next_k, size_t next_p) {
    if (end == kNone) end = Go(next_k, next_p);
  };
  if (Next(p, a)) attempt(k + 1, p + a.size());  // written: "SN", "1234", "sn-1234-ab", "s"
  if (auto l = SpokenLetter(w); l && code_[p] == *l) attempt(k + 1, p + 1);
  if (auto d = SpokenDigit(w); d && code_[p] == *d) attempt(k + 1, p + 1);
  if ((w == "double" || w == "triple") && k + 1 < t_.norm.size()) {
    const std::string& x = t_.norm[k + 1];
    const std::string& x_alnum = t_.alnum[k + 1];
    std::optional<char> c;
    if (x_alnum.size() == 1) c = x_alnum[0];
    if (!c) c = SpokenDigit(x);
    if (!c) c = SpokenLetter(x);
    if (c) {
      const std::string repeated(w == "double" ? 2 : 3, *c);  // "double a", "triple seven"
      if (Next(p, repeated)) attempt(k + 2, p + repeated.size());
    }
  }
  for (size_t len = 1; len <= 6 && k + len <= t_.norm.size() && end == kNone; ++len) {
    const std::string digits = NumberCovering(t_.norm, k, len);  // "twelve thirty four"
    if (Next(p, digits)) attempt(k + len, p + digits.size());
  }
  // One separator at a time between pieces, never first.
  if (p > 0 && IsSeparator(k) && !IsSeparator(k + 1)) attempt(k + 1, p);
  return end;
}

std::vector<Span> IdTokenSpans(const Tokens& t) {
  std::vector<Span> spans;
  for (size_t k = 0; k < t.raw.size(); ++k) {
    if (IsIdToken(t.raw[k])) spans.push_back({PiiType::kIdToken, k, k + 1});
  }
  return MergeSpans({spans, SpelledCodeSpans(t)});
}

}  // namespace

std::string LettersAndDigits(const std::string& s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

Tokens SplitEntries(const std::vector<std::string>& entries) {
  Tokens t;
  for (size_t e = 0; e < entries.size(); ++e) {
    for (std::string& raw : SplitWords(entries[e])) {
      std::string norm = NormalizeWord(raw);
      while (!norm.empty() && (norm.front() == '(' || norm.front() == '+')) norm.erase(0, 1);
      while (!norm.empty() && norm.back() == ')') norm.pop_back();
      t.alnum.push_back(LettersAndDigits(raw));
      t.norm.push_back(std::move(norm));
      t.raw.push_back(std::move(raw));
      t.entry.push_back(e);
    }
  }
  return t;
}

std::vector<Span> OnEntries(const Tokens& tokens, const std::vector<Span>& spans) {
  std::vector<Span> out;
  for (const Span& s : spans) {
    if (s.start >= s.end || s.end > tokens.entry.size()) continue;
    out.push_back({s.type, tokens.entry[s.start], tokens.entry[s.end - 1] + 1});
  }
  return MergeSpans({out});
}

std::string NumberCovering(const std::vector<std::string>& norm, size_t start, size_t len) {
  if (start + len > norm.size() || len == 0) return "";
  const std::vector<std::string> slice(norm.begin() + static_cast<long>(start),
                                       norm.begin() + static_cast<long>(start + len));
  const std::vector<NumberRun> runs = FindNumberRuns(slice);
  if (runs.size() != 1 || runs[0].start != 0 || runs[0].end != len) return "";
  return runs[0].digits;
}

std::vector<Span> CodeSpans(const Tokens& t, const std::string& code, PiiType type) {
  std::vector<Span> spans;
  if (code.size() < kMinCodeChars) return spans;
  CodeMatcher matcher(t, code);
  for (size_t i = 0; i < t.norm.size();) {
    if (const size_t end = matcher.MatchFrom(i); end != CodeMatcher::kNone && end > i) {
      spans.push_back({type, i, end});
      i = end;
      continue;
    }
    if (t.alnum[i].find(code) != std::string::npos) {  // "serial:SN-1234-AB,"
      spans.push_back({type, i, i + 1});
    }
    ++i;
  }
  return spans;
}

std::vector<Span> DetectKnownIdentifiers(const std::vector<std::string>& words,
                                         const KnownIdentifiers& known) {
  const Tokens t = SplitEntries(words);
  std::vector<std::vector<Span>> found = {
      CodeSpans(t, LettersAndDigits(known.account), PiiType::kAccountId),
      CodeSpans(t, LettersAndDigits(known.device_serial), PiiType::kDeviceSerial)};
  if (known.has_capture_time) found.push_back(CaptureTimeSpans(t, known));
  return OnEntries(t, MergeSpans(found));
}

std::vector<Span> DetectIdTokens(const std::vector<std::string>& words) {
  const Tokens t = SplitEntries(words);
  return OnEntries(t, IdTokenSpans(t));
}

std::vector<Span> DetectIdentifiers(const std::vector<std::string>& words,
                                    const KnownIdentifiers& known,
                                    const std::vector<Span>& others) {
  return MergeSpans({DetectKnownIdentifiers(words, known), others, DetectIdTokens(words)});
}

std::string MaskIdentifiers(const std::string& text, const KnownIdentifiers& known) {
  const std::vector<std::string> words = SplitWords(text);
  const std::vector<Span> spans = DetectIdentifiers(words, known);
  if (spans.empty()) return text;
  return MaskText(words, spans);
}

}  // namespace earshot::privacy::pii
