// Name gazetteers and the small word lists the detectors use. Internal to pii/.
//
// Source of the name lists: the most frequent given names and surnames of the
// US Census Bureau's name frequency lists (1990 census given names, 2010
// census surnames; US government works, public domain), top entries, plus a
// few common international given names added by hand. Names that are also
// everyday words ("will", "may", "grace", "austin") are kept apart and count
// as names only after a strong cue ("my name is ...").
#pragma once

#include <string>
#include <string_view>

namespace earshot::privacy::pii {

bool IsGivenName(std::string_view w);      // unambiguous given names
bool IsAmbiguousName(std::string_view w);  // given names that are also common words
bool IsSurname(std::string_view w);

bool IsStreetSuffix(std::string_view w);    // "street", "st", "avenue", "road", ...
bool IsUnitWord(std::string_view w);        // "apartment", "apt", "unit", "suite", ...
bool IsTopLevelDomain(std::string_view w);  // "com", "org", "net", "io", "uk", ...
bool IsStopWord(std::string_view w);        // function words that end a name or address

}  // namespace earshot::privacy::pii
