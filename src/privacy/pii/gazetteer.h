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

namespace earshot::privacy::pii {

bool IsGivenName(const std::string& w);      // unambiguous given names
bool IsAmbiguousName(const std::string& w);  // given names that are also common words
bool IsSurname(const std::string& w);

bool IsStreetSuffix(const std::string& w);    // "street", "st", "avenue", "road", ...
bool IsUnitWord(const std::string& w);        // "apartment", "apt", "unit", "suite", ...
bool IsTopLevelDomain(const std::string& w);  // "com", "org", "net", "io", "uk", ...
bool IsStopWord(const std::string& w);        // function words that end a name or address

}  // namespace earshot::privacy::pii
