// The audio side of de-identification, measured as a trade-off (issue 12):
// how much ordinary speech the chain bleeps against how much of a spoken
// number a listener still hears, for each second-pass policy, on voices that
// were used to choose the default ("tune") and on voices held out from every
// choice ("heldout"). Nothing is committed: requests and numbers are drawn
// from a seed, the voices are flite's, espeak-ng's and FSDD's real speakers.
//
//   build/bin/deid_audio_eval [--set tune|heldout|fresh] [--seed 12] [--per-voice 8]
//                             [--fsdd-per-speaker 6] [--fsdd DIR] [--dump FILE]
//                             [--only clean|number|fsdd|librivox] [--debug 1] [--variants 1]
//
// Voices. tune: flite rms and slt; FSDD george and jackson (after an rms
// prefix). heldout: flite awb and kal; espeak-ng en-us, en-gb, en-us+f3,
// en-gb-scotland+m3 (a different synthesizer); FSDD lucas and nicolas (after
// an espeak-ng prefix); pocketsphinx-testdata's LibriVox clips (real read
// speech, no number).
//
// What is measured, per set and policy:
// - clean: "hey computer" and a request without a number, synthesized as two
//   parts: the share of all samples bleeped, and how often any sample of the
//   wake phrase was;
// - number: a carrier, a phone or card number said digit by digit (with
//   "oh" and "double"), a tail: the share of the carrier's and tail's samples
//   bleeped ("context"), and leakage: the number's digits a digits-grammar
//   listener (pocketsphinx forced to hear only digits, the strictest judge we
//   have) still hears inside the number's own time span after redaction, net
//   of what the same listener hears in a pure bleep tone over that span
//   (a tone heard as "oh" is not a leaked zero); the general recognizer's
//   leakage is shown for the default policy;
// - LibriVox: the share of samples bleeped.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "asr/pocketsphinx.h"
#include "audio/bleep.h"
#include "audio/decode.h"
#include "eval_corpus.h"
#include "pipeline/deid_chain.h"
#include "synth/flite_voice.h"
#include "util/fs.h"

