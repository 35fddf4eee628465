// The de-identification quality harness (issue #3): a seeded corpus of
// assistant requests with spoken PII, spoken by flite's four voices, plus
// phone and card numbers made of real spoken digits (FSDD), plus distractors.
// Nothing is committed: the corpus is generated in memory from the seed.
//
//   build/bin/deid_eval [--seed 7] [--utterances 320] [--audio 80] [--fsdd DIR] [--fsdd-count 20]
//                       [--single-pass 1]
//
// Reports (markdown, for docs/privacy-eval.md):
//   text:  word-level recall per PII type and precision, DetectPii on the true words;
//   audio: the chain on synthesized audio; leakage = PII words a listener still
//          recognises in the PII region after redaction, for two listeners (the
//          general recognizer and a digits/letters grammar), relative to what the
//          same listener recognised there in the original; over-redaction = share
//          of the non-PII audio that was bleeped; recognizer WER on the corpus and
//          on pocketsphinx-testdata's LibriVox clips.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "pipeline/deid_chain.h"
#include "privacy/pii/pii.h"
#include "synth/flite_voice.h"
#include "util/fs.h"

namespace {

using namespace earshot;
using privacy::pii::PiiType;
using Tokens = std::vector<std::string>;

const char* kDigitWords[] = {"zero", "one", "two",   "three", "four",
                             "five", "six", "seven", "eight", "nine"};

struct Utterance {
  Tokens prefix, pii, suffix;
  std::optional<PiiType> type;
  Tokens All() const {
    Tokens t = prefix;
    t.insert(t.end(), pii.begin(), pii.end());
    t.insert(t.end(), suffix.begin(), suffix.end());
    return t;
  }
};

Tokens Split(const std::string& s) {
  return privacy::pii::SplitWords(s);
}

class Corpus {
 public:
  explicit Corpus(uint32_t seed) : rng_(seed) {}

  std::vector<Utterance> Make(int n) {
    std::vector<Utterance> out;
    const std::vector<PiiType> types = {
        PiiType::kPhone,         PiiType::kCardNumber,  PiiType::kIdNumber,
        PiiType::kStreetAddress, PiiType::kEmail,       PiiType::kUrl,
        PiiType::kPersonName,    PiiType::kDateOfBirth, PiiType::kLongNumber};
    for (int i = 0; i < n; ++i) {
      if (i % 6 == 5) {
        out.push_back(Distractor());
      } else {
        out.push_back(WithPii(types[static_cast<size_t>(i) % types.size()]));
      }
    }
    return out;
  }

  std::string Digits(int n, bool luhn = false) {
    std::string d;
    for (int i = 0; i < n; ++i) d.push_back(static_cast<char>('0' + Pick(10)));
    if (luhn) {
      d[0] = '4';
      for (char c = '0'; c <= '9'; ++c) {
        d.back() = c;
        if (privacy::pii::SplitWords("x").size() && Luhn(d)) break;
      }
    }
    return d;
  }

  // Digit by digit, sometimes "oh" for zero and "double" for a repeat.
  Tokens SayDigits(const std::string& d) {
    Tokens t;
    for (size_t i = 0; i < d.size(); ++i) {
      const int v = d[i] - '0';
      if (i + 1 < d.size() && d[i + 1] == d[i] && Pick(3) == 0) {
        t.push_back("double");
        t.push_back(kDigitWords[v]);
        ++i;
        continue;
      }
      t.push_back(v == 0 && Pick(2) == 0 ? "oh" : kDigitWords[v]);
    }
    return t;
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }

