// Wake-word gate quality on a generated set: the four flite voices say
// requests with the wake phrase, without it, and with confusable phrases.
// Prints false rejects and false accepts per threshold.
//
//   build/bin/wake_eval [--phrase "hey computer"]
#include <cstdio>
#include <string>
#include <vector>

#include "ingest/wake_gate.h"
#include "synth/flite_voice.h"

int main(int argc, char** argv) {
  using namespace earshot;
  std::string phrase = "hey computer";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--phrase") phrase = argv[i + 1];
  }
  const std::vector<std::string> requests = {"what is the weather tomorrow",
                                             "set a timer for ten minutes",
                                             "play some jazz",
                                             "call my sister",
                                             "turn off the kitchen lights",
                                             "what time is it",
                                             "add milk to my shopping list",
                                             "how far is the moon",
                                             "remind me to water the plants",
                                             "read me the news"};
  const std::vector<std::string> confusable_prefixes = {
      "hey commuter", "they computed", "a computer", "hey come pewter", "hey compute her"};
  std::printf(
      "| threshold | false rejects (wake + request) | false accepts (request alone) | "
      "false accepts (confusable) |\n|---|---|---|---|\n");
  for (double threshold : {1e-30, 1e-25, 1e-20, 1e-15, 1e-10}) {
    ingest::StreamSpec spec;
    spec.wake_word = phrase;
    spec.wake_threshold = threshold;
    int wake_total = 0, rejects = 0, plain_total = 0, plain_accepts = 0, conf_total = 0,
        conf_accepts = 0;
    for (const auto& voice : synth::VoiceNames()) {
      for (size_t i = 0; i < requests.size(); ++i) {
        auto with = synth::Speak(voice, phrase + " " + requests[i]);
        auto without = synth::Speak(voice, requests[i]);
        auto confusable = synth::Speak(
            voice, confusable_prefixes[i % confusable_prefixes.size()] + " " + requests[i]);
        if (!with.ok() || !without.ok() || !confusable.ok()) return 1;
        auto a = ingest::WakeWordHeard(spec, *with);
        auto b = ingest::WakeWordHeard(spec, *without);
        auto c = ingest::WakeWordHeard(spec, *confusable);
        if (!a.ok() || !b.ok() || !c.ok()) return 1;
        ++wake_total;
        rejects += !*a;
        ++plain_total;
        plain_accepts += *b;
        ++conf_total;
        conf_accepts += *c;
      }
    }
    std::printf("| %.0e | %d / %d | %d / %d | %d / %d |\n", threshold, rejects, wake_total,
                plain_accepts, plain_total, conf_accepts, conf_total);
  }
  return 0;
}
