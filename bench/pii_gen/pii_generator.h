// A seeded generator of spoken requests with personal data in them, labelled
// word by word, for measuring the text PII detector (bench/pii_text_eval).
//
// Written apart from the detector and sharing nothing with it (no header from
// src/privacy/pii/, its own word lists and number wording): it models how
// people say phone numbers of many countries, card numbers with expiry and
// security code, national and alphanumeric ids, street addresses with units
// and postcodes, e-mail addresses and URLs, names of many cultures, and dates
// of birth across two centuries, inside assistant-style and conversational
// carrier sentences; and distractors that hold numbers or cue-like words but
// no personal data. Output is lower-case words as a recognizer writes them,
// and sometimes the written forms a product hypothesis holds ("555-0199",
// "anna.ng@mail.com"). Nothing generated is stored.
// Not thread-safe (one random engine per Generator).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace earshot::bench::piigen {

enum class Label {
  kNone,
  kPhone,
  kCard,
  kCardExpiry,
  kCardCvc,
  kIdNumber,  // national ids, policy and passport numbers, references
  kAddress,
  kEmail,
  kUrl,
  kName,
  kDateOfBirth,
};
constexpr int kLabelCount = 11;

// "PHONE", "CARD", "CARD_EXPIRY", ...
const char* LabelName(Label label);

struct Utterance {
  std::vector<std::string> words;
  std::vector<Label> labels;  // one per word
  // Words that belong with the personal data but are not it ("doctor" before
  // a name, the city of an address): neither counted as missed when left nor
  // as a false alarm when masked.
  std::vector<bool> soft;
  bool distractor = false;  // made to hold no personal data at all
  std::string kind;         // what made it, for debugging ("phone/in/plus")
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  // One utterance: a distractor with probability `distractor_share`, else one
  // or more personal items of a type drawn evenly.
  Utterance Next(double distractor_share = 0.3);
  Utterance Personal(Label type);
  Utterance Distractor();

 private:
  std::mt19937 rng_;
};

}  // namespace earshot::bench::piigen
