// The voice anonymization evaluation (issue #4): how well an in-project
// speaker-verification attacker (bench/sv: MFCC, GMM-UBM, MAP, LLR) links
// anonymized speech to its speaker, and what anonymization costs in
// recognition. Speakers: the four FSDD speakers (real voices, 5 joined digits
// per utterance, takes 0-24 for training and 25-49 for tests) and the four
// flite voices (sentences of the #3 corpus). Everything is generated from the
// seed; nothing is committed.
//
//   build/bin/anon_eval [--seed 7] [--fsdd DIR] [--per-speaker 10] [--wer 40] [--bleeps 20]
//                       [--chains mcadams,mcadams-vtl,mcadams+burg+free-gain]
//                       [--alpha-min 0.5 --alpha-max 0.9]
//                       [--utility 0]   (speaker verification only)
//
// Attackers (VoicePrivacy Challenge): ignorant (UBM and enrolment on original
// speech, tests anonymized), lazy-informed (enrolment anonymized with other
// draws), semi-informed (UBM retrained on anonymized speech too). Utility:
// pocketsphinx WER on the flite corpus and LibriVox, original vs anonymized;
// redaction bleeps before vs after anonymization. `sox pitch -400` is a
// side-by-side row.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "eval_corpus.h"
#include "pipeline/deid_chain.h"
#include "privacy/anonymize/anonymizer.h"
#include "sv/eer.h"
#include "sv/gmm_ubm.h"
#include "sv/mfcc.h"
#include "synth/flite_voice.h"
#include "util/fs.h"
#include "utility/stoi.h"

