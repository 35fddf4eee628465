#include "asr/pocketsphinx.h"

#include <pocketsphinx.h>
#include <sphinxbase/jsgf.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "util/fs.h"

namespace earshot::asr {
namespace {

constexpr int64_t kMsPerFrame = 10;  // pocketsphinx's default frame rate is 100/s

bool IsFiller(const std::string& w) {
  return w.empty() || w[0] == '<' || w[0] == '[' || w[0] == '+';
}

// "and(2)" -> "and": alternate pronunciations share a spelling.
std::string BaseWord(const char* w) {
  std::string s(w);
  const size_t paren = s.find('(');
  return paren == std::string::npos ? s : s.substr(0, paren);
}

struct JsgfFree {
  void operator()(jsgf_t* j) const { jsgf_grammar_free(j); }
};
struct FsgFree {
  void operator()(fsg_model_t* f) const { fsg_model_free(f); }
};

// ps_set_jsgf_string, minus its leak: Debian 12's pocketsphinx (5prealpha)
// never frees the grammar it parsed (found by the sanitizer suite, issue 11).
// Same steps otherwise: the public rule, the decoder's language weight, and
// the decoder keeps its own reference to the FSG.
bool SetJsgfSearch(ps_decoder_t* ps, const char* name, const std::string& jsgf) {
  std::unique_ptr<jsgf_t, JsgfFree> grammar(jsgf_parse_string(jsgf.c_str(), nullptr));
  if (!grammar) return false;
  jsgf_rule_t* rule = jsgf_get_public_rule(grammar.get());
  if (rule == nullptr) return false;
  const float lw = cmd_ln_float32_r(ps_get_config(ps), "-lw");
  std::unique_ptr<fsg_model_t, FsgFree> fsg(
      jsgf_build_fsg(grammar.get(), rule, ps_get_logmath(ps), lw));
  return fsg && ps_set_fsg(ps, name, fsg.get()) >= 0;
}

}  // namespace

PocketsphinxModel PocketsphinxModel::Default() {
  const char* env = std::getenv("EARSHOT_PS_MODEL_DIR");
  const std::string dir = env && *env ? env : "/usr/share/pocketsphinx/model/en-us";
  return {dir + "/en-us", dir + "/en-us.lm.bin", dir + "/cmudict-en-us.dict",
          dir + "/en-us-phone.lm.bin"};
}

PocketsphinxDecoder::~PocketsphinxDecoder() {
  if (ps_) ps_free(ps_);
  if (config_) cmd_ln_free_r(config_);
}

Result<std::unique_ptr<PocketsphinxDecoder>> PocketsphinxDecoder::Create(
    const PocketsphinxModel& model, const std::string& extra_flag, const std::string& extra_value) {
  for (const std::string& path : {model.hmm_dir + "/mdef", model.dict_path}) {
    if (!FileExists(path)) {
      return Unavailable("asr_model", "pocketsphinx model file missing: " + path +
                                          " (install pocketsphinx-en-us or set "
                                          "EARSHOT_PS_MODEL_DIR)");
    }
  }
  std::unique_ptr<PocketsphinxDecoder> d(new PocketsphinxDecoder());
  if (extra_flag.empty()) {
    d->config_ = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.hmm_dir.c_str(), "-dict",
                             model.dict_path.c_str(), "-logfn", "/dev/null", nullptr);
  } else {
    d->config_ = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.hmm_dir.c_str(), "-dict",
                             model.dict_path.c_str(), "-logfn", "/dev/null", extra_flag.c_str(),
                             extra_value.c_str(), nullptr);
  }
  if (d->config_ == nullptr) return Internal("asr_config", "pocketsphinx rejected its settings");
  d->ps_ = ps_init(d->config_);
  if (d->ps_ == nullptr) return Unavailable("asr_model", "pocketsphinx could not load the model");
  return d;
}

