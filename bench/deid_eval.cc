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
#include "eval_corpus.h"
#include "pipeline/deid_chain.h"
#include "privacy/pii/pii.h"
#include "synth/flite_voice.h"
#include "util/fs.h"

namespace {

using namespace earshot;
using namespace earshot::eval;
using privacy::pii::PiiType;

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
      t.wer_errors += WordEditDistance(reference, Texts(*before));
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
  int64_t errors = 0, words = 0;
  for (const eval::LibriClip& clip : eval::LibriVoxClips()) {
    auto heard = (*general)->Recognize(clip.audio);
    if (!heard.ok()) continue;
    errors += WordEditDistance(clip.reference, eval::Texts(*heard));
    words += static_cast<int64_t>(clip.reference.size());
  }
  if (words > 0) {
    std::printf(
        "\n### Recognizer WER on pocketsphinx-testdata LibriVox (5 clips): %.3f "
        "(%lld errors / %lld words)\n",
        static_cast<double>(errors) / words, static_cast<long long>(errors),
        static_cast<long long>(words));
  }
  return 0;
}