 private:
  static bool Luhn(const std::string& d) {
    int sum = 0;
    bool dbl = false;
    for (auto it = d.rbegin(); it != d.rend(); ++it) {
      int x = *it - '0';
      if (dbl && (x *= 2) > 9) x -= 9;
      sum += x;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  Utterance Distractor() {
    static const std::vector<std::string> kLines = {"set a timer for five minutes",
                                                    "what is two plus two",
                                                    "play track four",
                                                    "turn the volume to eleven",
                                                    "what is the weather tomorrow",
                                                    "set an alarm for six thirty",
                                                    "how many days until christmas",
                                                    "add two eggs and one cup of flour to my list",
                                                    "turn off the lights in the kitchen",
                                                    "what time is it in london",
                                                    "play some jazz",
                                                    "remind me to water the plants",
                                                    "how tall is mount everest",
                                                    "skip this song",
                                                    "what is nine times seven",
                                                    "pause the music for ten minutes",
                                                    "is it going to rain today",
                                                    "tell me a joke",
                                                    "what is the capital of france",
                                                    "turn up the heat by two degrees",
                                                    "how far is the moon",
                                                    "start a workout for thirty minutes",
                                                    "read me the news",
                                                    "set the thermostat to seventy two",
                                                    "what movies are playing tonight",
                                                    "order more paper towels",
                                                    "play the top forty",
                                                    "open the garage door",
                                                    "how do you spell necessary",
                                                    "what is the score of the game"};
    Utterance u;
    u.prefix = Split(Of(kLines));
    return u;
  }

  Utterance WithPii(PiiType type) {
    static const std::vector<std::string> kFirst = {
        "anna",   "john",   "maria",  "david",  "sarah", "michael", "emily", "james",
        "olivia", "daniel", "sophia", "robert", "priya", "carlos",  "linda", "kevin"};
    static const std::vector<std::string> kLast = {
        "smith",    "johnson",  "garcia", "miller", "davis", "brown",  "wilson", "taylor",
        "martinez", "anderson", "thomas", "moore",  "patel", "nguyen", "lee",    "clark"};
    static const std::vector<std::string> kStreets = {"oak",        "maple", "main",  "elm",
                                                      "cedar",      "pine",  "lake",  "hill",
                                                      "washington", "park",  "sunset"};
    static const std::vector<std::string> kSuffix = {"street", "avenue", "road",
                                                     "lane",   "drive",  "boulevard"};
    static const std::vector<std::string> kMonths = {"january", "march",  "april",   "june",
                                                     "july",    "august", "october", "december"};
    static const std::vector<std::string> kOrdinals = {"first",   "second",    "third",
                                                       "fourth",  "fifth",     "ninth",
                                                       "twelfth", "twentieth", "twenty first"};
    static const std::vector<std::string> kYears = {
        "nineteen eighty",    "nineteen seventy two", "nineteen ninety five",
        "two thousand three", "nineteen sixty",       "nineteen eighty eight"};
    Utterance u;
    u.type = type;
    auto set = [&](const std::string& pre, Tokens pii, const std::string& post) {
      u.prefix = Split(pre);
      u.pii = std::move(pii);
      u.suffix = Split(post);
    };
    switch (type) {
      case PiiType::kPhone: {
        const std::vector<std::pair<std::string, std::string>> t = {
            {"call my sister at", ""},
            {"my phone number is", ""},
            {"text", "that i am running late"},
            {"please dial", "now"},
            {"save the number", "as work"}};
        const auto& [pre, post] = Of(t);
        std::string d = Digits(10);
        d[0] = static_cast<char>('2' + Pick(8));
        d[3] = static_cast<char>('2' + Pick(8));
        set(pre, SayDigits(d), post);
        break;
      }
      case PiiType::kCardNumber: {
        const std::vector<std::pair<std::string, std::string>> t = {
            {"my card number is", ""},
            {"pay with card", "please"},
            {"use the credit card", "for this order"}};
        const auto& [pre, post] = Of(t);
        set(pre, SayDigits(Digits(16, true)), post);
        break;
      }
      case PiiType::kIdNumber: {
        const int kind = Pick(3);
        if (kind == 0) set("my social security number is", SayDigits(Digits(9)), "");
        if (kind == 1) set("my account number is", SayDigits(Digits(8)), "");
        if (kind == 2) set("my pin is", SayDigits(Digits(4)), "");
        break;
      }
      case PiiType::kStreetAddress: {
        Tokens addr;
        if (Pick(2) == 0) {
          addr = Split(Of<std::string>({"twelve forty five", "twenty two", "nineteen oh one",
                                        "three hundred", "eighty eight", "fifteen"}));
        } else {
          addr = SayDigits(Digits(3 + Pick(2)));
        }
        addr.push_back(Of(kStreets));
        addr.push_back(Of(kSuffix));
        if (Pick(3) == 0) {
          addr.push_back("apartment");
          addr.push_back(kDigitWords[1 + Pick(9)]);
        }
        set(Of<std::string>({"navigate to", "send the package to", "i live at"}), addr, "");
        break;
      }
      case PiiType::kEmail: {
        Tokens e;
        const std::string first = Of(kFirst);
        if (Pick(2) == 0) {
          for (char c : first) e.push_back(std::string(1, c));
        } else {
          e.push_back(first);
        }
        e.push_back("dot");
        e.push_back(Of(kLast));
        e.push_back("at");
        e.push_back(Of<std::string>({"gmail", "yahoo", "outlook", "example"}));
        e.push_back("dot");
        e.push_back(Of<std::string>({"com", "org", "net"}));
        set(Of<std::string>({"my email is", "send it to", "email"}), e, "");
        break;
      }
      case PiiType::kUrl: {
        Tokens url;
        if (Pick(2) == 0) url = Split("w w w dot");
        url.push_back(Of<std::string>({"mybank", "shopnow", "familyphotos", "cityclinic"}));
        url.push_back("dot");
        url.push_back(Of<std::string>({"com", "org", "net"}));
        set(Of<std::string>({"open", "go to", "visit"}), url, "");
        break;
      }
      case PiiType::kPersonName: {
        const std::vector<std::pair<std::string, std::string>> t = {
            {"my name is", ""},
            {"call", "on speaker"},
            {"tell", "i am running late"},
            {"hi this is", "calling about my order"},
            {"send a message to", "saying thanks"}};
        const auto& [pre, post] = Of(t);
        Tokens name = {Of(kFirst)};
        if (Pick(2) == 0) name.push_back(Of(kLast));
        set(pre, name, post);
        break;
      }
      case PiiType::kDateOfBirth: {
        Tokens date = {Of(kMonths)};
        for (const auto& w : Split(Of(kOrdinals))) date.push_back(w);
        for (const auto& w : Split(Of(kYears))) date.push_back(w);
        set(Of<std::string>({"i was born on", "my date of birth is"}), date, "");
        break;
      }
      case PiiType::kLongNumber: {
        set(Of<std::string>({"remember", "write down", "note"}), SayDigits(Digits(5 + Pick(3))),
            "");
        break;
      }
    }
    return u;
  }

  std::mt19937 rng_;
};

// --- text evaluation --------------------------------------------------------

struct TypeCounts {
  int truth_words = 0;
  int covered = 0;      // true words under any predicted span
  int typed_right = 0;  // ... under a span of the right type
};

void EvaluateText(const std::vector<Utterance>& corpus) {
  std::map<PiiType, TypeCounts> per_type;
  int predicted_words = 0, predicted_true = 0;
  for (const Utterance& u : corpus) {
    const Tokens words = u.All();
    const auto spans = privacy::pii::DetectPii(words);
    std::vector<std::optional<PiiType>> pred(words.size());
    for (const auto& s : spans) {
      for (size_t i = s.start; i < s.end; ++i) pred[i] = s.type;
    }
    const size_t a = u.prefix.size(), b = a + u.pii.size();
    for (size_t i = 0; i < words.size(); ++i) {
      const bool truth = u.type && i >= a && i < b;
      if (pred[i]) {
        ++predicted_words;
        predicted_true += truth;
      }
      if (!truth) continue;
      auto& c = per_type[*u.type];
      ++c.truth_words;
      c.covered += pred[i].has_value();
      c.typed_right += pred[i] == u.type;
    }
  }
  std::printf("\n### Text: spans on the true words (%zu utterances)\n\n", corpus.size());
  std::printf("| type | PII words | recall (masked) | recall (right type) |\n|---|---|---|---|\n");
  int all_truth = 0, all_cov = 0;
  for (const auto& [type, c] : per_type) {
    std::printf("| %s | %d | %.3f | %.3f |\n", privacy::pii::TypeName(type), c.truth_words,
                static_cast<double>(c.covered) / c.truth_words,
                static_cast<double>(c.typed_right) / c.truth_words);
    all_truth += c.truth_words;
    all_cov += c.covered;
  }
  std::printf("| **all** | %d | **%.3f** | |\n", all_truth,
              static_cast<double>(all_cov) / all_truth);
  std::printf("\nPrecision (masked words that are PII): **%.3f** (%d of %d)\n",
              static_cast<double>(predicted_true) / std::max(1, predicted_words), predicted_true,
              predicted_words);
}

// --- audio evaluation -------------------------------------------------------

bool g_second_pass = true;  // --single-pass 1 turns the digits-grammar second pass off

audio::Pcm16 Concat(const std::vector<audio::Pcm16>& parts) {
  audio::Pcm16 out;
  for (const auto& p : parts)
    out.samples.insert(out.samples.end(), p.samples.begin(), p.samples.end());
  return out;
}

std::string Canon(const std::string& w) {
  return w == "oh" ? "zero" : w;
}

// Words of `heard` inside [from, to) ms whose text is one of `targets`
// (each target matched at most once).
int Matches(const std::vector<asr::Word>& heard, int64_t from, int64_t to, Tokens targets) {
  int n = 0;
  for (const auto& w : heard) {
    const int64_t mid = (w.start_ms + w.end_ms) / 2;
    if (mid < from || mid >= to) continue;
    auto it = std::find(targets.begin(), targets.end(), Canon(w.text));
    if (it != targets.end()) {
      ++n;
      targets.erase(it);
    }
  }
  return n;
}

int64_t EditDistance(const Tokens& a, const Tokens& b) {
  std::vector<int64_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

Tokens Texts(const std::vector<asr::Word>& words) {
  Tokens t;
  for (const auto& w : words) t.push_back(w.text);
  return t;
}

struct AudioTotals {
  int pii_words = 0;
  std::map<std::string, std::pair<int, int>> heard;  // listener -> (original, after)
  int64_t non_pii_samples = 0, non_pii_bleeped = 0;
  int64_t wer_errors = 0, wer_words = 0;
  int utterances = 0;
};

void EvaluateOne(const std::vector<audio::Pcm16>& parts, const Tokens& reference,
                 const Tokens& pii_tokens, asr::Recognizer& general, asr::Recognizer& digits,
                 AudioTotals& t) {
  const audio::Pcm16 audio = Concat(parts);
  const int64_t from = parts[0].DurationMs();
  const int64_t to = from + parts[1].DurationMs();
  auto out =
      pipeline::RunDeid(audio, std::nullopt, &general, {}, g_second_pass ? &digits : nullptr);
  if (!out.ok()) {
    std::fprintf(stderr, "deid failed: %s\n", out.status().ToString().c_str());
    return;
  }
  ++t.utterances;
  t.pii_words += static_cast<int>(pii_tokens.size());
  Tokens targets;
  for (const auto& w : pii_tokens) targets.push_back(Canon(w));
  for (auto [name, listener] : {std::pair<std::string, asr::Recognizer*>{"general", &general},
                                {"digits grammar", &digits}}) {
    auto before = listener->Recognize(audio);
    auto after = listener->Recognize(out->redacted);
    if (!before.ok() || !after.ok()) continue;
    t.heard[name].first += Matches(*before, from, to, targets);
    t.heard[name].second += Matches(*after, from, to, targets);
    if (name == "general") {
      t.wer_errors += EditDistance(reference, Texts(*before));
      t.wer_words += static_cast<int64_t>(reference.size());
    }
  }
  const size_t a = static_cast<size_t>(from * 16), b = static_cast<size_t>(to * 16);
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    if (i >= a && i < b) continue;
    ++t.non_pii_samples;
    t.non_pii_bleeped += audio.samples[i] != out->redacted.samples[i];
  }
}

// Real spoken digits: takes of one FSDD speaker joined, upsampled to 16 kHz.
std::optional<audio::Pcm16> FsddDigits(const std::string& dir, const std::string& speaker,
                                       const std::string& digits, Corpus& c) {
  audio::Pcm16 out;
  for (char d : digits) {
    const std::string path =
        dir + "/" + std::string(1, d) + "_" + speaker + "_" + std::to_string(c.Pick(50)) + ".wav";
    auto bytes = ReadFile(path);
    if (!bytes.ok()) return std::nullopt;
    auto pcm = audio::DecodeToCanonical(*bytes);
    if (!pcm.ok()) return std::nullopt;
    out.samples.insert(out.samples.end(), pcm->samples.begin(), pcm->samples.end());
  }
  return out;
}

void PrintAudio(const std::string& title, const AudioTotals& t) {
  std::printf("\n### Audio: %s (%d utterances, %d PII words)\n\n", title.c_str(), t.utterances,
              t.pii_words);
  std::printf(
      "| listener | PII words heard in the original | still heard after redaction | "
      "leakage (of all PII words) | leakage (of those heard before) |\n"
      "|---|---|---|---|---|\n");
  for (const auto& [name, h] : t.heard) {
    std::printf("| %s | %d | %d | %.3f | %.3f |\n", name.c_str(), h.first, h.second,
                static_cast<double>(h.second) / std::max(1, t.pii_words),
                static_cast<double>(h.second) / std::max(1, h.first));
  }
  std::printf(
      "\nOver-redaction: %.3f of the non-PII audio bleeped.  Recognizer WER on the "
      "original: %.3f (%lld errors / %lld words)\n",
      static_cast<double>(t.non_pii_bleeped) / std::max<int64_t>(1, t.non_pii_samples),
      static_cast<double>(t.wer_errors) / std::max<int64_t>(1, t.wer_words),
      static_cast<long long>(t.wer_errors), static_cast<long long>(t.wer_words));
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 7;
  int n = 320, n_audio = 80, n_fsdd = 20;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seed") seed = static_cast<uint32_t>(std::stoul(argv[i + 1]));
    if (flag == "--utterances") n = std::stoi(argv[i + 1]);
    if (flag == "--audio") n_audio = std::stoi(argv[i + 1]);
    if (flag == "--fsdd") fsdd = argv[i + 1];
    if (flag == "--single-pass") g_second_pass = std::string(argv[i + 1]) == "0";
    if (flag == "--fsdd-count") n_fsdd = std::stoi(argv[i + 1]);
  }
  Corpus corpus(seed);
  const auto utterances = corpus.Make(n);
  std::printf("## De-identification quality (seed %u, second pass %s)\n", seed,
              g_second_pass ? "on" : "off");
  EvaluateText(utterances);

  auto general = asr::PocketsphinxRecognizer::Create();
  auto digits = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
  if (!general.ok() || !digits.ok()) {
    std::fprintf(stderr, "recognizers unavailable\n");
    return 1;
  }
  // flite voices over an evenly spread subset of the corpus (with PII only).
  AudioTotals flite_totals;
  const auto& voices = synth::VoiceNames();
  int done = 0;
  for (size_t i = 0; i < utterances.size() && done < n_audio; ++i) {
    const Utterance& u = utterances[i];
    if (!u.type) continue;
    const std::string voice = voices[static_cast<size_t>(done) % voices.size()];
    auto join = [](const Tokens& t) {
      std::string s;
      for (const auto& w : t) s += (s.empty() ? "" : " ") + w;
      return s;
    };
    std::vector<audio::Pcm16> parts;
    for (const Tokens* t : {&u.prefix, &u.pii, &u.suffix}) {
      if (t->empty()) {
        parts.emplace_back();
        continue;
      }
      auto pcm = synth::Speak(voice, join(*t));
      if (!pcm.ok()) return 1;
      parts.push_back(std::move(*pcm));
    }
    EvaluateOne(parts, u.All(), u.pii, **general, **digits, flite_totals);
    ++done;
  }
  PrintAudio("flite voices rms, slt, awb, kal", flite_totals);

  // Over-redaction where there is nothing to redact: distractors spoken whole.
  AudioTotals clean_totals;
  int clean = 0;
  for (size_t i = 0; i < utterances.size() && clean < std::max(1, n_audio / 4); ++i) {
    const Utterance& u = utterances[i];
    if (u.type) continue;
    std::string text;
    for (const auto& w : u.prefix) text += (text.empty() ? "" : " ") + w;
    auto pcm = synth::Speak(voices[static_cast<size_t>(clean) % voices.size()], text);
    if (!pcm.ok()) return 1;
    EvaluateOne({*pcm, audio::Pcm16{}, audio::Pcm16{}}, u.prefix, {}, **general, **digits,
                clean_totals);
    ++clean;
  }
  PrintAudio("distractors without PII (all of it is non-PII speech)", clean_totals);

  AudioTotals fsdd_totals;
  if (std::filesystem::exists(fsdd)) {
    const std::vector<std::string> speakers = {"george", "jackson", "lucas", "nicolas"};
    for (int i = 0; i < n_fsdd; ++i) {
      const bool card = i % 2 == 1;
      std::string d = corpus.Digits(card ? 16 : 10, card);
      auto spoken = FsddDigits(fsdd, speakers[static_cast<size_t>(i) % 4], d, corpus);
      auto prefix = synth::Speak("slt", card ? "my card number is" : "my phone number is");
      if (!spoken || !prefix.ok()) continue;
      Tokens pii;
      for (char c : d) pii.push_back(kDigitWords[c - '0']);
      Tokens ref = Split(card ? "my card number is" : "my phone number is");
      ref.insert(ref.end(), pii.begin(), pii.end());
      EvaluateOne({*prefix, *spoken, audio::Pcm16{}}, ref, pii, **general, **digits, fsdd_totals);
    }
    PrintAudio("real spoken digits (FSDD, 4 speakers) after a flite prefix", fsdd_totals);
  }

  // Recognizer WER on pocketsphinx-testdata's LibriVox clips.
  const std::string libri = "/usr/share/pocketsphinx/test/data/librivox";
  auto transcript = ReadFile(libri + "/transcription");
  if (transcript.ok()) {
    int64_t errors = 0, words = 0;
    size_t pos = 0;
    while (pos < transcript->size()) {
      size_t nl = transcript->find('\n', pos);
      if (nl == std::string::npos) nl = transcript->size();
      const std::string line = transcript->substr(pos, nl - pos);
      pos = nl + 1;
      const size_t open = line.rfind('('), close = line.rfind(')');
      if (open == std::string::npos) continue;
      Tokens ref;
      for (const auto& w : Split(line.substr(0, open))) {
        if (w != "<s>" && w != "</s>") ref.push_back(w);
      }
      auto bytes = ReadFile(libri + "/" + line.substr(open + 1, close - open - 1) + ".wav");
      if (!bytes.ok()) continue;
      auto pcm = audio::DecodeToCanonical(*bytes);
      if (!pcm.ok()) continue;
      auto heard = (*general)->Recognize(*pcm);
      if (!heard.ok()) continue;
      errors += EditDistance(ref, Texts(*heard));
      words += static_cast<int64_t>(ref.size());
    }
    std::printf(
        "\n### Recognizer WER on pocketsphinx-testdata LibriVox (5 clips): %.3f "
        "(%lld errors / %lld words)\n",
        static_cast<double>(errors) / std::max<int64_t>(1, words), static_cast<long long>(errors),
        static_cast<long long>(words));
  }
  return 0;
}
