// E-mail addresses and URLs, written ("anna.ng@mail.com", "www.x.co.uk")
// and said ("a n n a dot n g at g mail dot com", "h t t p s colon slash
// slash w w w dot example dot co dot uk slash login").
#include <cctype>
#include <string_view>
#include <vector>

#include "privacy/pii/detect.h"

namespace earshot::privacy::pii {
namespace {

bool IsDot(const Context& c, size_t i) { return c.Is(i, "dot") || c.Is(i, "."); }

// A word that can be (part of) a domain label or a local part.
bool LabelWord(const Context& c, size_t i) {
  if (i >= c.size() || c.w[i].empty()) return false;
  if (c.IsLetter(i)) return true;
  return !c.Has(i, kStop | kJoiner) && !c.Is(i, "at") && !c.Is(i, "slash") &&
         !c.Is(i, "colon");
}

// Index past a top-level domain at i: "com", or spelled ("i o", "c o m").
size_t TldEnd(const Context& c, size_t i) {
  if (c.Has(i, kTld)) return i + 1;
  std::string joined;
  size_t j = i;
  while (j < c.size() && j < i + 3 && c.IsLetter(j)) joined += c.w[j++];
  return j >= i + 2 && WordFlags(joined) & kTld ? j : 0;
}

// Index past one label at i: a run of spelled letters, or one or two words.
size_t LabelEnd(const Context& c, size_t i) {
  if (!LabelWord(c, i)) return 0;
  size_t j = i;
  while (j < c.size() && j < i + 16 && c.IsLetter(j)) ++j;
  if (j > i + 1) return j;  // "g m a i l"
  j = i + 1;
  if ((c.IsLetter(i) || (c.Is(j, "mail") && !c.Has(i, kCommon | kNameVerb))) &&
      LabelWord(c, j) && IsDot(c, j + 1)) {
    ++j;  // "g mail", "proton mail"
  }
  return j;
}

// Index past a spoken domain starting at `i` ("gmail dot com", "mail dot
// example dot co dot uk", "g mail dot c o m"), or 0 if there is none.
size_t SpokenDomainEnd(const Context& c, size_t i) {
  size_t j = LabelEnd(c, i);
  if (j == 0) return 0;
  size_t end = 0;
  for (int labels = 0; labels < 6 && IsDot(c, j); ++labels) {
    if (size_t t = TldEnd(c, j + 1)) {
      end = t;
      j = t;
      continue;
    }
    const size_t next = LabelEnd(c, j + 1);
    if (next == 0) break;
    j = next;
  }
  return end;
}

bool IsWrittenEmail(std::string_view w) {
  const size_t at = w.find('@');
  return at != std::string::npos && at > 0 && w.find('.', at) != std::string::npos;
}

bool IsWrittenUrl(std::string_view w) {
  if (w.rfind("http://", 0) == 0 || w.rfind("https://", 0) == 0 || w.rfind("www.", 0) == 0) {
    return true;
  }
  const size_t slash = w.find('/');
  const std::string_view host = w.substr(0, slash);
  const size_t dot = host.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= host.size()) return false;
  return std::isalpha(static_cast<unsigned char>(w[0])) &&
         (WordFlags(host.substr(dot + 1)) & kTld) != 0;
}

// Index past a URL path at i ("slash login", "slash in slash anna dash ng").
size_t PathEnd(const Context& c, size_t i) {
  size_t j = i;
  while (c.Is(j, "slash") && j + 1 < c.size() && !c.Is(j + 1, "and") && !c.Has(j + 1, kJoiner)) {
    j += 2;
    while (j + 1 < c.size() && (c.Has(j, kJoiner) || c.IsLetter(j)) && LabelWord(c, j + 1)) {
      j += c.Has(j, kJoiner) ? 2 : 1;
    }
  }
  return j;
}

// Index past "h t t p s colon slash slash" / "https colon slash slash" at i, or i.
size_t SchemeEnd(const Context& c, size_t i) {
  size_t j = i;
  if (c.Is(j, "http") || c.Is(j, "https")) {
    ++j;
  } else if (c.Is(j, "h") && c.Is(j + 1, "t") && c.Is(j + 2, "t") && c.Is(j + 3, "p")) {
    j += 4;
    if (c.Is(j, "s")) ++j;
  } else {
    return i;
  }
  if (c.Is(j, "colon") && c.Is(j + 1, "slash") && c.Is(j + 2, "slash")) return j + 3;
  return i;
}

// Index past "w w w dot" / "www dot" at i, or i.
size_t WwwEnd(const Context& c, size_t i) {
  if (c.Is(i, "w") && c.Is(i + 1, "w") && c.Is(i + 2, "w") && IsDot(c, i + 3)) return i + 4;
  if ((c.Is(i, "www") || c.Is(i, "dub")) && IsDot(c, i + 1)) return i + 2;
  return i;
}

void DetectSpokenEmails(const Context& c, Claims& claims) {
  for (size_t k = 1; k + 1 < c.size(); ++k) {
    if (!c.Is(k, "at")) continue;
    const size_t end = SpokenDomainEnd(c, k + 1);
    if (end == 0) continue;
    size_t start = k;
    // Spelled-out letters ("a n n a") count even where the letter is a word.
    auto local_part = [&](size_t x) {
      return c.IsLetter(x) || c.Has(x, kJoiner) ||
             (!c.Has(x, kStop | kEmailCue) && !c.Is(x, "at") && !claims.Taken(x) &&
              c.w[x].find('\'') == std::string::npos);  // "email's" is not a local part
    };
    while (start > 0 && local_part(start - 1) && k - start < 24) --start;
    if (start < k) claims.Add(PiiType::kEmail, start, end);
  }
}

void DetectSpokenUrls(const Context& c, Claims& claims) {
  for (size_t i = 0; i < c.size(); ++i) {
    if (claims.Taken(i)) continue;
    const size_t scheme = SchemeEnd(c, i);
    const size_t www = WwwEnd(c, scheme);
    // A bare domain right after "at" is an e-mail's (handled above) unless
    // no local part came before it ("find me at example dot com").
    const size_t end = SpokenDomainEnd(c, www);
    if (end == 0) continue;
    if (claims.Add(PiiType::kUrl, i, PathEnd(c, end))) i = end - 1;
  }
}

}  // namespace

void DetectEmailsAndUrls(const Context& c, Claims& claims) {
  // Written addresses and URLs hold a '.' ("www.x.com", "a@b.org").
  std::vector<bool> dotted(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    dotted[i] = c.w[i].find('.') != std::string::npos;
    if (dotted[i] && IsWrittenEmail(c.w[i])) claims.Add(PiiType::kEmail, i, i + 1);
  }
  if (c.has_dot) DetectSpokenEmails(c, claims);
  for (size_t i = 0; i < c.size(); ++i) {
    if (dotted[i] && !claims.Taken(i) && IsWrittenUrl(c.w[i])) {
      claims.Add(PiiType::kUrl, i, i + 1);
    }
  }
  if (c.has_dot) DetectSpokenUrls(c, claims);
}

}  // namespace earshot::privacy::pii
