#include "pii_gen/values.h"

#include <algorithm>
#include <cctype>

#include "pii_gen/word_lists.h"

namespace earshot::bench::piigen {
namespace {

std::string Joined(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A country's numbers: country code, national significant number pattern
// (digits; 'x' random, 'y' 2-9), how it is grouped, and whether the national
// form has a trunk 0.
struct Country {
  const char* code;
  const char* pattern;
  std::vector<int> groups;
  bool trunk_zero;
  bool pairs_habit;  // said in pairs (France)
};

const std::vector<Country>& Countries() {
  static const std::vector<Country> k = {
      {"1", "yxxyxxxxxx", {3, 3, 4}, false, false},          // US, Canada
      {"44", "7yxxxxxxxx", {4, 6}, true, false},             // UK mobile
      {"44", "20yxxxxxxx", {2, 4, 4}, true, false},          // London
      {"91", "9xxxxxxxxx", {5, 5}, true, false},             // India
      {"49", "15yxxxxxxxx", {4, 7}, true, false},            // Germany mobile
      {"33", "6xxxxxxxx", {1, 2, 2, 2, 2}, true, true},      // France
      {"55", "11" "9xxxxxxxx", {2, 5, 4}, false, false},     // Brazil, Sao Paulo
      {"234", "803xxxxxxx", {3, 3, 4}, true, false},         // Nigeria
      {"81", "90xxxxxxxx", {2, 4, 4}, true, false},          // Japan
      {"61", "4xxxxxxxx", {3, 3, 3}, true, false},           // Australia
      {"52", "55xxxxxxxx", {2, 4, 4}, false, false},         // Mexico City
      {"86", "13xxxxxxxxx", {3, 4, 4}, true, false},         // China
  };
  return k;
}

}  // namespace

std::string Values::Letters(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + say_.Int(0, 25)));
  return out;
}

std::string Values::Given() { return say_.Pick(say_.Pick(Cultures()).given); }
std::string Values::Family() { return say_.Pick(say_.Pick(Cultures()).family); }

Pieces Values::Phone(std::string& kind) {
  const Country& c = say_.Pick(Countries());
  std::string nsn;
  for (const char* p = c.pattern; *p; ++p) {
    if (*p == 'x') {
      nsn += RandomDigits(rng_, 1);
    } else if (*p == 'y') {
      nsn += std::to_string(say_.Int(2, 9));
    } else {
      nsn.push_back(*p);
    }
  }
  const bool international = say_.Chance(0.55);
  kind += std::string("+") + c.code + (international ? "/intl" : "/national");
  if (say_.Chance(0.15)) {  // written, as a product hypothesis holds it
    kind += "/written";
    std::string g1 = nsn.substr(0, static_cast<size_t>(c.groups[0]));
    std::string rest = nsn.substr(g1.size());
    if (international) return {{{std::string("+") + c.code, g1, rest}, Label::kPhone}};
    if (std::string(c.code) == "1") {
      return {{{"(" + g1 + ")", rest.substr(0, 3) + "-" + rest.substr(3)}, Label::kPhone}};
    }
    return {{{(c.trunk_zero ? "0" : "") + g1 + "-" + rest}, Label::kPhone}};
  }
  Words w;
  if (international) {
    const int how = say_.Int(0, 9);
    if (how < 6) {
      w.push_back("plus");
    } else if (how < 8) {
      Append(w, {"double", "oh"});  // the 00 international prefix
      kind += "/00";
    } else {
      Append(w, {"country", "code"});
    }
    const std::string cc = c.code;
    Append(w, cc.size() == 1 || say_.Chance(0.5) ? say_.DigitByDigit(cc, false)
                                                 : say_.Cardinal(std::stoi(cc)));
  } else if (c.trunk_zero) {
    w.push_back(say_.Chance(0.7) ? "oh" : "zero");
  }
  size_t at = 0;
  for (int g : c.groups) {
    const std::string part = nsn.substr(at, static_cast<size_t>(g));
    at += static_cast<size_t>(g);
    Append(w, c.pairs_habit && say_.Chance(0.6) ? say_.Pairs(part) : say_.Group(part));
  }
  return {{w, Label::kPhone}};
}

