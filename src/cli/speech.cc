// `earshot transcribe FILE` and `earshot deid IN OUT [--report]`: the
// recognizer and the de-identification chain on one local file, so a user can
// hear and read what a reviewer would get.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "cli/commands.h"
#include "pipeline/deid_chain.h"
#include "util/fs.h"

namespace earshot::cli {
namespace {

audio::Pcm16 LoadOrExit(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) Fail(bytes.status());
  auto pcm = audio::DecodeToCanonical(*bytes, {10 * 60'000});
  if (!pcm.ok()) Fail(pcm.status());
  return std::move(pcm).value();
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
  cmd->add_option("in", *in, "Input audio file")->required();
  cmd->add_option("out", *out, "Output WAV (16 kHz mono), the redacted audio")->required();
  cmd->add_flag("--report", *report, "Print what was found and masked as JSON");
  cmd->add_flag("--silence", *silence, "Replace PII with silence instead of a 1 kHz tone");
  cmd->add_flag("--single-pass", *single_pass,
                "Skip the second listener (a digits grammar) for numbers the recognizer misses");
  cmd->add_option("--margin", settings->margin_ms, "Milliseconds bleeped around each span")
      ->check(CLI::Range(0, 1000));
  cmd->callback([=] {
    const audio::Pcm16 pcm = LoadOrExit(*in);
    auto recognizer = RecognizerOrExit();
    pipeline::DeidSettings s = *settings;
    if (*silence) s.bleep = audio::BleepKind::kSilence;
    std::unique_ptr<asr::Recognizer> digits;
    if (!*single_pass) {
      auto grammar = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
      if (!grammar.ok()) Fail(grammar.status());
      digits = std::move(grammar).value();
    }
    auto result = pipeline::RunDeid(pcm, std::nullopt, recognizer.get(), s, digits.get());
    if (!result.ok()) Fail(result.status());
    Status st = WriteFileDurable(*out, audio::EncodeWav(result->redacted), 0600);
    if (!st.ok()) Fail(st);
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
    nlohmann::json rep = {
        {"transcript_source", result->transcript_source},
        {"masked_text", result->masked_text},
        {"spans", spans},
        {"clips", clips},
        {"stages_passed", result->stages_passed},
        {"stages_missing", nlohmann::json::array({"anonymize"})},
        {"note", "voice anonymization is not built yet: a reviewer would not get this clip"}};
    std::printf("%s\n", rep.dump(2).c_str());
  });
}

}  // namespace

void AddSpeechCommands(CLI::App& app) {
  AddTranscribe(app);
  AddDeid(app);
}

}  // namespace earshot::cli
