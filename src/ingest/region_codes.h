// Region codes of streams and of review pauses: an ISO 3166-1 alpha-2
// country code (the 249 officially assigned, as in Debian's iso-codes 4.15)
// or one of a few unions (kRegionUnions). Typed in any case, kept and shown
// in upper case, so "eu" and "EU" are one region. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace earshot::ingest {

// The unions a stream may be placed in besides a country: "EU" (the
// European Union, exceptionally reserved for it in ISO 3166-1) and "EEA"
// (the European Economic Area: the EU, Iceland, Liechtenstein, Norway).
inline constexpr std::string_view kRegionUnions[] = {"EU", "EEA"};

// `typed` upper-cased with surrounding spaces dropped, if that is a country
// code or a union; otherwise InvalidArgument("bad_region") whose message
// names the text and what would be accepted (and GB for "UK").
Result<std::string> NormalizeRegionCode(std::string_view typed);

// ASCII upper case of `text` (other bytes unchanged).
std::string AsciiUpper(std::string_view text);

}  // namespace earshot::ingest