namespace {

using namespace earshot;
using namespace earshot::eval;

// A transform of one utterance; `draw` numbers the random draw.
using Transform = std::function<audio::Pcm16(const audio::Pcm16&, uint64_t draw)>;

struct Utt {
  int speaker = 0;
  audio::Pcm16 audio;
  bool flite = false;  // which corpus: a flite voice or an FSDD speaker
};

struct SpeakerSet {
  std::vector<std::string> names;
  std::vector<Utt> ubm, enroll, test;
};

std::string Join(const Tokens& t) {
  std::string s;
  for (const auto& w : t) s += (s.empty() ? "" : " ") + w;
  return s;
}

// --- data -------------------------------------------------------------------

SpeakerSet MakeSpeakers(const std::string& fsdd, int per_speaker, Corpus& corpus) {
  SpeakerSet set;
  const int n_ubm = per_speaker, n_enroll = per_speaker / 2, n_test = per_speaker;
  auto add = [&](int speaker, int i, audio::Pcm16 pcm) {
    Utt u{speaker, std::move(pcm), set.names[speaker].rfind("flite-", 0) == 0};
    if (i < n_ubm) {
      set.ubm.push_back(std::move(u));
    } else if (i < n_ubm + n_enroll) {
      set.enroll.push_back(std::move(u));
    } else {
      set.test.push_back(std::move(u));
    }
  };
  const int total = n_ubm + n_enroll + n_test;
  if (std::filesystem::exists(fsdd)) {
    for (const std::string name : {"george", "jackson", "lucas", "nicolas"}) {
      const int speaker = static_cast<int>(set.names.size());
      set.names.push_back("fsdd-" + name);
      for (int i = 0; i < total; ++i) {
        // Training (UBM, enrolment) from takes 0-24, tests from takes 25-49.
        const bool testing = i >= n_ubm + n_enroll;
        auto pcm =
            FsddDigits(fsdd, name, corpus.Digits(5), corpus, testing ? 25 : 0, testing ? 50 : 25);
        if (pcm) add(speaker, i, std::move(*pcm));
      }
    }
  }
  std::vector<Utterance> sentences = corpus.Make(total * 4);
  for (const std::string& voice : synth::VoiceNames()) {
    const int speaker = static_cast<int>(set.names.size());
    set.names.push_back("flite-" + voice);
    for (int i = 0; i < total; ++i) {
      auto pcm = synth::Speak(
          voice,
          Join(sentences[static_cast<size_t>(speaker * total + i) % sentences.size()].All()));
      if (pcm.ok()) add(speaker, i, std::move(*pcm));
    }
  }
  return set;
}

// --- attacker ---------------------------------------------------------------

sv::Frames Features(const audio::Pcm16& pcm) {
  return sv::Mfcc(pcm.samples, pcm.sample_rate);
}

// Scores of every trial, and of the trials within one corpus (FSDD models
// against FSDD tests, flite against flite): there the channel gives nothing
// away, only the voice.
struct Attack {
  std::vector<double> target, nontarget;
  std::map<bool, std::pair<std::vector<double>, std::vector<double>>> within;  // by "is flite"
  double Eer() const { return sv::EqualErrorRate(target, nontarget); }
  // NaN (printed "nan") when the corpus had no trials.
  double EerWithin(bool flite) const {
    const auto it = within.find(flite);
    return it == within.end() ? std::nan("")
                              : sv::EqualErrorRate(it->second.first, it->second.second);
  }
};

// UBM on `ubm`, one MAP model per speaker from `enroll`, every test utterance
// scored against every model.
Attack RunAttack(const std::vector<Utt>& ubm, const std::vector<Utt>& enroll,
                 const std::vector<Utt>& test, int speakers, uint64_t seed) {
  sv::Frames pooled;
  for (const Utt& u : ubm) {
    for (auto& f : Features(u.audio)) pooled.push_back(std::move(f));
  }
  // 32 components and relevance 4 made the strongest attacker on this data
  // (bench/sv/gmm_ubm.h).
  const sv::DiagGmm background = sv::TrainUbm(pooled, 32, 10, seed);
  std::vector<sv::Frames> per_speaker(static_cast<size_t>(speakers));
  std::vector<bool> model_is_flite(static_cast<size_t>(speakers), false);
  for (const Utt& u : enroll) {
    model_is_flite[u.speaker] = u.flite;
    for (auto& f : Features(u.audio)) per_speaker[u.speaker].push_back(std::move(f));
  }
  std::vector<sv::DiagGmm> models;
  for (const auto& frames : per_speaker) {
    models.push_back(sv::MapAdaptMeans(background, frames, 4.0));
  }
  Attack a;
  for (const Utt& u : test) {
    const sv::Frames f = Features(u.audio);
    if (f.empty()) continue;
    for (int s = 0; s < speakers; ++s) {
      const double score = sv::Score(background, models[s], f);
      (s == u.speaker ? a.target : a.nontarget).push_back(score);
      if (model_is_flite[s] == u.flite) {
        auto& [target, nontarget] = a.within[u.flite];
        (s == u.speaker ? target : nontarget).push_back(score);
      }
    }
  }
  return a;
}

std::vector<Utt> Apply(const std::vector<Utt>& in, const Transform& t, uint64_t draw_base) {
  std::vector<Utt> out;
  for (size_t i = 0; i < in.size(); ++i)
    out.push_back({in[i].speaker, t(in[i].audio, draw_base + i), in[i].flite});
  return out;
}

// --- transforms -------------------------------------------------------------

// Exits on failure: the original must never be reported as disguised.
audio::Pcm16 SoxPitch(const audio::Pcm16& in, const std::string& dir) {
  const std::string a = dir + "/in.wav", b = dir + "/out.wav";
  auto fail = [](const char* what) {
    std::fprintf(stderr, "sox pitch failed: %s\n", what);
    std::exit(1);
  };
  if (!WriteFileDurable(a, audio::EncodeWav(in), 0600).ok()) fail("write");
  if (!RunProcess({"sox", a, b, "pitch", "-400"})) fail("sox");
  auto bytes = ReadFile(b);
  if (!bytes.ok()) fail("read");
  auto pcm = audio::DecodeToCanonical(*bytes);
  if (!pcm.ok()) fail("decode");
  pcm->samples.resize(in.samples.size());
  return *pcm;
}

// `chain` may end in "+burg" (Burg's LPC) and "+free-gain" (frames keep
// the gain the moved resonances give them), as the challenge's script does.
Transform Chain(std::string chain, uint64_t seed, double alpha_min, double alpha_max) {
  const bool burg = chain.find("+burg") != std::string::npos;
  const bool free_gain = chain.find("+free-gain") != std::string::npos;
  chain = chain.substr(0, chain.find('+'));
  return [=](const audio::Pcm16& in, uint64_t draw) {
    privacy::anonymize::AnonymizeSettings s;
    s.burg = burg;
    s.keep_frame_energy = !free_gain;
    s.chain = chain;
    s.alpha_min = alpha_min;
    s.alpha_max = alpha_max;
    auto out = privacy::anonymize::Anonymize(in, s, seed * 1000003 + draw);
    if (!out.ok()) {  // never report the original as if it were anonymized
      std::fprintf(stderr, "anonymize failed: %s\n", out.status().ToString().c_str());
      std::exit(1);
    }
    return *out;
  };
}

// --- utility ----------------------------------------------------------------

struct Wer {
  int64_t errors = 0, words = 0;
  double stoi_sum = 0;  // STOI of each transformed utterance against its original
  int stoi_count = 0;
  double Rate() const { return static_cast<double>(errors) / std::max<int64_t>(1, words); }
  double Stoi() const { return stoi_count ? stoi_sum / stoi_count : std::nan(""); }
};

std::vector<float> Floats(const audio::Pcm16& pcm) {
  return std::vector<float>(pcm.samples.begin(), pcm.samples.end());
}

Wer MeasureWer(asr::Recognizer& rec, const std::vector<std::pair<audio::Pcm16, Tokens>>& set,
               const Transform* t) {
  Wer w;
  uint64_t draw = 5'000'000;  // the same draws for every set: comparable rows
  for (const auto& [pcm, ref] : set) {
    const audio::Pcm16 heard_audio = t ? (*t)(pcm, draw++) : pcm;
    if (auto stoi = bench::Stoi(Floats(pcm), Floats(heard_audio), pcm.sample_rate)) {
      w.stoi_sum += *stoi;
      ++w.stoi_count;
    }
    auto heard = rec.Recognize(heard_audio);
    if (!heard.ok()) continue;
    w.errors += WordEditDistance(ref, Texts(*heard));
    w.words += static_cast<int64_t>(ref.size());
  }
  return w;
}

// PII words the two listeners still hear in the PII region, with the bleeps
// applied before anonymization (the pipeline's order) or after it.
struct BleepLeak {
  int pii_words = 0;
  int before_general = 0, before_digits = 0;  // redact, then anonymize
  int after_general = 0, after_digits = 0;    // anonymize, then redact
};

void MeasureBleeps(const std::vector<Utterance>& corpus, int n, asr::Recognizer& general,
                   asr::Recognizer& digits, const Transform& t, BleepLeak& leak) {
  int done = 0;
  for (size_t i = 0; i < corpus.size() && done < n; ++i) {
    const Utterance& u = corpus[i];
    if (!u.type) continue;
    const std::string voice = synth::VoiceNames()[static_cast<size_t>(done) % 4];
    std::vector<audio::Pcm16> parts;
    for (const Tokens* part : {&u.prefix, &u.pii, &u.suffix}) {
      auto pcm =
          part->empty() ? Result<audio::Pcm16>(audio::Pcm16{}) : synth::Speak(voice, Join(*part));
      if (!pcm.ok()) return;
      parts.push_back(*pcm);
    }
    const audio::Pcm16 original = Concat(parts);
    auto deid = pipeline::RunDeid(original, std::nullopt, &general, {}, &digits);
    if (!deid.ok()) continue;
    const audio::Pcm16 redact_first = t(deid->redacted, 7'000'000 + i);
    // The other order: anonymize the original, then put the same bleeps on.
    audio::Pcm16 anonymize_first = t(original, 7'000'000 + i);
    for (size_t k = 0; k < original.samples.size(); ++k) {
      if (deid->redacted.samples[k] != original.samples[k]) {
        anonymize_first.samples[k] = deid->redacted.samples[k];
      }
    }
    const int64_t from = parts[0].DurationMs(), to = from + parts[1].DurationMs();
    Tokens targets;
    for (const auto& w : u.pii) targets.push_back(Canon(w));
    auto count = [&](asr::Recognizer& r, const audio::Pcm16& a) {
      auto heard = r.Recognize(a);
      return heard.ok() ? Matches(*heard, from, to, targets) : 0;
    };
    leak.pii_words += static_cast<int>(targets.size());
    leak.before_general += count(general, redact_first);
    leak.before_digits += count(digits, redact_first);
    leak.after_general += count(general, anonymize_first);
    leak.after_digits += count(digits, anonymize_first);
    ++done;
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 7;
  int per_speaker = 10, n_wer = 40, n_bleep = 20;
  bool utility = true;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  std::vector<std::string> chains = privacy::anonymize::KnownChains();
  double alpha_min = privacy::anonymize::AnonymizeSettings{}.alpha_min;
  double alpha_max = privacy::anonymize::AnonymizeSettings{}.alpha_max;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--seed") seed = static_cast<uint32_t>(std::stoul(value));
    if (flag == "--fsdd") fsdd = value;
    if (flag == "--per-speaker") per_speaker = std::stoi(value);
    if (flag == "--wer") n_wer = std::stoi(value);
    if (flag == "--utility") utility = value != "0";
    if (flag == "--bleeps") n_bleep = std::stoi(value);
    if (flag == "--alpha-min") alpha_min = std::stod(value);
    if (flag == "--alpha-max") alpha_max = std::stod(value);
    if (flag == "--chains") {
      chains.clear();
      for (size_t pos = 0; pos <= value.size();) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        chains.push_back(value.substr(pos, comma - pos));
        pos = comma + 1;
      }
    }
  }
  char dir_template[] = "/tmp/earshot-anon-eval-XXXXXX";
  const std::string tmp = mkdtemp(dir_template);