Result<std::vector<Word>> PocketsphinxDecoder::Decode(const audio::Pcm16& pcm) {
  if (pcm.sample_rate != audio::kCanonicalRate) {
    return InvalidArgument("bad_rate", "the recognizer needs 16 kHz audio");
  }
  if (ps_start_utt(ps_) < 0) return Internal("asr_failed", "pocketsphinx could not start");
  if (!pcm.samples.empty() &&
      ps_process_raw(ps_, pcm.samples.data(), pcm.samples.size(), FALSE, TRUE) < 0) {
    ps_end_utt(ps_);
    return Internal("asr_failed", "pocketsphinx failed to process audio");
  }
  if (ps_end_utt(ps_) < 0) return Internal("asr_failed", "pocketsphinx could not finish");
  std::vector<Word> words;
  logmath_t* lmath = ps_get_logmath(ps_);
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg != nullptr; seg = ps_seg_next(seg)) {
    const char* raw = ps_seg_word(seg);
    if (raw == nullptr) continue;
    const std::string w = BaseWord(raw);  // grammar null transitions read "(NULL)" -> ""
    if (IsFiller(w)) continue;
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    int32 ascr = 0, lscr = 0, lback = 0;
    const int32 post = ps_seg_prob(seg, &ascr, &lscr, &lback);
    double conf = logmath_exp(lmath, post);
    if (conf > 1.0) conf = 1.0;
    words.push_back({w, sf * kMsPerFrame, (ef + 1) * kMsPerFrame, conf});
  }
  return words;
}

std::vector<double> PocketsphinxDecoder::FrameScores() {
  std::vector<double> frames;
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg != nullptr; seg = ps_seg_next(seg)) {
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    if (sf < 0 || ef < sf) continue;
    int32 ascr = 0, lscr = 0, lback = 0;
    ps_seg_prob(seg, &ascr, &lscr, &lback);
    if (frames.size() < static_cast<size_t>(ef) + 1) frames.resize(static_cast<size_t>(ef) + 1, 0);
    const double per_frame = static_cast<double>(ascr) / (ef - sf + 1);
    for (int f = sf; f <= ef; ++f) frames[static_cast<size_t>(f)] += per_frame;
  }
  return frames;
}

Result<std::unique_ptr<PocketsphinxRecognizer>> PocketsphinxRecognizer::Create(
    const PocketsphinxModel& model) {
  std::unique_ptr<PocketsphinxRecognizer> r(new PocketsphinxRecognizer());
  ASSIGN_OR_RETURN(r->decoder_, PocketsphinxDecoder::Create(model, "-lm", model.lm_path));
  return r;
}

Result<std::vector<Word>> PocketsphinxRecognizer::Recognize(const audio::Pcm16& pcm) {
  return decoder_->Decode(pcm);
}

std::string GrammarRecognizer::DigitsGrammar() {
  return "#JSGF V1.0;\ngrammar digits;\n"
         "public <utt> = ( <item> )+ ;\n"
         "<item> = zero | oh | one | two | three | four | five | six | seven | eight | nine | "
         "double | triple ;\n";
}

Result<std::unique_ptr<GrammarRecognizer>> GrammarRecognizer::Create(
    const std::string& jsgf, const PocketsphinxModel& model) {
  std::unique_ptr<GrammarRecognizer> r(new GrammarRecognizer());
  ASSIGN_OR_RETURN(r->decoder_, PocketsphinxDecoder::Create(model));
  if (!SetJsgfSearch(r->decoder_->get(), "grammar", jsgf) ||
      ps_set_search(r->decoder_->get(), "grammar") < 0) {
    return InvalidArgument("bad_grammar", "pocketsphinx rejected the JSGF grammar");
  }
  return r;
}

Result<std::vector<Word>> GrammarRecognizer::Recognize(const audio::Pcm16& pcm) {
  return decoder_->Decode(pcm);
}

