// Word-level evaluation of the text PII detector on requests from an
// independent generator (bench/pii_gen/, which shares no code or word list
// with the detector). Prints markdown: per type the recall of its words
// (masked by any span, and masked with the right type) and the share of
// items masked whole, the precision over all masked words, and the share of
// distractor requests with anything masked. What is detected is what the
// de-identification chain masks: DetectPii merged with DetectIdentifiers
// (id-like tokens; no known identifiers).
//
//   build/bin/pii_text_eval [--seed N] [--utterances 3000] [--show-misses K]
//                           [--overlap] [--probe bench/pii_probe.txt]
//
// --probe scores hand-written lines instead ({...} marks personal data) and
// lists every miss and false alarm.
//
// docs/pii-text-eval.md has the design, the seeds tuned on and the numbers.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pii_gen/pii_generator.h"
#include "pii_gen/word_lists.h"
#include "privacy/pii/gazetteer.h"
#include "privacy/pii/known_identifiers.h"
#include "privacy/pii/pii.h"

namespace {

namespace gen = earshot::bench::piigen;
namespace pii = earshot::privacy::pii;
using gen::Label;
using pii::PiiType;

// The detector's types that count as the right type for a gold label.
bool RightType(Label gold, PiiType got) {
  switch (gold) {
    case Label::kPhone: return got == PiiType::kPhone;
    case Label::kCard:
    case Label::kCardExpiry:
    case Label::kCardCvc: return got == PiiType::kCardNumber;
    case Label::kIdNumber: return got == PiiType::kIdNumber || got == PiiType::kIdToken;
    case Label::kAddress: return got == PiiType::kStreetAddress;
    case Label::kEmail: return got == PiiType::kEmail;
    case Label::kUrl: return got == PiiType::kUrl;
    case Label::kName: return got == PiiType::kPersonName;
    case Label::kDateOfBirth: return got == PiiType::kDateOfBirth;
    case Label::kNone: return false;
  }
  return false;
}

struct Counts {
  int words = 0, masked = 0, typed = 0;
  int items = 0, items_whole = 0;  // utterances holding the label; all its words masked
};

struct Totals {
  std::map<Label, Counts> per_label;
  Counts unknown_names;  // NAME words the detector's gazetteer does not hold
  int masked_words = 0, masked_true = 0;
  int distractors = 0, distractors_flagged = 0;
  std::vector<std::string> misses, false_alarms;
};

double Ratio(int a, int b) { return b ? static_cast<double>(a) / b : 0.0; }

bool InGazetteer(const std::string& word) {
  return pii::IsGivenName(word) || pii::IsSurname(word) || pii::IsAmbiguousName(word);
}

std::string Show(const gen::Utterance& u, const std::vector<std::optional<PiiType>>& got) {
  std::string s = "`" + u.kind + "`: ";
  for (size_t i = 0; i < u.words.size(); ++i) {
    const bool gold = u.labels[i] != Label::kNone && !u.soft[i];
    s += gold && !got[i] ? "**" + u.words[i] + "**" : u.words[i];
    if (got[i]) s += std::string("[") + pii::TypeName(*got[i]) + "]";
    else if (gold) s += std::string("{") + gen::LabelName(u.labels[i]) + "}";
    s += ' ';
  }
  return s;
}

void Score(const gen::Utterance& u, Totals& t, size_t show) {
  const auto spans = pii::DetectIdentifiers(u.words, {}, pii::DetectPii(u.words));
  std::vector<std::optional<PiiType>> got(u.words.size());
  for (const auto& s : spans) {
    for (size_t i = s.start; i < s.end; ++i) got[i] = s.type;
  }
  bool missed = false, false_alarm = false;
  std::map<Label, bool> whole;
  for (size_t i = 0; i < u.words.size(); ++i) {
    if (u.soft[i]) continue;
    const Label gold = u.labels[i];
    if (got[i]) {
      ++t.masked_words;
      t.masked_true += gold != Label::kNone;
      false_alarm = false_alarm || gold == Label::kNone;
    }
    if (gold == Label::kNone) continue;
    Counts& c = t.per_label[gold];
    ++c.words;
    c.masked += got[i].has_value();
    c.typed += got[i] && RightType(gold, *got[i]);
    if (gold == Label::kName && !InGazetteer(u.words[i])) {
      ++t.unknown_names.words;
      t.unknown_names.masked += got[i].has_value();
      t.unknown_names.typed += got[i] && RightType(gold, *got[i]);
    }
    if (!whole.count(gold)) whole[gold] = true;
    whole[gold] = whole[gold] && got[i].has_value();
    missed = missed || !got[i];
  }
  for (const auto& [label, all] : whole) {
    ++t.per_label[label].items;
    t.per_label[label].items_whole += all;
  }
  if (u.distractor) {
    ++t.distractors;
    t.distractors_flagged += !spans.empty();
  }
  if (missed && t.misses.size() < show) t.misses.push_back(Show(u, got));
  if (false_alarm && t.false_alarms.size() < show) t.false_alarms.push_back(Show(u, got));
}

// How many of the generator's names the detector's gazetteer holds.
void PrintOverlap() {
  std::set<std::string> given, family;
  for (const auto& c : gen::Cultures()) {
    given.insert(c.given.begin(), c.given.end());
    family.insert(c.family.begin(), c.family.end());
  }
  int g = 0, f = 0;
  for (const auto& n : given) g += InGazetteer(n);
  for (const auto& n : family) f += InGazetteer(n);
  std::printf("\nGenerator names the detector's gazetteer holds: given %d of %zu (%.0f%%), "
              "family %d of %zu (%.0f%%)\n",
              g, given.size(), 100.0 * g / given.size(), f, family.size(),
              100.0 * f / family.size());
}


void Print(const Totals& t, uint32_t seed, int n) {
  std::printf("### Text PII on generated requests (seed %u, %d utterances)\n\n", seed, n);
  std::printf("| type | words | recall (masked) | recall (right type) | items masked whole |\n");
  std::printf("|---|---|---|---|---|\n");
  int words = 0, masked = 0, typed = 0;
  for (const auto& [label, c] : t.per_label) {
    std::printf("| %s | %d | %.3f | %.3f | %.3f (%d) |\n", gen::LabelName(label), c.words,
                Ratio(c.masked, c.words), Ratio(c.typed, c.words), Ratio(c.items_whole, c.items),
                c.items);
    words += c.words;
    masked += c.masked;
    typed += c.typed;
  }
  const Counts& u = t.unknown_names;
  std::printf("| NAME, words not in the gazetteer | %d | %.3f | %.3f | |\n", u.words,
              Ratio(u.masked, u.words), Ratio(u.typed, u.words));
  std::printf("| **all** | %d | **%.3f** | %.3f | |\n\n", words, Ratio(masked, words),
              Ratio(typed, words));
  std::printf("Precision (masked words that are PII): **%.3f** (%d of %d)\n\n",
              Ratio(t.masked_true, t.masked_words), t.masked_true, t.masked_words);
  std::printf("Distractor requests with anything masked: **%.3f** (%d of %d)\n",
              Ratio(t.distractors_flagged, t.distractors), t.distractors_flagged, t.distractors);
  if (!t.misses.empty()) std::printf("\n#### Misses (**word** missed, {gold}, [masked as])\n\n");
  for (const auto& m : t.misses) std::printf("- %s\n", m.c_str());
  if (!t.false_alarms.empty()) std::printf("\n#### False alarms\n\n");
  for (const auto& m : t.false_alarms) std::printf("- %s\n", m.c_str());
}


// Hand-written lines: "{...}" marks personal words. Prints recall, precision,
// lines without personal data that got anything masked, and every miss and
// false alarm.
int RunProbe(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  int lines = 0, gold = 0, found = 0, masked = 0, masked_true = 0, clean = 0, clean_flagged = 0;
  std::vector<std::string> report;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words;
    std::vector<bool> truth;
    bool inside = false;
    for (std::string w : pii::SplitWords(line)) {
      bool open = !w.empty() && w.front() == '{', close = !w.empty() && w.back() == '}';
      if (open) w.erase(0, 1);
      if (close) w.pop_back();
      words.push_back(w);
      truth.push_back(inside || open);
      inside = (inside || open) && !close;
    }
    ++lines;
    const auto spans = pii::DetectIdentifiers(words, {}, pii::DetectPii(words));
    std::vector<bool> got(words.size());
    for (const auto& sp : spans) {
      for (size_t i = sp.start; i < sp.end; ++i) got[i] = true;
    }
    bool any_truth = false, bad = false;
    for (size_t i = 0; i < words.size(); ++i) {
      any_truth = any_truth || truth[i];
      gold += truth[i];
      found += truth[i] && got[i];
      masked += got[i];
      masked_true += got[i] && truth[i];
      bad = bad || truth[i] != got[i];
    }
    if (!any_truth) {
      ++clean;
      clean_flagged += !spans.empty();
    }
    if (bad) report.push_back(line + "  ->  " + pii::MaskText(words, spans));
  }
  std::printf("### Hand-written probe (%s, %d lines)\n\n", path.c_str(), lines);
  std::printf("Recall (personal words masked): **%.3f** (%d of %d)\n\n", Ratio(found, gold),
              found, gold);
  std::printf("Precision (masked words that are personal): **%.3f** (%d of %d)\n\n",
              Ratio(masked_true, masked), masked_true, masked);
  std::printf("Lines without personal data with anything masked: **%d of %d**\n\n",
              clean_flagged, clean);
  if (!report.empty()) std::printf("Lines not masked exactly as marked:\n\n");
  for (const auto& r : report) std::printf("- `%s`\n", r.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 1;
  int n = 3000;
  size_t show = 0;
  bool overlap = false;
  std::string probe;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--seed" && has_value) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--utterances" && has_value) {
      n = std::atoi(argv[++i]);
    } else if (a == "--show-misses" && has_value) {
      show = static_cast<size_t>(std::atoi(argv[++i]));
    } else if (a == "--probe" && has_value) {
      probe = argv[++i];
    } else if (a == "--overlap") {
      overlap = true;
    } else {
      std::fprintf(stderr,
                   "usage: pii_text_eval [--seed N] [--utterances 3000] [--show-misses K] "
                   "[--overlap] [--probe FILE]\n");
      return 2;
    }
  }
  if (!probe.empty()) return RunProbe(probe);
  gen::Generator generator(seed);
  Totals totals;
  for (int i = 0; i < n; ++i) Score(generator.Next(), totals, show);
  Print(totals, seed, n);
  if (overlap) PrintOverlap();
  return 0;
}
