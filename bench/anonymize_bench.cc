// Anonymizer speed in multiples of real time per core, side by side in the
// same run with a common quick disguise on the same 10 s clips: Debian's sox
// `pitch -400`. sox runs as a process per clip (as people use it), so its
// start-up and file I/O are measured too and reported separately: `sox IN OUT`
// without an effect on the same files.
//
//   build/bin/anonymize_bench [--clips 8] [--chain mcadams]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "audio/decode.h"
#include "eval_corpus.h"
#include "privacy/anonymize/anonymizer.h"
#include "synth/flite_voice.h"
#include "util/fs.h"

namespace {

using namespace earshot;
using eval::RunProcess;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// 10 s of speech: sentences by one voice, joined and cut (or padded) to 10 s.
audio::Pcm16 TenSeconds(const std::string& voice) {
  const char* kText[] = {"remind me to buy milk and bread on the way home tonight",
                         "what is the weather going to be like in the city tomorrow",
                         "play some quiet music in the kitchen and turn the lights down"};
  audio::Pcm16 out;
  for (int i = 0; out.samples.size() < 160000; ++i) {
    auto part = synth::Speak(voice, kText[i % 3]);
    if (!part.ok()) break;
    out.samples.insert(out.samples.end(), part->samples.begin(), part->samples.end());
  }
  out.samples.resize(160000);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int clips = 8;
  privacy::anonymize::AnonymizeSettings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--clips") clips = std::atoi(argv[i + 1]);
    if (flag == "--chain") settings.chain = argv[i + 1];
  }
  char dir_template[] = "/tmp/earshot-anon-bench-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  std::vector<audio::Pcm16> audio;
  std::vector<std::string> paths;
  for (int c = 0; c < clips; ++c) {
    const auto& voices = synth::VoiceNames();
    audio.push_back(TenSeconds(voices[c % voices.size()]));
    paths.push_back(dir + "/clip" + std::to_string(c) + ".wav");
    if (!WriteFileDurable(paths.back(), audio::EncodeWav(audio.back()), 0600).ok()) return 1;
  }
  const double audio_s = clips * 10.0;

  auto start = Clock::now();
  int64_t sink = 0;
  for (int c = 0; c < clips; ++c) {
    auto out = privacy::anonymize::Anonymize(audio[c], settings, static_cast<uint64_t>(c));
    if (!out.ok()) return 1;
    sink += out->samples[out->samples.size() / 2];
  }
  const double ours = Seconds(start);

  start = Clock::now();
  for (const auto& p : paths) {
    if (!RunProcess({"sox", p, p + ".pitch.wav", "pitch", "-400"})) return 1;
  }
  const double sox = Seconds(start);
  start = Clock::now();
  for (const auto& p : paths) {
    if (!RunProcess({"sox", p, p + ".copy.wav"})) return 1;
  }
  const double sox_copy = Seconds(start);
  RunProcess({"rm", "-rf", dir});

  std::printf("%d clips of 10 s (flite voices), one core; chain %s (checksum %lld)\n", clips,
              settings.chain.c_str(), static_cast<long long>(sink));
  std::printf("%-36s %9.1f ms/clip %9.0fx real time\n", "earshot anonymize (in process)",
              ours * 1000 / clips, audio_s / ours);
  std::printf("%-36s %9.1f ms/clip %9.0fx real time\n", "sox pitch -400 (process per clip)",
              sox * 1000 / clips, audio_s / sox);
  std::printf("%-36s %9.1f ms/clip\n", "  of which sox start-up and file I/O",
              sox_copy * 1000 / clips);
  const double sox_effect = std::max(sox - sox_copy, 1e-9);
  std::printf("%-36s %9.1f ms/clip %9.0fx real time\n", "sox pitch -400, effect alone",
              sox_effect * 1000 / clips, audio_s / sox_effect);
  std::printf("ratio earshot / sox (speed, effect alone): %.2f\n", sox_effect / ours);
  return 0;
}
