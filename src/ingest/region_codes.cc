#include "ingest/region_codes.h"

#include <algorithm>
#include <array>

namespace earshot::ingest {
namespace {

// ISO 3166-1 alpha-2, officially assigned, sorted (from
// /usr/share/iso-codes/json/iso_3166-1.json, iso-codes 4.15.0).
constexpr std::array<std::string_view, 249> kCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

bool IsCountry(std::string_view code) {
  return std::binary_search(kCountries.begin(), kCountries.end(), code);
}

bool IsUnion(std::string_view code) {
  return std::find(std::begin(kRegionUnions), std::end(kRegionUnions), code) !=
         std::end(kRegionUnions);
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The typed text in an error message: printable ASCII only, at most 24
// characters, so a message never carries control bytes or a whole body.
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 24)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out + (s.size() > 24 ? "...\"" : "\"");
}

}  // namespace

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Result<std::string> NormalizeRegionCode(std::string_view typed) {
  const std::string code = AsciiUpper(Trimmed(typed));
  if (IsCountry(code) || IsUnion(code)) return code;
  if (code.empty()) {
    return InvalidArgument("bad_region",
                           "a region code is required: an ISO 3166-1 alpha-2 country code "
                           "(e.g. DE, US) or a union (EU, EEA)");
  }
  if (code == "UK") {
    return InvalidArgument("bad_region",
                           "\"UK\" is not an ISO 3166-1 code: the United Kingdom is GB");
  }
  return InvalidArgument("bad_region", Quoted(typed) +
                                           " is not a region code: use an ISO 3166-1 alpha-2 "
                                           "country code (e.g. DE, US, GB) or a union (EU, EEA), "
                                           "in any case");
}

}  // namespace earshot::ingest
