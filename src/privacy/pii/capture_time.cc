// The capture time of a recording as people write and say it (see
// known_identifiers.h for the forms).
#include <algorithm>
#include <cctype>
#include <ctime>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "privacy/pii/identifier_forms.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {
namespace {

using Words = std::vector<std::string>;

struct Clock {
  int hour;  // 0-23
  int minute;
};

struct Date {
  int year;
  int month;
  int day;
};

// The capture moment in the recording's local time and in UTC, a minute
// either side (clock skew; a recording that spans a minute boundary).
struct Moments {
  std::vector<Clock> clocks;
  std::vector<Date> dates;
};

Moments MomentsOf(const KnownIdentifiers& known) {
  std::set<std::pair<int, int>> clocks;
  std::set<std::tuple<int, int, int>> dates;
  int64_t secs = known.captured_at_ms / 1000;
  if (known.captured_at_ms % 1000 < 0) --secs;
  for (const int64_t offset_min : {int64_t{known.utc_offset_min}, int64_t{0}}) {
    for (int64_t d = -1; d <= 1; ++d) {
      const time_t t = static_cast<time_t>(secs + (offset_min + d) * 60);
      struct tm tm {};
      gmtime_r(&t, &tm);
      clocks.insert({tm.tm_hour, tm.tm_min});
      dates.insert({tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
    }
  }
  Moments m;
  for (const auto& [h, mi] : clocks) m.clocks.push_back({h, mi});
  for (const auto& [y, mo, d] : dates) m.dates.push_back({y, mo, d});
  return m;
}

enum class Half { kNone, kAm, kPm };

// "am", "p.m", "p m" at words[j]: the words it takes (0 if none).
size_t HalfAt(const Words& w, size_t j, Half* half) {
  *half = Half::kNone;
  if (j >= w.size()) return 0;
  if (w[j] == "am" || w[j] == "a.m") *half = Half::kAm;
  if (w[j] == "pm" || w[j] == "p.m") *half = Half::kPm;
  if (*half != Half::kNone) return 1;
  if ((w[j] == "a" || w[j] == "p") && j + 1 < w.size() && w[j + 1] == "m") {
    *half = w[j] == "a" ? Half::kAm : Half::kPm;
    return 2;
  }
  return 0;
}

// Whether h:m (12-hour where `half` says so, or where h <= 12 and it does
// not) is one of `clocks`.
bool ClockMatches(int h, int m, Half half, const std::vector<Clock>& clocks) {
  if (h < 0 || h > 23 || m < 0 || m > 59) return false;
  if (half != Half::kNone && (h < 1 || h > 12)) return false;
  for (const Clock& c : clocks) {
    if (c.minute != m) continue;
    if (half != Half::kNone) {
      if (h % 12 == c.hour % 12 && (half == Half::kPm) == (c.hour >= 12)) return true;
    } else if (h == c.hour || (h >= 1 && h <= 12 && h % 12 == c.hour % 12)) {
      return true;
    }
  }
  return false;
}

bool IsDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// An ISO 8601 date-time token ("2026-11-03t14:05:00z"): where its time starts.
std::optional<size_t> IsoTimeStart(std::string_view t) {
  if (t.size() > 11 && t[4] == '-' && t[7] == '-' && t[10] == 't') return 11;
  return std::nullopt;
}

struct WrittenTime {
  int hour;
  int minute;
  Half half;
};

// "14:05", "2:05pm", "14:05:30", "14:05:00.000z", the time of an ISO date-time.
std::optional<WrittenTime> WrittenClock(std::string_view t) {
  if (auto start = IsoTimeStart(t)) t = t.substr(*start);
  size_t p = 0;
  int h = 0;
  while (p < t.size() && p < 2 && IsDigit(t[p])) h = h * 10 + (t[p++] - '0');
  if (p == 0 || p + 3 > t.size() || t[p] != ':' || !IsDigit(t[p + 1]) || !IsDigit(t[p + 2])) {
    return std::nullopt;
  }
  const int m = (t[p + 1] - '0') * 10 + (t[p + 2] - '0');
  p += 3;
  if (p + 3 <= t.size() && t[p] == ':' && IsDigit(t[p + 1]) && IsDigit(t[p + 2])) {
    p += 3;  // seconds, and their fraction
    while (p < t.size() && (t[p] == '.' || IsDigit(t[p]))) ++p;
  }
  const std::string_view rest = t.substr(p);
  Half half = Half::kNone;
  if (rest == "am" || rest == "a.m") {
    half = Half::kAm;
  } else if (rest == "pm" || rest == "p.m") {
    half = Half::kPm;
  } else if (!rest.empty() && rest != "z" && rest != "h" && rest[0] != '+' && rest[0] != '-') {
    return std::nullopt;
  }
  return WrittenTime{h, m, half};
}

// A clock time said or written as a number at words[i]: "two oh five [p m]",
// "fourteen oh five", "1405 hours", "two pm", "two o'clock". Its end, or 0.
size_t NumberClockEnd(const Words& w, size_t i, const std::vector<Clock>& clocks) {
  if (w[i] == "oh" || w[i] == "o") return 0;
  for (size_t len = std::min<size_t>(4, w.size() - i); len > 0; --len) {
    bool year_like = false;  // "two thousand five" is a year, "two hundred five" a count
    for (size_t k = i; k < i + len; ++k) {
      year_like = year_like || w[k] == "thousand" || (w[k] == "hundred" && k + 1 != i + len);
    }
    std::string digits;
    if (year_like) {
      digits = "";
    } else if (len >= 2 && w[i + len - 1] == "hundred") {  // "fourteen hundred"
      const std::string hour = NumberCovering(w, i, len - 1);
      digits = hour.empty() || hour.size() > 2 ? "" : hour + "00";
    } else {
      digits = NumberCovering(w, i, len);
    }
    if (digits.empty() || digits.size() > 4) continue;
    size_t j = i + len;
    Half half = Half::kNone;
    j += HalfAt(w, j, &half);
    const bool oclock =
        half == Half::kNone && j < w.size() && (w[j] == "o'clock" || w[j] == "oclock");
    const bool hours = half == Half::kNone && j < w.size() && (w[j] == "hours" || w[j] == "hrs");
    int h = 0, m = 0;
    if (digits.size() >= 3) {
      // A bare written "2026" or "1405" is a year or a count, not a time.
      if (len == 1 && IsDigit(w[i][0]) && half == Half::kNone && !hours) continue;
      h = std::stoi(digits.substr(0, digits.size() - 2));
      m = std::stoi(digits.substr(digits.size() - 2));
    } else {
      if (half == Half::kNone && !oclock) continue;  // "two" alone is no time
      h = std::stoi(digits);
    }
    if (ClockMatches(h, m, half, clocks)) return j + (oclock || hours ? 1 : 0);
  }
  return 0;
}

struct Group {
  int value = 0;
  size_t len = 0;
};

// Whether token `t` writes one of `dates` with digits: "2026-11-03" (also as
// the date of an ISO date-time), "11/03/2026", "3.11.2026", "11/3/26", "11/03".
bool WrittenDateMatches(std::string_view t, const std::vector<Date>& dates) {
  if (IsoTimeStart(t)) t = t.substr(0, 10);
  std::vector<Group> g(1);
  char sep = 0;
  for (char c : t) {
    if (IsDigit(c)) {
      if (g.back().len == 4) return false;
      g.back().value = g.back().value * 10 + (c - '0');
      ++g.back().len;
    } else if ((c == '-' || c == '/' || c == '.') && g.back().len > 0 && (!sep || sep == c)) {
      sep = c;
      g.emplace_back();
    } else {
      return false;
    }
  }
  if (g.back().len == 0 || g.size() < 2 || g.size() > 3) return false;
  if (g.size() == 2 && sep == '.') return false;  // "3.11" is a number
  for (const Date& d : dates) {
    auto year = [&](const Group& y) {
      return (y.len == 4 && y.value == d.year) || (y.len == 2 && y.value == d.year % 100);
    };
    auto month_day = [&](const Group& mo, const Group& day) {
      return mo.len <= 2 && day.len <= 2 && mo.value == d.month && day.value == d.day;
    };
    const bool md = month_day(g[0], g[1]) || month_day(g[1], g[0]);  // M/D or D/M
    if (g.size() == 2 && md) return true;
    if (g.size() == 3 &&
        ((md && year(g[2])) || (year(g[0]) && g[0].len == 4 && month_day(g[1], g[2])))) {
      return true;
    }
  }
  return false;
}

// The year `year` said or written at words[j...] ("2026", "twenty twenty
// six", "two thousand twenty six"): the index past it, or j.
size_t YearEnd(const Words& w, size_t j, int year) {
  const std::string y = std::to_string(year);
  for (size_t len = std::min<size_t>(4, w.size() - std::min(j, w.size())); len > 0; --len) {
    if (NumberCovering(w, j, len) == y) return j + len;
  }
  return j;
}

// Whether words[j...] say a year (1900-2099) other than `year`.
bool OtherYearAt(const Words& w, size_t j, int year) {
  for (size_t len = std::min<size_t>(4, w.size() - std::min(j, w.size())); len > 0; --len) {
    const std::string digits = NumberCovering(w, j, len);
    if (digits.size() == 4 && (digits.rfind("19", 0) == 0 || digits.rfind("20", 0) == 0)) {
      return digits != std::to_string(year);
    }
  }
  return false;
}

// The date from `start` whose day-and-month ends at `after`, with the year
// if one follows; nullopt if another year follows ("3 nov 2025").
std::optional<Span> WithYear(const Words& w, size_t start, size_t after, int year) {
  const size_t end = YearEnd(w, after, year);
  if (end == after && OtherYearAt(w, after, year)) return std::nullopt;
  return Span{PiiType::kCaptureTime, start, end};
}

// A date with a month name at words[k] ("november third", "nov 3", "november
// the third 2026", "3 nov", "the third of november twenty twenty six").
std::optional<Span> MonthDateAt(const Words& w, size_t k, const Date& d) {
  if (MonthNumber(w[k]) != d.month) return std::nullopt;
  size_t used = 0;
  size_t j = k + 1;
  if (j < w.size() && w[j] == "the") ++j;
  if (auto day = ParseDay(w, j, &used); day && *day == d.day) {
    return WithYear(w, k, j + used, d.year);
  }
  const size_t before = k > 0 && w[k - 1] == "of" ? k - 1 : k;
  for (size_t len : {size_t{2}, size_t{1}}) {
    if (before < len) continue;
    size_t s = before - len;
    if (auto day = ParseDay(w, s, &used); day && used == len && *day == d.day) {
      if (s > 0 && w[s - 1] == "the") --s;
      return WithYear(w, s, k + 1, d.year);
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Span> CaptureTimeSpans(const Tokens& tokens, const KnownIdentifiers& known) {
  const Moments m = MomentsOf(known);
  const Words& w = tokens.norm;
  std::vector<Span> spans;
  auto add = [&spans](size_t start, size_t end) {
    if (start < end) spans.push_back({PiiType::kCaptureTime, start, end});
  };
  for (size_t i = 0; i < w.size(); ++i) {
    if (WrittenDateMatches(w[i], m.dates)) add(i, i + 1);
    if (auto c = WrittenClock(w[i])) {
      Half half = c->half;
      const size_t end = i + 1 + (half == Half::kNone ? HalfAt(w, i + 1, &half) : 0);
      if (ClockMatches(c->hour, c->minute, half, m.clocks)) {
        add(i, end);
      } else if (c->hour > 12 && ClockMatches(c->hour, c->minute, c->half, m.clocks)) {
        add(i, i + 1);  // "14:05" before a stray "pm"
      }
    }
    if (const size_t end = NumberClockEnd(w, i, m.clocks)) add(i, end);
    for (const Date& d : m.dates) {
      if (auto span = MonthDateAt(w, i, d)) add(span->start, span->end);
    }
  }
  return MergeSpans({spans});
}

}  // namespace earshot::privacy::pii