  Corpus corpus(seed);
  const SpeakerSet set = MakeSpeakers(fsdd, per_speaker, corpus);
  const int speakers = static_cast<int>(set.names.size());
  std::printf(
      "## Speaker verification (%d speakers: %zu UBM, %zu enrolment, %zu test utterances)\n\n",
      speakers, set.ubm.size(), set.enroll.size(), set.test.size());

  std::vector<std::pair<std::string, Transform>> methods;
  for (const auto& c : chains) {
    privacy::anonymize::AnonymizeSettings check;
    check.chain = c.substr(0, c.find('+'));
    check.alpha_min = alpha_min;
    check.alpha_max = alpha_max;
    Status valid = privacy::anonymize::ValidateSettings(check);
    if (!valid.ok()) {
      std::fprintf(stderr, "%s\n", valid.ToString().c_str());
      return 2;
    }
    methods.push_back({c, Chain(c, seed, alpha_min, alpha_max)});
  }
  methods.push_back(
      {"sox pitch -400", [&tmp](const audio::Pcm16& in, uint64_t) { return SoxPitch(in, tmp); }});

  const Attack original = RunAttack(set.ubm, set.enroll, set.test, speakers, seed);
  std::printf(
      "EER on original speech: **%.3f** (%zu target, %zu non-target trials); within FSDD "
      "%.3f, within flite %.3f\n\n",
      original.Eer(), original.target.size(), original.nontarget.size(), original.EerWithin(false),
      original.EerWithin(true));
  std::printf(
      "EER, all trials (within FSDD / within flite):\n\n"
      "| method | ignorant | lazy-informed | semi-informed |\n|---|---|---|---|\n");
  for (const auto& [name, t] : methods) {
    const auto test = Apply(set.test, t, 1'000'000);
    const auto enroll = Apply(set.enroll, t, 2'000'000);  // other draws than the tests
    const auto ubm = Apply(set.ubm, t, 3'000'000);
    const Attack ignorant = RunAttack(set.ubm, set.enroll, test, speakers, seed);
    const Attack lazy = RunAttack(set.ubm, enroll, test, speakers, seed);
    const Attack semi = RunAttack(ubm, enroll, test, speakers, seed);
    std::printf("| %s |", name.c_str());
    for (const Attack* a : {&ignorant, &lazy, &semi}) {
      std::printf(" %.3f (%.3f / %.3f) |", a->Eer(), a->EerWithin(false), a->EerWithin(true));
    }
    std::printf("\n");
    std::fflush(stdout);
  }