namespace {

using namespace earshot;
using eval::Tokens;

// --- the voices -------------------------------------------------------------

using Voice = std::function<std::optional<audio::Pcm16>(const std::string&)>;

Voice Flite(const std::string& name) {
  return [name](const std::string& text) -> std::optional<audio::Pcm16> {
    auto pcm = synth::Speak(name, text);
    if (!pcm.ok()) return std::nullopt;
    return std::move(pcm).value();
  };
}

Voice Espeak(const std::string& name) {
  return [name](const std::string& text) -> std::optional<audio::Pcm16> {
    const std::string path =
        (std::filesystem::temp_directory_path() / ("deid_audio_eval_espeak.wav")).string();
    if (!eval::RunProcess({"espeak-ng", "-v", name, "-w", path, text})) return std::nullopt;
    auto bytes = ReadFile(path);
    std::filesystem::remove(path);
    if (!bytes.ok()) return std::nullopt;
    auto pcm = audio::DecodeToCanonical(*bytes);
    if (!pcm.ok()) return std::nullopt;
    return std::move(pcm).value();
  };
}

struct VoiceSet {
  std::vector<std::pair<std::string, Voice>> synthetic;
  std::vector<std::string> fsdd_speakers;
  Voice fsdd_carrier;  // who says the words around a real number
  bool librivox = false;
};

VoiceSet Voices(const std::string& set) {
  VoiceSet v;
  if (set == "tune") {
    v.synthetic = {{"flite rms", Flite("rms")}, {"flite slt", Flite("slt")}};
    v.fsdd_speakers = {"george", "jackson"};
    v.fsdd_carrier = Flite("rms");
  } else if (set == "fresh") {
    // Voices no choice was made on, for the check after the heldout set
    // was looked at (stop 21): espeak-ng variants and accents not used
    // above; FSDD's four speakers are all the real digit voices at hand, so
    // their numbers here are new takes after a new carrier voice, not new
    // speakers.
    v.synthetic = {{"espeak-ng en-029", Espeak("en-029")},
                   {"espeak-ng en-gb-x-rp+m1", Espeak("en-gb-x-rp+m1")},
                   {"espeak-ng en-us+f2", Espeak("en-us+f2")},
                   {"espeak-ng en-gb-x-gbclan+m4", Espeak("en-gb-x-gbclan+m4")},
                   {"espeak-ng en-us+klatt", Espeak("en-us+klatt")},
                   {"espeak-ng en-gb-x-gbcwmd+f4", Espeak("en-gb-x-gbcwmd+f4")}};
    v.fsdd_speakers = {"george", "jackson", "lucas", "nicolas"};
    v.fsdd_carrier = Espeak("en-gb-x-rp+f1");
  } else {
    v.synthetic = {{"flite awb", Flite("awb")},
                   {"flite kal", Flite("kal")},
                   {"espeak-ng en-us", Espeak("en-us")},
                   {"espeak-ng en-gb", Espeak("en-gb")},
                   {"espeak-ng en-us+f3", Espeak("en-us+f3")},
                   {"espeak-ng en-gb-scotland+m3", Espeak("en-gb-scotland+m3")}};
    v.fsdd_speakers = {"lucas", "nicolas"};
    v.fsdd_carrier = Espeak("en-us+m2");
    v.librivox = true;
  }
  return v;
}

// --- the words ----------------------------------------------------------------

const std::vector<std::string> kRequests = {
    "what is the weather like in the city today",
    "remind me to buy bread and milk when i get home",
    "play some relaxing music in the living room",
    "turn off the lights in the bedroom please",
    "how do i make a good tomato soup",
    "tell me something interesting about octopuses",
    "add apples and coffee to my shopping list",
    "what does the word serendipity mean",
    "is the pharmacy on the corner still open",
    "wake me up early tomorrow morning",
    "read me the latest headlines",
    "how long does it take to drive to the airport",
    "find a nice italian restaurant nearby",
    "who wrote the novel pride and prejudice",
    "turn the heating down a little",
    "what should i wear if it rains later",
    "call my sister and tell her i am running late",
    "translate good morning into spanish",
    "play the next episode of my podcast",
    "why is the sky blue during the day",
    "lock the front door and close the blinds",
    "what is on my calendar this afternoon",
    "recommend a movie for a quiet evening",
    "how many cups are in a gallon",
};

struct Carrier {
  const char* before;
  const char* after;
  int digits;
};
const std::vector<Carrier> kCarriers = {
    {"my phone number is", "thanks", 10},
    {"please call me back at", "after lunch", 10},
    {"you can reach my husband on", "any time", 10},
    {"text the plumber at", "and ask about tuesday", 10},
    {"my card number is", "and it expires soon", 16},
    {"charge it to the card", "please", 16},
};

// --- one utterance, precomputed ---------------------------------------------------

struct Item {
  std::string kind;  // "clean", "number", "fsdd", "librivox"
  std::string voice;
  audio::Pcm16 audio;
  int64_t from_ms = 0, to_ms = 0;  // the number (or the wake phrase, for "clean")
  Tokens pii;                      // the number's digit words
  std::vector<asr::Word> words, heard;
  int digits_before = 0, digits_tone = 0;  // judge on the original and on a tone
  int general_before = 0;
};

struct Judges {
  asr::Recognizer& general;
  asr::Recognizer& digits;
};

Tokens CanonTargets(const Tokens& pii) {
  Tokens t;
  for (const auto& w : pii) t.push_back(eval::Canon(w));
  return t;
}

// Digits (zero and oh the same) a judge hears inside [from, to) of `audio`.
int Heard(asr::Recognizer& judge, const audio::Pcm16& audio, const Item& item) {
  auto words = judge.Recognize(audio);
  if (!words.ok()) return 0;
  std::vector<asr::Word> canon = *words;
  for (auto& w : canon) w.text = eval::Canon(w.text);
  return eval::Matches(canon, item.from_ms, item.to_ms, CanonTargets(item.pii));
}

bool Prepare(Item& item, asr::Recognizer& general, asr::Recognizer& listener, Judges judges) {
  auto words = general.Recognize(item.audio);
  auto heard = listener.Recognize(item.audio);
  if (!words.ok() || !heard.ok()) return false;
  item.words = std::move(words).value();
  item.heard = std::move(heard).value();
  if (!item.pii.empty()) {
    item.digits_before = Heard(judges.digits, item.audio, item);
    item.general_before = Heard(judges.general, item.audio, item);
    audio::Pcm16 tone = item.audio;
    audio::Bleep(tone, {{item.from_ms, item.to_ms}}, audio::BleepKind::kTone, 0);
    item.digits_tone = Heard(judges.digits, tone, item);
  }
  return true;
}

// --- the policies -------------------------------------------------------------------

struct Policy {
  std::string name;
  bool second_pass = true;
  pipeline::SecondPassPolicy p;
};

bool g_variants = false;  // --variants 1: also the variations of the scored policy

std::vector<Policy> Policies() {
  using P = pipeline::SecondPassPolicy;
  constexpr double kNever = 1e9;
  // Variations of the scored policy (SecondPassPolicy::Scored()).
  auto with = [](const std::function<void(P&)>& change) {
    P p = P::Scored();
    change(p);
    return p;
  };
  auto name = [](const char* format, double value) {
    char out[80];
    std::snprintf(out, sizeof out, format, value);
    return std::string(out);
  };
  std::vector<Policy> out;
  out.push_back({"no second pass", false, P{}});
  out.push_back({"default", true, pipeline::DeidSettings{}.second_pass});
  out.push_back({"digits grammar alone (issue 3's rule)", true, P::Fallback()});
  out.push_back({"scored (window 8, core llr >= -34, edges >= -45)", true, P::Scored()});
  for (double share : {0.4, 0.6}) {
    out.push_back({name("gated: scored where >= %.1f of the words are sure", share), true,
                   with([&](P& p) { p.min_sure_share = share; })});
  }
  if (!g_variants) return out;
  out.push_back({"cores only (window 4, llr >= -28)", true, with([&](P& p) {
                   p.window_digits = 4;
                   p.min_window_llr = -28;
                   p.extend_llr = kNever;
                   p.trim_edges = false;
                   p.join_gap_ms = 0;
                   p.spare_confident_below_llr = kNever;
                 })});
  for (double llr : {-36.0, -32.0, -24.0}) {
    out.push_back({name("core llr >= %.0f", llr), true, with([&](P& p) { p.min_window_llr = llr; })});
  }
  for (const auto& [window, llr] : std::vector<std::pair<int, double>>{
           {3, -28}, {6, -28}, {6, -32}, {8, -30}, {8, -38}, {10, -36}}) {
    out.push_back({"window " + std::to_string(window) + name(", core llr >= %.0f", llr), true,
                   with([&](P& p) {
                     p.window_digits = window;
                     p.min_window_llr = llr;
                   })});
  }
  out.push_back({"no trimming", true, with([](P& p) { p.trim_edges = false; })});
  out.push_back({"window 8, core llr >= -34, no trimming", true, with([](P& p) {
                   p.window_digits = 8;
                   p.min_window_llr = -34;
                   p.trim_edges = false;
                 })});
  out.push_back({"window 4, core llr >= -28, edges >= -40 (the first try)", true,
                 with([](P& p) {
                   p.window_digits = 4;
                   p.min_window_llr = -28;
                   p.extend_llr = -40;
                 })});
  out.push_back({"no growing or trimming", true, with([&](P& p) {
                   p.extend_llr = kNever;
                   p.trim_edges = false;
                 })});
  for (double e : {-35.0, -45.0}) {
    out.push_back({name("edges llr >= %.0f", e), true, with([&](P& p) { p.extend_llr = e; })});
  }
  for (int64_t g : {0, 1500}) {
    out.push_back({"join cores closer than " + std::to_string(g) + " ms", true,
                   with([&](P& p) { p.join_gap_ms = g; })});
  }
  out.push_back({"always spare sure words", true,
                 with([&](P& p) { p.spare_confident_below_llr = kNever; })});
  for (double sp : {-30.0, -10.0}) {
    out.push_back({name("spare sure words below %.0f", sp), true,
                   with([&](P& p) { p.spare_confident_below_llr = sp; })});
  }
  return out;
}

struct Tally {
  int64_t clean_samples = 0, clean_bleeped = 0;
  int wake_total = 0, wake_bleeped = 0;
  // Numbers said by synthetic voices and by FSDD's real speakers.
  struct Numbers {
    int64_t context_samples = 0, context_bleeped = 0;  // the carrier's and tail's
    int pii = 0, after = 0, tone = 0, net = 0;          // the digits judge's counts
  } synthetic, fsdd;
  int digits_before = 0;
  int general_after = 0, general_before = 0;
  int64_t libri_samples = 0, libri_bleeped = 0;
  // Words the general recognizer heard in the original outside the number
  // (all of them for clean and LibriVox), and those more than half bleeped.
  std::map<std::string, std::pair<int, int>> words;  // kind -> (bleeped, all)
};

double Share(int64_t a, int64_t b) {
  return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
}

std::string g_dump;    // --dump FILE: write every item's recognitions as JSON lines, and stop
std::string g_only;    // --only KIND: measure only clean, number, fsdd or librivox items
bool g_debug = false;  // --debug 1: what the listener heard, for the default policy

void Debug(const Item& item, const pipeline::DeidOutput& out) {
  std::fprintf(stderr, "%s [%lld, %lld):", item.kind.c_str(), static_cast<long long>(item.from_ms),
               static_cast<long long>(item.to_ms));
  for (const auto& w : item.heard) {
    std::fprintf(stderr, " %s@%lld:%.0f", w.text.c_str(), static_cast<long long>(w.start_ms),
                 w.phone_loop_llr);
  }
  std::fprintf(stderr, "\n  words:");
  for (const auto& w : item.words) {
    std::fprintf(stderr, " %s@%lld:%.2f", w.text.c_str(), static_cast<long long>(w.start_ms),
                 w.confidence);
  }
  std::fprintf(stderr, "\n  second pass:");
  for (const auto& r : out.second_pass) {
    std::fprintf(stderr, " [%lld, %lld)", static_cast<long long>(r.start_ms),
                 static_cast<long long>(r.end_ms));
  }
  std::fprintf(stderr, "\n  masked: %s\n", out.masked_text.c_str());
}

// One JSON line per item: what both recognizers heard, with times, for
// trying policies outside the harness.
void Dump(const std::vector<Item>& items, const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return;
  for (const Item& item : items) {
    nlohmann::json line = {{"kind", item.kind},        {"voice", item.voice},
                           {"from_ms", item.from_ms},  {"to_ms", item.to_ms},
                           {"duration_ms", item.audio.DurationMs()},
                           {"pii", item.pii.size()},   {"digits_before", item.digits_before},
                           {"digits_tone", item.digits_tone}};
    for (const asr::Word& w : item.words) {
      line["words"].push_back({w.text, w.start_ms, w.end_ms, w.confidence});
    }
    for (const asr::Word& w : item.heard) {
      line["heard"].push_back({w.text, w.start_ms, w.end_ms, w.phone_loop_llr});
    }
    std::fprintf(f, "%s\n", line.dump().c_str());
  }
  std::fclose(f);
}

void Score(const Item& item, const Policy& policy, Judges judges, bool with_general, Tally& t) {
  pipeline::DeidSettings settings;
  settings.second_pass = policy.p;
  auto out = pipeline::DeidFromWords(item.audio, item.words, "recognizer",
                                     policy.second_pass ? &item.heard : nullptr, settings);
  if (!out.ok()) {
    std::fprintf(stderr, "deid failed: %s\n", out.status().ToString().c_str());
    return;
  }
  if (g_debug && with_general) Debug(item, *out);
  const auto& a = item.audio.samples;
  const auto& b = out->redacted.samples;
  const size_t lo = static_cast<size_t>(item.from_ms * 16), hi = static_cast<size_t>(item.to_ms * 16);
  int64_t inside = 0, outside = 0, inside_changed = 0, outside_changed = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool in = i >= lo && i < hi;
    const bool changed = a[i] != b[i];
    (in ? inside : outside) += 1;
    (in ? inside_changed : outside_changed) += changed;
  }
  auto& [words_bleeped, words_all] = t.words[item.kind];
  for (const asr::Word& w : item.words) {
    const int64_t mid = (w.start_ms + w.end_ms) / 2;
    if (mid >= item.from_ms && mid < item.to_ms && item.kind != "clean") continue;
    const size_t ws = static_cast<size_t>(w.start_ms * 16);
    const size_t we = std::min(a.size(), static_cast<size_t>(w.end_ms * 16));
    int64_t changed = 0;
    for (size_t i = ws; i < we; ++i) changed += a[i] != b[i];
    ++words_all;
    words_bleeped += we > ws && 2 * changed > static_cast<int64_t>(we - ws);
  }
  if (item.kind == "clean") {
    t.clean_samples += inside + outside;
    t.clean_bleeped += inside_changed + outside_changed;
    ++t.wake_total;
    t.wake_bleeped += inside_changed > 0;
    return;
  }
  if (item.kind == "librivox") {
    t.libri_samples += outside;
    t.libri_bleeped += outside_changed;
    return;
  }
  const int after = Heard(judges.digits, out->redacted, item);
  const int net = std::max(0, after - item.digits_tone);
  Tally::Numbers& numbers = item.kind == "fsdd" ? t.fsdd : t.synthetic;
  numbers.context_samples += outside;
  numbers.context_bleeped += outside_changed;
  numbers.pii += static_cast<int>(item.pii.size());
  numbers.after += after;
  numbers.tone += item.digits_tone;
  numbers.net += net;
  t.digits_before += item.digits_before;
  t.general_before += item.general_before;
  if (with_general) t.general_after += Heard(judges.general, out->redacted, item);
}

}  // namespace

