#include "eval_corpus.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "audio/decode.h"
#include "util/fs.h"

namespace earshot::eval {

const char* const kDigitWords[10] = {"zero", "one", "two",   "three", "four",
                                     "five", "six", "seven", "eight", "nine"};

Tokens Split(const std::string& s) {
  return privacy::pii::SplitWords(s);
}

std::vector<Utterance> Corpus::Make(int n) {
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

std::string Corpus::Digits(int n, bool luhn) {
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
Tokens Corpus::SayDigits(const std::string& d) {
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

bool Corpus::Luhn(const std::string& d) {
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

Utterance Corpus::Distractor() {
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

Utterance Corpus::WithPii(PiiType type) {
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
  static const std::vector<std::string> kYears = {"nineteen eighty",      "nineteen seventy two",
                                                  "nineteen ninety five", "two thousand three",
                                                  "nineteen sixty",       "nineteen eighty eight"};
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
      set(Of<std::string>({"remember", "write down", "note"}), SayDigits(Digits(5 + Pick(3))), "");
      break;
    }
    // Not generated: they are found by privacy/pii/known_identifiers.h, from a
    // recording's own identifiers, and tested there.
    case PiiType::kAccountId:
    case PiiType::kDeviceSerial:
    case PiiType::kCaptureTime:
    case PiiType::kIdToken: break;
  }
  return u;
}

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

Tokens Texts(const std::vector<asr::Word>& words) {
  Tokens t;
  for (const auto& w : words) t.push_back(w.text);
  return t;
}

// Real spoken digits: takes of one FSDD speaker joined, upsampled to 16 kHz.
std::optional<audio::Pcm16> FsddDigits(const std::string& dir, const std::string& speaker,
                                       const std::string& digits, Corpus& c, int take_from,
                                       int take_to) {
  audio::Pcm16 out;
  for (char d : digits) {
    const std::string path = dir + "/" + std::string(1, d) + "_" + speaker + "_" +
                             std::to_string(take_from + c.Pick(take_to - take_from)) + ".wav";
    auto bytes = ReadFile(path);
    if (!bytes.ok()) return std::nullopt;
    auto pcm = audio::DecodeToCanonical(*bytes);
    if (!pcm.ok()) return std::nullopt;
    out.samples.insert(out.samples.end(), pcm->samples.begin(), pcm->samples.end());
  }
  return out;
}

bool RunProcess(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<LibriClip> LibriVoxClips(const std::string& dir) {
  std::vector<LibriClip> clips;
  auto transcript = ReadFile(dir + "/transcription");
  if (!transcript.ok()) return clips;
  size_t pos = 0;
  while (pos < transcript->size()) {
    size_t nl = transcript->find('\n', pos);
    if (nl == std::string::npos) nl = transcript->size();
    const std::string line = transcript->substr(pos, nl - pos);
    pos = nl + 1;
    const size_t open = line.rfind('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    LibriClip clip;
    for (const auto& w : Split(line.substr(0, open))) {
      if (w != "<s>" && w != "</s>") clip.reference.push_back(w);
    }
    auto bytes = ReadFile(dir + "/" + line.substr(open + 1, close - open - 1) + ".wav");
    if (!bytes.ok()) continue;
    auto pcm = audio::DecodeToCanonical(*bytes);
    if (!pcm.ok()) continue;
    clip.audio = std::move(*pcm);
    clips.push_back(std::move(clip));
  }
  return clips;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace earshot::eval