  if (!utility) {
    RunProcess({"rm", "-rf", tmp});
    return 0;
  }
  auto general = asr::PocketsphinxRecognizer::Create();
  auto digits = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
  if (!general.ok() || !digits.ok()) return 1;
  std::vector<std::pair<audio::Pcm16, Tokens>> flite_set, libri_set;
  const std::vector<Utterance> wer_corpus = Corpus(seed + 1).Make(n_wer);
  for (size_t i = 0; i < wer_corpus.size(); ++i) {
    auto pcm = synth::Speak(synth::VoiceNames()[i % 4], Join(wer_corpus[i].All()));
    if (pcm.ok()) flite_set.push_back({*pcm, wer_corpus[i].All()});
  }
  for (auto& clip : LibriVoxClips()) libri_set.push_back({clip.audio, clip.reference});
  const Wer flite_original = MeasureWer(**general, flite_set, nullptr);
  const Wer libri_original = MeasureWer(**general, libri_set, nullptr);
  std::printf(
      "\n## Utility: recognizer WER (flite corpus: %zu utterances; LibriVox: %zu clips)\n\n",
      flite_set.size(), libri_set.size());
  std::printf(
      "| method | flite WER | change | LibriVox WER | change | STOI flite | STOI LibriVox "
      "|\n|---|---|---|---|---|---|---|\n");
  std::printf("| original | %.3f | | %.3f | | 1 | 1 |\n", flite_original.Rate(),
              libri_original.Rate());
  for (const auto& [name, t] : methods) {
    const Wer f = MeasureWer(**general, flite_set, &t);
    const Wer l = MeasureWer(**general, libri_set, &t);
    std::printf("| %s | %.3f | %+.3f | %.3f | %+.3f | %.3f | %.3f |\n", name.c_str(), f.Rate(),
                f.Rate() - flite_original.Rate(), l.Rate(), l.Rate() - libri_original.Rate(),
                f.Stoi(), l.Stoi());
    std::fflush(stdout);
  }

  std::printf("\n## Redaction bleeps and anonymization (%d PII utterances, flite)\n\n", n_bleep);
  std::printf(
      "| method | PII words | still heard, redact then anonymize (general / digits) | "
      "anonymize then redact (general / digits) |\n|---|---|---|---|\n");
  const std::vector<Utterance> bleep_corpus = Corpus(seed + 2).Make(n_bleep * 6 / 5 + 2);
  for (const auto& [name, t] : methods) {
    BleepLeak leak;
    MeasureBleeps(bleep_corpus, n_bleep, **general, **digits, t, leak);
    std::printf("| %s | %d | %d / %d | %d / %d |\n", name.c_str(), leak.pii_words,
                leak.before_general, leak.before_digits, leak.after_general, leak.after_digits);
    std::fflush(stdout);
  }
  RunProcess({"rm", "-rf", tmp});
  return 0;
}