Result<std::unique_ptr<DigitListener>> DigitListener::Create(const PocketsphinxModel& model) {
  if (!FileExists(model.phone_lm_path)) {
    return Unavailable("asr_model", "pocketsphinx phone model missing: " + model.phone_lm_path +
                                        " (install pocketsphinx-en-us)");
  }
  std::unique_ptr<DigitListener> d(new DigitListener());
  // Context-independent phones: the triphone phone loop is about 100x slower
  // (40 s for 4 s of speech) for a garbage model that needs no such detail.
  ASSIGN_OR_RETURN(d->decoder_, PocketsphinxDecoder::Create(model, "-allphone_ci", "yes"));
  ps_decoder_t* ps = d->decoder_->get();
  if (!SetJsgfSearch(ps, "digits", GrammarRecognizer::DigitsGrammar()) ||
      ps_set_allphone_file(ps, "phones", model.phone_lm_path.c_str()) < 0) {
    return Unavailable("asr_model", "pocketsphinx rejected the digits or phone-loop search");
  }
  return d;
}

DigitListener::~DigitListener() {
  if (!decoder_) return;
  // An utterance with no frames: its backtrace clears the old list and finds
  // nothing to keep. Only the library's public calls; nothing to report if
  // they fail, as the decoder is freed next either way.
  ps_decoder_t* ps = decoder_->get();
  if (ps != nullptr && ps_set_search(ps, "phones") >= 0 && ps_start_utt(ps) >= 0) {
    ps_end_utt(ps);
  }
}

Result<std::vector<Word>> DigitListener::Recognize(const audio::Pcm16& pcm) {
  ps_decoder_t* ps = decoder_->get();
  if (ps_set_search(ps, "phones") < 0) return Internal("asr_failed", "no phone-loop search");
  ASSIGN_OR_RETURN(auto phones, decoder_->Decode(pcm));
  (void)phones;
  const std::vector<double> loop = decoder_->FrameScores();
  if (ps_set_search(ps, "digits") < 0) return Internal("asr_failed", "no digits search");
  ASSIGN_OR_RETURN(auto words, decoder_->Decode(pcm));
  // Each word's own acoustic score, segment by segment as Decode read them.
  const std::vector<double> grammar = decoder_->FrameScores();
  for (Word& w : words) {
    const size_t sf = static_cast<size_t>(w.start_ms / kMsPerFrame);
    const size_t ef = static_cast<size_t>(w.end_ms / kMsPerFrame);  // exclusive
    double diff = 0;
    size_t n = 0;
    for (size_t f = sf; f < ef && f < grammar.size(); ++f, ++n) {
      diff += grammar[f] - (f < loop.size() ? loop[f] : 0.0);
    }
    w.phone_loop_llr = n > 0 ? diff / static_cast<double>(n) : 0.0;
  }
  return words;
}

Result<std::unique_ptr<KeyphraseSpotter>> KeyphraseSpotter::Create(const std::string& phrase,
                                                                   double threshold,
                                                                   const PocketsphinxModel& model) {
  std::unique_ptr<KeyphraseSpotter> s(new KeyphraseSpotter());
  // std::to_string would print 1e-20 as "0.000000"; keep the exponent.
  char value[32];
  std::snprintf(value, sizeof value, "%.6g", threshold);
  ASSIGN_OR_RETURN(s->decoder_, PocketsphinxDecoder::Create(model, "-kws_threshold", value));
  if (ps_set_keyphrase(s->decoder_->get(), "wake", phrase.c_str()) < 0 ||
      ps_set_search(s->decoder_->get(), "wake") < 0) {
    return InvalidArgument("bad_wake_word",
                           "the wake word has a word the pronunciation dictionary lacks");
  }
  return s;
}

Result<bool> KeyphraseSpotter::Heard(const audio::Pcm16& pcm, int64_t window_ms) {
  audio::Pcm16 head;
  head.sample_rate = pcm.sample_rate;
  const size_t n =
      std::min(pcm.samples.size(), static_cast<size_t>(window_ms * pcm.sample_rate / 1000));
  head.samples.assign(pcm.samples.begin(), pcm.samples.begin() + static_cast<long>(n));
  ASSIGN_OR_RETURN(auto words, decoder_->Decode(head));
  return !words.empty();
}

}  // namespace earshot::asr
