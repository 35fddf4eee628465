// The raw name lists behind gazetteer.h (whitespace-separated, lower case).
// Internal to pii/.
#pragma once

#include <string_view>

namespace earshot::privacy::pii {

extern const std::string_view kGivenNames;
extern const std::string_view kAmbiguousNames;
extern const std::string_view kSurnames;

}  // namespace earshot::privacy::pii
