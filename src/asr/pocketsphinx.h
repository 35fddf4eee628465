// The pocketsphinx backends (Debian's libpocketsphinx 5prealpha with the
// pocketsphinx-en-us model): general recognition, keyphrase spotting for wake
// words, and a grammar recognizer for spoken digit and letter runs.
// Not thread-safe: one instance per thread.
#pragma once

#include <memory>
#include <string>

#include "asr/recognizer.h"

struct ps_decoder_s;
struct cmd_ln_s;

namespace earshot::asr {

// Model files. Defaults are Debian's paths; EARSHOT_PS_MODEL_DIR overrides the
// directory holding en-us/, en-us.lm.bin and cmudict-en-us.dict.
struct PocketsphinxModel {
  std::string hmm_dir;
  std::string lm_path;
  std::string dict_path;
  std::string phone_lm_path;  // en-us-phone.lm.bin, for the allphone search
  static PocketsphinxModel Default();
};

// Owns one decoder and its configuration.
class PocketsphinxDecoder {
 public:
  ~PocketsphinxDecoder();
  PocketsphinxDecoder(const PocketsphinxDecoder&) = delete;
  PocketsphinxDecoder& operator=(const PocketsphinxDecoder&) = delete;

  // Unavailable("asr_model") if the model files are missing or unreadable.
  static Result<std::unique_ptr<PocketsphinxDecoder>> Create(const PocketsphinxModel& model,
                                                             const std::string& extra_flag = "",
                                                             const std::string& extra_value = "");
  ps_decoder_s* get() { return ps_; }

  // Decodes `pcm` with the active search; returns the words with times.
  Result<std::vector<Word>> Decode(const audio::Pcm16& pcm);

  // The acoustic score of the active search's best path per frame (each
  // segment's score spread evenly over its frames), for the utterance last
  // decoded, in pocketsphinx's acoustic score units. Fillers and silences
  // are included.
  std::vector<double> FrameScores();

 private:
  PocketsphinxDecoder() = default;
  cmd_ln_s* config_ = nullptr;
  ps_decoder_s* ps_ = nullptr;
};

// General large-vocabulary recognition with the en-us language model.
class PocketsphinxRecognizer final : public Recognizer {
 public:
  static Result<std::unique_ptr<PocketsphinxRecognizer>> Create(
      const PocketsphinxModel& model = PocketsphinxModel::Default());
  Result<std::vector<Word>> Recognize(const audio::Pcm16& pcm) override;

 private:
  std::unique_ptr<PocketsphinxDecoder> decoder_;
};

// Recognition constrained to a JSGF grammar (e.g. digits and letters only):
// a specialised listener that hears spoken numbers the general model misses.
class GrammarRecognizer final : public Recognizer {
 public:
  static Result<std::unique_ptr<GrammarRecognizer>> Create(
      const std::string& jsgf, const PocketsphinxModel& model = PocketsphinxModel::Default());
  Result<std::vector<Word>> Recognize(const audio::Pcm16& pcm) override;
  // A grammar of runs of spoken digits ("zero".."nine", "oh", "double",
  // "triple"): everything it hears is forced into digits, so it hears the
  // numbers a general model turns into words ("are you are you").
  static std::string DigitsGrammar();

 private:
  std::unique_ptr<PocketsphinxDecoder> decoder_;
};

// The digits grammar above, each heard word scored against a phone loop on
// the same frames (Word::phone_loop_llr): a second search on the same
// decoder, pocketsphinx's allphone search with context-independent phones
// and the en-us phone language model, is the "any speech" model, so a run of
// digits that is really other speech forced into digits stands out by its
// ratio, whatever the speaker or channel. Costs about 0.1x real time on top
// of the grammar (measured in bench/deid_audio_eval).
class DigitListener final : public Recognizer {
 public:
  static Result<std::unique_ptr<DigitListener>> Create(
      const PocketsphinxModel& model = PocketsphinxModel::Default());
  Result<std::vector<Word>> Recognize(const audio::Pcm16& pcm) override;
  // Frees the phone loop's last segment list, which Debian 12's pocketsphinx
  // (5prealpha) keeps until the next backtrace and never frees with the
  // decoder (found by LeakSanitizer, issue 12).
  ~DigitListener() override;

 private:
  std::unique_ptr<PocketsphinxDecoder> decoder_;
};

// Keyphrase spotting for wake words.
class KeyphraseSpotter {
 public:
  // `threshold` is pocketsphinx's -kws_threshold (e.g. 1e-20; smaller accepts more).
  static Result<std::unique_ptr<KeyphraseSpotter>> Create(
      const std::string& phrase, double threshold,
      const PocketsphinxModel& model = PocketsphinxModel::Default());
  // True if the phrase is heard within the first `window_ms` of `pcm`.
  Result<bool> Heard(const audio::Pcm16& pcm, int64_t window_ms);

 private:
  std::unique_ptr<PocketsphinxDecoder> decoder_;
};

}  // namespace earshot::asr
