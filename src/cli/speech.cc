// `earshot transcribe FILE`, `earshot deid IN OUT [--report]` and `earshot
// anonymize IN OUT`: the recognizer, the de-identification chain and the voice
// anonymizer on one local file, so a user can hear and read what a reviewer
// would get.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "cli/commands.h"
#include "pipeline/deid_chain.h"
#include "privacy/anonymize/anonymizer.h"
#include "util/fs.h"
#include "util/random.h"

namespace earshot::cli {
namespace {

audio::Pcm16 LoadOrExit(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) Fail(bytes.status());
  auto pcm = audio::DecodeToCanonical(*bytes, {10 * 60'000});
  if (!pcm.ok()) Fail(pcm.status());
  return std::move(pcm).value();
}

void WriteWavOrExit(const std::string& path, const audio::Pcm16& pcm) {
  Status st = WriteFileDurable(path, audio::EncodeWav(pcm), 0600);
  if (!st.ok()) Fail(st);
}

// --seed given: that seed; otherwise a fresh one from the CSPRNG.
uint64_t SeedOrRandom(const std::optional<uint64_t>& seed) {
  if (seed) return *seed;
  uint64_t s = 0;
  SecureRandom().Fill(reinterpret_cast<uint8_t*>(&s), sizeof s);
  return s;
}

// The anonymization options shared by `deid` and `anonymize`.
struct AnonymizeFlags {
  privacy::anonymize::AnonymizeSettings settings;
  std::optional<double> alpha;
  std::optional<uint64_t> seed;
};

void AddAnonymizeFlags(CLI::App* cmd, AnonymizeFlags& f) {
  cmd->add_option("--chain", f.settings.chain, "mcadams (default) or mcadams-vtl");
  cmd->add_option("--alpha", f.alpha, "A fixed McAdams coefficient instead of a random draw");
  cmd->add_option("--seed", f.seed, "Seed of the random draws (to reproduce a result)");
}

privacy::anonymize::AnonymizeSettings SettingsOrExit(const AnonymizeFlags& f) {
  privacy::anonymize::AnonymizeSettings s = f.settings;
  s.alpha = f.alpha;
  Status st = privacy::anonymize::ValidateSettings(s);
  if (!st.ok()) Fail(st);
  return s;
}

std::unique_ptr<asr::PocketsphinxRecognizer> RecognizerOrExit() {
  auto recognizer = asr::PocketsphinxRecognizer::Create();
  if (!recognizer.ok()) Fail(recognizer.status());
  return std::move(recognizer).value();
}

void AddTranscribe(CLI::App& app) {
  auto* cmd = app.add_subcommand("transcribe", "Print the words of an audio file with times");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("file", *file, "Audio file (WAV, FLAC, Ogg, Opus, MP3)")->required();
  cmd->add_flag("--json", *json, "One JSON object instead of lines");
  cmd->callback([=] {
    const audio::Pcm16 pcm = LoadOrExit(*file);
    auto words = RecognizerOrExit()->Recognize(pcm);
    if (!words.ok()) Fail(words.status());
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& w : *words) {
        out.push_back({{"w", w.text},
                       {"start", w.start_ms / 1000.0},
                       {"end", w.end_ms / 1000.0},
                       {"confidence", w.confidence}});
      }
      std::printf("%s\n", nlohmann::json{{"words", out}}.dump().c_str());
      return;
    }
    for (const auto& w : *words) {
      std::printf("%-16s %7.2f %7.2f  %.3f\n", w.text.c_str(), w.start_ms / 1000.0,
                  w.end_ms / 1000.0, w.confidence);
    }
  });
}

void AddDeid(CLI::App& app) {
  auto* cmd = app.add_subcommand("deid", "Run the de-identification chain on one file");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto report = std::make_shared<bool>(false);
  auto silence = std::make_shared<bool>(false);
  auto single_pass = std::make_shared<bool>(false);
  auto settings = std::make_shared<pipeline::DeidSettings>();
  auto anonymize = std::make_shared<AnonymizeFlags>();
  auto no_anonymize = std::make_shared<bool>(false);
  cmd->add_option("in", *in, "Input audio file")->required();
  cmd->add_option("out", *out, "Output WAV (16 kHz mono): redacted, then anonymized")->required();
  cmd->add_flag("--no-anonymize", *no_anonymize, "Keep the real voice (redaction only)");
  AddAnonymizeFlags(cmd, *anonymize);
  cmd->add_flag("--report", *report, "Print what was found and masked as JSON");
  cmd->add_flag("--silence", *silence, "Replace PII with silence instead of a 1 kHz tone");
  cmd->add_flag("--single-pass", *single_pass,
                "Skip the second listener (a digits grammar) for numbers the recognizer misses");
  cmd->add_option("--margin", settings->margin_ms, "Milliseconds bleeped around each span")
      ->check(CLI::Range(0, 1000));
  auto policy = std::make_shared<std::string>("gated");
  cmd->add_option("--second-pass", *policy,
                  "When a stretch the digits listener hears is taken for a number: gated "
                  "(default: scored where the recognizer fits the voice, else digits), scored "
                  "(against a phone loop), digits (every run of four heard digits)")
      ->check(CLI::IsMember({"gated", "scored", "digits"}));
  cmd->callback([=] {
    const audio::Pcm16 pcm = LoadOrExit(*in);
    auto recognizer = RecognizerOrExit();
    pipeline::DeidSettings s = *settings;
    if (*policy == "scored") s.second_pass = pipeline::SecondPassPolicy::Scored();
    if (*policy == "gated") s.second_pass = pipeline::SecondPassPolicy::Gated();
    if (*policy == "digits") s.second_pass = pipeline::SecondPassPolicy::Fallback();
    if (*silence) s.bleep = audio::BleepKind::kSilence;
    s.anonymize = SettingsOrExit(*anonymize);
    std::unique_ptr<asr::Recognizer> digits;
    if (!*single_pass) {
      if (s.second_pass.UsesScores()) {
        auto listener = asr::DigitListener::Create();
        if (!listener.ok()) Fail(listener.status());
        digits = std::move(listener).value();
      } else {
        auto grammar = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
        if (!grammar.ok()) Fail(grammar.status());
        digits = std::move(grammar).value();
      }
    }
    auto result = pipeline::RunDeid(pcm, std::nullopt, recognizer.get(), s, digits.get());
    if (!result.ok()) Fail(result.status());
    privacy::anonymize::AnonymizeReport anonymized;
    if (!*no_anonymize) {
      // The whole recording as one clip, so the output lines up with the spans.
      auto voice = privacy::anonymize::Anonymize(result->redacted, s.anonymize,
                                                 SeedOrRandom(anonymize->seed), &anonymized);
      if (!voice.ok()) Fail(voice.status());
      result->redacted = std::move(voice).value();
      result->stages_passed.insert(pipeline::Stage::kAnonymize);
    }
    WriteWavOrExit(*out, result->redacted);
    if (!*report) return;
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& sp : result->spans) {
      std::string text;
      for (size_t i = sp.start; i < sp.end; ++i) {
        text += (i > sp.start ? " " : "") + result->words[i].text;
      }
      spans.push_back({{"type", privacy::pii::TypeName(sp.type)},
                       {"start", result->words[sp.start].start_ms / 1000.0},
                       {"end", result->words[sp.end - 1].end_ms / 1000.0},
                       {"text", text}});
    }
    nlohmann::json clips = nlohmann::json::array();
    for (const auto& c : result->clips) {
      clips.push_back({{"start", c.start_ms / 1000.0},
                       {"duration", c.audio.DurationMs() / 1000.0},
                       {"masked_text", c.masked_text}});
    }
    nlohmann::json rep = {{"transcript_source", result->transcript_source},
                          {"masked_text", result->masked_text},
                          {"spans", spans},
                          {"clips", clips},
                          {"stages_passed", pipeline::StageNames(result->stages_passed)}};
    if (!*single_pass) {
      // Which rule the second pass applied (SecondPassPolicy::min_sure_share).
      rep["second_pass"] = {{"rule", result->scores_trusted ? "scored" : "digits"},
                            {"sure_share", pipeline::SureShare(result->words)}};
    }
    if (*no_anonymize) {
      rep["note"] = "not anonymized: a reviewer would never get this voice";
    } else {
      rep["anonymize"] = {{"chain", anonymized.chain}, {"alpha", anonymized.alpha}};
    }
    std::printf("%s\n", rep.dump(2).c_str());
  });
}

void AddAnonymize(CLI::App& app) {
  auto* cmd = app.add_subcommand("anonymize", "Anonymize the voice in one audio file");
  auto in = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto flags = std::make_shared<AnonymizeFlags>();
  cmd->add_option("in", *in, "Input audio file")->required();
  cmd->add_option("out", *out, "Output WAV (16 kHz mono)")->required();
  AddAnonymizeFlags(cmd, *flags);
  cmd->callback([=] {
    const privacy::anonymize::AnonymizeSettings s = SettingsOrExit(*flags);
    const audio::Pcm16 pcm = LoadOrExit(*in);
    privacy::anonymize::AnonymizeReport report;
    auto voice = privacy::anonymize::Anonymize(pcm, s, SeedOrRandom(flags->seed), &report);
    if (!voice.ok()) Fail(voice.status());
    WriteWavOrExit(*out, *voice);
    std::fprintf(stderr, "anonymized %.2f s with %s, alpha %.3f\n", pcm.DurationMs() / 1000.0,
                 report.chain.c_str(), report.alpha);
  });
}

}  // namespace

void AddSpeechCommands(CLI::App& app) {
  AddTranscribe(app);
  AddDeid(app);
  AddAnonymize(app);
}

}  // namespace earshot::cli
