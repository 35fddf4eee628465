// Requests that hold numbers, dates, cue words or name-like words but no
// personal data: times, quantities, prices, tracks and episodes, years of
// events, emergency numbers, temperatures, counts, scores, recipes, "call me
// later" and the like. Internal to pii_gen/.
#pragma once

#include <string>

#include "pii_gen/verbalize.h"

namespace earshot::bench::piigen {

// One whole distractor request; `kind` gets its family ("time", "price").
Words DistractorWords(Speaker& say, std::string& kind);

// A short harmless tail to put after a request ("after seven thirty").
Words DistractorTail(Speaker& say);

}  // namespace earshot::bench::piigen