Pieces Values::Card(std::string& kind, bool* amex) {
  const int brand = say_.Int(0, 3);
  static const char* const kPrefix[4] = {"4", "5", "37", "6011"};
  const std::string prefix = brand == 1 ? "5" + std::to_string(say_.Int(1, 5)) : kPrefix[brand];
  *amex = brand == 2;
  const std::string d = LuhnComplete(rng_, prefix, *amex ? 15 : 16);
  const std::vector<int> groups = *amex ? std::vector<int>{4, 6, 5} : std::vector<int>{4, 4, 4, 4};
  const int how = say_.Int(0, 9);
  Words w;
  size_t at = 0;
  for (int g : groups) {
    const std::string part = d.substr(at, static_cast<size_t>(g));
    at += static_cast<size_t>(g);
    if (how == 0) {
      w.push_back(part);  // written in groups
    } else if (how < 4 && g == 4) {
      Append(w, say_.Pairs(part));
    } else {
      Append(w, say_.DigitByDigit(part));
    }
  }
  if (how == 9) w = {d};
  kind += how == 0 || how == 9 ? "/written" : how < 4 ? "/pairs" : "/digits";
  return {{w, Label::kCard}};
}

Pieces Values::CardEnding(std::string& kind) {
  kind += "/ending";
  return {{say_.DigitByDigit(RandomDigits(rng_, 4)), Label::kCard}};
}

Pieces Values::Expiry(std::string& kind) {
  const int m = say_.Int(1, 12), y = say_.Int(25, 33);
  const std::string mm = (m < 10 ? "0" : "") + std::to_string(m), yy = std::to_string(y);
  Words w;
  switch (say_.Int(0, 6)) {
    case 0: w = say_.Pairs(mm + yy); kind += "/mmyy"; break;  // oh four twenty seven
    case 1:
      w = say_.Chance(0.5) ? say_.Cardinal(m) : say_.Pairs(mm);
      w.push_back("slash");
      Append(w, say_.Pairs(yy));
      kind += "/slash";
      break;
    case 2:
      w = {kMonths[m - 1]};
      Append(w, say_.Chance(0.5) ? say_.Year(2000 + y, false) : say_.Pairs(yy));
      kind += "/month";
      break;
    case 3: w = say_.DigitByDigit(mm + yy, false); kind += "/digits"; break;
    case 4: w = {mm + "/" + yy}; kind += "/written"; break;
    case 5:
      w = say_.Cardinal(m);
      Append(w, say_.Pairs(yy));
      kind += "/m-yy";
      break;
    default:
      w = say_.Pairs(mm);
      Append(w, say_.Year(2000 + y, false));
      kind += "/mm-yyyy";
  }
  return {{w, Label::kCardExpiry}};
}

Pieces Values::Cvc(std::string& kind, bool amex) {
  kind += amex ? "/cvc4" : "/cvc";
  const std::string d = RandomDigits(rng_, amex ? 4 : 3);
  Words w = say_.Chance(0.7) ? say_.DigitByDigit(d, false) : say_.Group(d);
  if (say_.Chance(0.1)) w = {d};
  return {{w, Label::kCardCvc}};
}

Pieces Values::NationalId(std::string& kind) {
  const int how = say_.Int(0, 4);
  if (how <= 1) {  // US social security number, 3-2-4
    const std::string a = RandomDigits(rng_, 3, true), b = RandomDigits(rng_, 2),
                      c = RandomDigits(rng_, 4);
    kind += "/ssn";
    if (how == 1 && say_.Chance(0.4)) return {{{a + "-" + b + "-" + c}, Label::kIdNumber}};
    Words w = say_.DigitByDigit(a);
    const bool dashes = say_.Chance(0.3);
    if (dashes) w.push_back("dash");
    Append(w, say_.DigitByDigit(b));
    if (dashes) w.push_back("dash");
    Append(w, say_.Chance(0.3) ? say_.Pairs(c) : say_.DigitByDigit(c));
    return {{w, Label::kIdNumber}};
  }
  if (how == 2) {  // UK national insurance: two letters, six digits, a letter
    kind += "/nino";
    Words w = say_.Spell(Letters(2));
    Append(w, say_.Chance(0.5) ? say_.Pairs(RandomDigits(rng_, 6)) : say_.DigitByDigit(RandomDigits(rng_, 6)));
    w.push_back(std::string(1, "abcd"[say_.Int(0, 3)]));
    return {{w, Label::kIdNumber}};
  }
  kind += "/aadhaar";  // twelve digits in fours
  Words w;
  for (int g = 0; g < 3; ++g) Append(w, say_.Group(RandomDigits(rng_, 4, g == 0)));
  return {{w, Label::kIdNumber}};
}

Words Values::SayCode(const std::string& code) {
  Words w;
  size_t i = 0;
  while (i < code.size()) {
    size_t j = i;
    const bool digit = std::isdigit(static_cast<unsigned char>(code[i])) != 0;
    while (j < code.size() && (std::isdigit(static_cast<unsigned char>(code[j])) != 0) == digit &&
           code[j] != '-') {
      ++j;
    }
    if (j == i) {
      Append(w, say_.Separator(code[i]));
      ++i;
      continue;
    }
    const std::string part = code.substr(i, j - i);
    Append(w, digit ? (part.size() >= 2 && say_.Chance(0.25) ? say_.Pairs(part)
                                                             : say_.DigitByDigit(part))
                    : say_.Spell(part));
    i = j;
  }
  return w;
}