int main(int argc, char** argv) {
  std::string set = "tune";
  uint32_t seed = 12;
  int per_voice = 8, fsdd_per_speaker = 6;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--set") set = argv[i + 1];
    if (flag == "--seed") seed = static_cast<uint32_t>(std::stoul(argv[i + 1]));
    if (flag == "--per-voice") per_voice = std::stoi(argv[i + 1]);
    if (flag == "--fsdd-per-speaker") fsdd_per_speaker = std::stoi(argv[i + 1]);
    if (flag == "--fsdd") fsdd = argv[i + 1];
    if (flag == "--debug") g_debug = std::string(argv[i + 1]) == "1";
    if (flag == "--only") g_only = argv[i + 1];
    if (flag == "--dump") g_dump = argv[i + 1];
    if (flag == "--variants") g_variants = std::string(argv[i + 1]) == "1";
  }
  auto general = asr::PocketsphinxRecognizer::Create();
  auto listener = asr::DigitListener::Create();
  auto judge_general = asr::PocketsphinxRecognizer::Create();
  auto judge_digits = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
  if (!general.ok() || !listener.ok() || !judge_general.ok() || !judge_digits.ok()) {
    std::fprintf(stderr, "recognizers unavailable\n");
    return 1;
  }
  Judges judges{**judge_general, **judge_digits};
  eval::Corpus corpus(seed);
  const VoiceSet voices = Voices(set);
  std::vector<Item> items;
  auto add = [&](Item item) {
    if (!g_only.empty() && item.kind != g_only) return;
    if (Prepare(item, **general, **listener, judges)) items.push_back(std::move(item));
  };
  for (const auto& [name, speak] : voices.synthetic) {
    for (int k = 0; k < per_voice; ++k) {
      auto wake = speak("hey computer");
      auto request = speak(corpus.Of(kRequests));
      if (!wake || !request) {
        std::fprintf(stderr, "voice %s unavailable\n", name.c_str());
        return 1;
      }
      Item clean{"clean", name, eval::Concat({*wake, *request}), 0, wake->DurationMs()};
      add(std::move(clean));
      const Carrier& c = kCarriers[static_cast<size_t>(corpus.Pick(static_cast<int>(kCarriers.size())))];
      const std::string d = corpus.Digits(c.digits, c.digits == 16);
      const Tokens said = corpus.SayDigits(d);
      std::string number;
      for (const auto& w : said) number += (number.empty() ? "" : " ") + w;
      auto before = speak(c.before), digits = speak(number), after = speak(c.after);
      if (!before || !digits || !after) return 1;
      Item item{"number", name, eval::Concat({*before, *digits, *after}), before->DurationMs(),
                before->DurationMs() + digits->DurationMs()};
      for (char ch : d) item.pii.push_back(eval::kDigitWords[ch - '0']);
      add(std::move(item));
    }
  }
  if (std::filesystem::exists(fsdd)) {
    for (const std::string& speaker : voices.fsdd_speakers) {
      for (int k = 0; k < fsdd_per_speaker; ++k) {
        const Carrier& c = kCarriers[static_cast<size_t>(k) % kCarriers.size()];
        const std::string d = corpus.Digits(c.digits, c.digits == 16);
        auto spoken = eval::FsddDigits(fsdd, speaker, d, corpus);
        auto before = voices.fsdd_carrier(c.before), after = voices.fsdd_carrier(c.after);
        if (!spoken || !before || !after) continue;
        Item item{"fsdd", speaker, eval::Concat({*before, *spoken, *after}), before->DurationMs(),
                  before->DurationMs() + spoken->DurationMs()};
        for (char ch : d) item.pii.push_back(eval::kDigitWords[ch - '0']);
        add(std::move(item));
      }
    }
  }
  if (voices.librivox) {
    for (eval::LibriClip& clip : eval::LibriVoxClips()) {
      Item item{"librivox", "librivox", std::move(clip.audio), 0, 0};
      add(std::move(item));
    }
  }

  if (!g_dump.empty()) {
    Dump(items, g_dump);
    return 0;
  }
  std::printf("## De-identification, audio: set %s, seed %u (%zu utterances)\n\n", set.c_str(),
              seed, items.size());
  std::printf("Voices:");
  for (const auto& [name, speak] : voices.synthetic) std::printf(" %s;", name.c_str());
  std::printf(" FSDD");
  for (const auto& s : voices.fsdd_speakers) std::printf(" %s", s.c_str());
  std::printf("%s\n\n", voices.librivox ? "; LibriVox (5 clips)" : "");
  std::printf(
      "| policy | requests without PII: audio / words bleeped | wake phrase bleeped | "
      "around a number, audio / words bleeped (synthetic; FSDD) | digits leaked, net of tone "
      "(synthetic / FSDD) | raw after / tone | LibriVox: audio / words bleeped |\n"
      "|---|---|---|---|---|---|---|\n");
  std::string default_line;
  for (const Policy& policy : Policies()) {
    Tally t;
    const bool is_default = policy.name == "default";
    for (const Item& item : items) Score(item, policy, judges, is_default, t);
    auto word_share = [&t](const char* kind) {
      const auto it = t.words.find(kind);
      return it == t.words.end() ? 0.0 : Share(it->second.first, it->second.second);
    };
    char libri[64] = "-";
    if (voices.librivox) {
      std::snprintf(libri, sizeof libri, "%.3f / %.3f", Share(t.libri_bleeped, t.libri_samples),
                    word_share("librivox"));
    }
    std::printf("| %s%s | %.3f / %.3f | %d / %d | %.3f / %.3f; %.3f / %.3f | %.3f (%d/%d) / "
                "%.3f (%d/%d) | %d/%d, %d/%d | %s |\n",
                is_default ? "**default**" : policy.name.c_str(), "",
                Share(t.clean_bleeped, t.clean_samples), word_share("clean"), t.wake_bleeped,
                t.wake_total, Share(t.synthetic.context_bleeped, t.synthetic.context_samples),
                word_share("number"), Share(t.fsdd.context_bleeped, t.fsdd.context_samples),
                word_share("fsdd"), Share(t.synthetic.net, t.synthetic.pii), t.synthetic.net,
                t.synthetic.pii, Share(t.fsdd.net, t.fsdd.pii), t.fsdd.net, t.fsdd.pii,
                t.synthetic.after, t.synthetic.tone, t.fsdd.after, t.fsdd.tone, libri);
    if (is_default) {
      char line[256];
      std::snprintf(line, sizeof line,
                    "\nDefault policy, general recognizer as the judge: %d of %d digits heard in "
                    "the originals' numbers, %d after redaction (the digits judge heard %d in the "
                    "originals).\n",
                    t.general_before, t.synthetic.pii + t.fsdd.pii, t.general_after,
                    t.digits_before);
      default_line = line;
    }
  }
  std::printf("%s", default_line.c_str());
  return 0;
}
