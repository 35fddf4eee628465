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
//                           [--overlap]
//
// docs/pii-text-eval.md has the design, the seeds tuned on and the numbers.
#include <cstdio>
#include <cstdlib>
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

double Ratio(int a, int b) { return b ? static_cast<double>(a) / b : 0.0; }

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

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 1;
  int n = 3000;
  size_t show = 0;
  bool overlap = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--seed" && has_value) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--utterances" && has_value) {
      n = std::atoi(argv[++i]);
    } else if (a == "--show-misses" && has_value) {
      show = static_cast<size_t>(std::atoi(argv[++i]));
    } else if (a == "--overlap") {
      overlap = true;
    } else {
      std::fprintf(stderr,
                   "usage: pii_text_eval [--seed N] [--utterances 3000] [--show-misses K] "
                   "[--overlap]\n");
      return 2;
    }
  }
  gen::Generator generator(seed);
  Totals totals;
  for (int i = 0; i < n; ++i) Score(generator.Next(), totals, show);
  Print(totals, seed, n);
  if (overlap) PrintOverlap();
  return 0;
}
