// The generator's own word lists (names of many cultures, streets, cities,
// domains). Written for the evaluation, independently of the detector's
// gazetteer (src/privacy/pii/gazetteer.cc), which this folder never includes:
// the names lean towards ones a census list of one country does not hold, so
// that what is measured is how the detector generalizes from cues.
// Thread-safe (read-only data).
#pragma once

#include <string>
#include <vector>

namespace earshot::bench::piigen {

using List = std::vector<std::string>;

// One culture's names, romanized, lower case; a name may hold a space
// ("de luca", "al rashid").
struct Culture {
  const char* label;
  List given;
  List family;
};

const std::vector<Culture>& Cultures();

const List& StreetNames();     // "linden", "cedar ridge", "martin luther king"
const List& StreetSuffixes();  // "street", "avenue", "grove", "mews", ...
const List& Cities();          // "leeds", "pune", "sao paulo"
const List& MailProviders();   // "gmail", "outlook", "proton mail" (said split)
const List& BrandWords();      // word pieces for company and site names
const List& Paths();           // url path words: "login", "account", "in"
const List& Foods();           // for recipe and shopping distractors
const List& Songs();           // titles of songs and shows, number free

}  // namespace earshot::bench::piigen