Pieces Values::Code(std::string& kind) {
  std::string code;
  switch (say_.Int(0, 4)) {
    case 0: code = Letters(2) + RandomDigits(rng_, say_.Int(6, 8)); kind += "/policy"; break;
    case 1: code = Letters(1) + RandomDigits(rng_, 7); kind += "/passport"; break;
    case 2:  // booking reference: six letters and digits, at least two digits
      for (int i = 0; i < 6; ++i) code += i % 3 == 1 ? RandomDigits(rng_, 1) : Letters(1);
      kind += "/booking";
      break;
    case 3: code = Letters(3) + "-" + RandomDigits(rng_, 5); kind += "/dashed"; break;
    default:
      code = Letters(1) + RandomDigits(rng_, 3) + Letters(2) + RandomDigits(rng_, 2);
      kind += "/mixed";
  }
  if (say_.Chance(0.15)) {
    kind += "/written";
    return {{{Upper(code)}, Label::kIdNumber}};
  }
  return {{SayCode(code), Label::kIdNumber}};
}

Pieces Values::Address(std::string& kind) {
  const int number = say_.Chance(0.3) ? say_.Int(1, 99) : say_.Int(100, 9999);
  const std::string digits = std::to_string(number);
  Pieces out;
  Words w;
  const bool written = say_.Chance(0.15);
  if (written) {
    w.push_back(digits);
    kind += "/written";
  } else {
    const int how = say_.Int(0, 2);
    w = how == 0 ? say_.Cardinal(number) : how == 1 ? say_.Pairs(digits) : say_.DigitByDigit(digits);
  }
  Append(w, SplitSpaces(say_.Pick(StreetNames())));
  w.push_back(say_.Pick(StreetSuffixes()));
  if (say_.Chance(0.4)) {  // a unit
    static const List kUnit = {"apartment", "apt", "unit", "suite", "flat"};
    w.push_back(say_.Pick(kUnit));
    const int u = say_.Int(1, 40);
    const std::string letter(1, static_cast<char>('a' + say_.Int(0, 5)));
    switch (say_.Int(0, 2)) {
      case 0: Append(w, say_.Cardinal(u)); break;
      case 1: Append(w, say_.Cardinal(u)); w.push_back(letter); kind += "/unit-letter"; break;
      default:
        if (written) {
          w.push_back(std::to_string(u) + letter);
        } else {
          w.push_back(letter);
          kind += "/unit-only-letter";
        }
    }
  }
  out.push_back({w, Label::kAddress});
  if (say_.Chance(0.4)) out.push_back({SplitSpaces(say_.Pick(Cities())), Label::kAddress, true});
  if (say_.Chance(0.5)) {
    Words z;
    switch (say_.Int(0, 3)) {
      case 0: z = say_.DigitByDigit(RandomDigits(rng_, 5)); kind += "/zip"; break;
      case 1:  // UK postcode "s w one a two b b"
        z = say_.Spell(Letters(say_.Int(1, 2)) + RandomDigits(rng_, 1) + RandomDigits(rng_, 1) +
                       Letters(2));
        kind += "/uk-postcode";
        break;
      case 2:  // Canada "m five v three l nine"
        z = say_.Spell(Letters(1) + RandomDigits(rng_, 1) + Letters(1) + RandomDigits(rng_, 1) +
                       Letters(1) + RandomDigits(rng_, 1));
        kind += "/ca-postcode";
        break;
      default: z = say_.DigitByDigit(RandomDigits(rng_, 6, true)); kind += "/pin";
    }
    if (say_.Chance(0.2)) out.push_back({{"zip", "code"}, Label::kNone, true});
    out.push_back({z, Label::kAddress});
  }
  return out;
}

std::vector<std::string> Values::RandomDomain(bool personal) {
  static const std::vector<std::vector<std::string>> kTlds = {
      {"com"}, {"com"}, {"com"}, {"net"}, {"org"}, {"co", "uk"}, {"com", "au"}, {"co", "in"},
      {"de"},  {"fr"},  {"io"},  {"ng"},  {"com", "ng"}, {"com", "br"}, {"co", "jp"},
      {"ca"},  {"co", "za"}, {"org", "uk"}, {"nl"}, {"es"}};
  std::vector<std::string> labels;
  if (personal && say_.Chance(0.6)) {
    labels.push_back(Joined(say_.Pick(MailProviders())));
  } else {
    labels.push_back(say_.Pick(BrandWords()) + say_.Pick(BrandWords()));
    if (say_.Chance(0.15)) labels.insert(labels.begin(), "mail");
  }
  const auto& tld = say_.Pick(kTlds);
  labels.insert(labels.end(), tld.begin(), tld.end());
  return labels;
}

Words Values::SayDomain(const std::vector<std::string>& labels, std::string& kind) {
  Words w;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) w.push_back("dot");
    const std::string& l = labels[i];
    if (i == 0 && l == "gmail" && say_.Chance(0.5)) {
      Append(w, {"g", "mail"});
    } else if (i + 1 < labels.size() && l.size() > 4 && say_.Chance(0.2)) {
      Append(w, say_.Spell(l));
      kind += "/domain-spelled";
    } else if (l.size() <= 2 && l != "co" && say_.Chance(0.5)) {
      Append(w, say_.Spell(l));  // "dot i o", "dot n g"
    } else {
      w.push_back(l);
    }
  }
  return w;
}

Words Values::SayEmailLocal(const std::string& local) {
  // Each piece between separators: as a word, spelled, or split in two words.
  Words w;
  size_t i = 0;
  const int style = say_.Int(0, 2);  // 0 words, 1 spelled, 2 mixed
  bool first = true;
  while (i < local.size()) {
    size_t j = i;
    while (j < local.size() && std::isalnum(static_cast<unsigned char>(local[j]))) ++j;
    const std::string part = local.substr(i, j - i);
    const bool digits = !part.empty() && std::isdigit(static_cast<unsigned char>(part[0]));
    if (part.empty()) {
    } else if (digits) {
      Append(w, part.size() == 4 && say_.Chance(0.5) ? say_.Year(std::stoi(part), false)
                                                     : say_.DigitByDigit(part, false));
    } else if (style == 1 || (style == 2 && first) || part.size() == 1) {
      Append(w, say_.Spell(part));
    } else {
      w.push_back(part);
    }
    first = false;
    if (j < local.size()) Append(w, say_.Separator(local[j]));
    i = j + 1;
  }
  return w;
}

Pieces Values::Email(std::string& kind) {
  const std::string g = Joined(Given()), f = Joined(Family());
  std::string local;
  switch (say_.Int(0, 6)) {
    case 0: local = g + "." + f; break;
    case 1: local = g + f; break;
    case 2: local = g + "_" + f; break;
    case 3: local = g.substr(0, 1) + f; break;
    case 4: local = g + std::to_string(say_.Int(0, 1) ? say_.Int(1, 99) : say_.Int(1950, 2015)); break;
    case 5: local = f + "." + g; break;
    default: local = g + "-" + f;
  }
  const auto domain = RandomDomain(true);
  if (say_.Chance(0.15)) {
    std::string d;
    for (const auto& l : domain) d += (d.empty() ? "" : ".") + l;
    kind += "/written";
    return {{{local + "@" + d}, Label::kEmail}};
  }
  Words w = SayEmailLocal(local);
  w.push_back("at");
  Append(w, SayDomain(domain, kind));
  if (domain.size() > 2) kind += "/multi-tld";
  return {{w, Label::kEmail}};
}

Pieces Values::Url(std::string& kind) {
  auto domain = RandomDomain(false);
  if (say_.Chance(0.2)) domain[0] = Joined(Given()) + Joined(Family());  // a personal site
  const bool path = say_.Chance(0.4);
  std::string p1 = say_.Pick(Paths());
  if (say_.Chance(0.15)) {
    std::string d = say_.Chance(0.5) ? "www." : "";
    for (size_t i = 0; i < domain.size(); ++i) d += (i ? "." : "") + domain[i];
    if (path) d += "/" + Joined(p1);
    kind += "/written";
    return {{{d}, Label::kUrl}};
  }
  Words w;
  const int how = say_.Int(0, 3);
  if (how == 0 || how == 1) {
    if (how == 1) {
      Append(w, say_.Chance(0.5) ? Words{"h", "t", "t", "p", "s"} : Words{"https"});
      Append(w, {"colon", "slash", "slash"});
      kind += "/scheme";
    }
    Append(w, {"w", "w", "w", "dot"});
    kind += "/www";
  } else if (how == 2) {
    Append(w, {"https", "colon", "slash", "slash"});
    kind += "/scheme";
  }
  Append(w, SayDomain(domain, kind));
  if (path) {
    w.push_back("slash");
    Append(w, SplitSpaces(p1));
    if (p1 == "in" || p1 == "user") {  // a profile: linkedin dot com slash in slash name
      w.push_back("slash");
      Append(w, {Joined(Given()), say_.Chance(0.5) ? "dash" : "hyphen", Joined(Family())});
    }
    kind += "/path";
  }
  return {{w, Label::kUrl}};
}

}  // namespace earshot::bench::piigen
