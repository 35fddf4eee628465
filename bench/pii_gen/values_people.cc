// Names and dates of birth (see values.h).
#include <cstdio>

#include "pii_gen/values.h"
#include "pii_gen/word_lists.h"

namespace earshot::bench::piigen {
namespace {

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int month, int year) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && Leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

Pieces Values::Name(std::string& kind, int form) {
  const Culture& c = say_.Pick(Cultures());
  kind += std::string("/") + c.label;
  const Words given = SplitSpaces(say_.Pick(c.given));
  const Words family = SplitSpaces(say_.Pick(c.family));
  Words full = given;
  Append(full, family);
  switch (form) {
    case 0: kind += "/given"; return {{given, Label::kName}};
    case 1: kind += "/full"; return {{full, Label::kName}};
    case 2: {
      static const List kTitles = {"doctor", "dr", "mister", "mr", "mrs", "ms", "miss",
                                   "professor", "nurse", "officer", "pastor", "judge",
                                   "coach", "reverend", "madam"};
      kind += "/title";
      Pieces p = {{{say_.Pick(kTitles)}, Label::kNone, true}};
      p.push_back({say_.Chance(0.3) ? full : family, Label::kName});
      return p;
    }
    case 3: {  // "nair spelled n a i r"
      kind += "/spelled";
      std::string joined;
      for (const auto& f : family) joined += f;
      return {{family, Label::kName},
              {{say_.Chance(0.5) ? "spelled" : "that's"}, Label::kNone},
              {say_.Spell(joined), Label::kName}};
    }
    default: {
      static const List kKin = {"son",     "daughter", "wife",    "husband", "mom",
                                "mother",  "dad",      "father",  "brother", "sister",
                                "grandma", "grandpa",  "cousin",  "niece",   "nephew",
                                "partner", "friend",   "boss",    "uncle",   "aunt",
                                "granddaughter", "grandson", "girlfriend", "boyfriend",
                                "colleague", "neighbor"};
      kind += "/kin";
      Pieces p = {{{"my", say_.Pick(kKin)}, Label::kNone}};
      if (say_.Chance(0.3)) {
        p.push_back({say_.Chance(0.5) ? Words{"whose", "name", "is"} : Words{"called"},
                     Label::kNone});
      }
      p.push_back({say_.Chance(0.25) ? full : given, Label::kName});
      return p;
    }
  }
}

Pieces Values::DateOfBirth(std::string& kind, bool year_only) {
  const int year = say_.Int(1920, 2025), month = say_.Int(1, 12);
  const int day = say_.Int(1, DaysIn(month, year));
  const bool short_year = say_.Chance(0.2);
  auto year_words = [&] { return say_.Year(year, short_year); };
  if (year_only) {
    kind += short_year ? "/year-short" : "/year";
    Words w = say_.Year(year, false);
    if (say_.Chance(0.3)) {
      w.insert(w.begin(), kMonths[month - 1]);
      kind += "/month";
    }
    return {{w, Label::kDateOfBirth}};
  }
  Words w;
  const char* mname = kMonths[month - 1];
  auto two = [](int n) {
    char b[8];
    std::snprintf(b, sizeof b, "%02d", n);
    return std::string(b);
  };
  switch (say_.Int(0, 9)) {
    case 0:  // march fourteenth nineteen eighty two
      w = {mname};
      Append(w, say_.Ordinal(day));
      Append(w, year_words());
      kind += "/month-ord-year";
      break;
    case 1:  // the fourteenth of march nineteen eighty two
      w = {"the"};
      Append(w, say_.Ordinal(day));
      w.push_back("of");
      w.push_back(mname);
      if (say_.Chance(0.7)) Append(w, year_words());
      kind += "/ord-of-month";
      break;
    case 2:  // fourteenth march eighty two
      w = say_.Ordinal(day);
      w.push_back(mname);
      Append(w, year_words());
      kind += "/ord-month-year";
      break;
    case 3:  // march fourteen nineteen eighty two
      w = {mname};
      Append(w, say_.Cardinal(day));
      Append(w, year_words());
      kind += "/month-day-year";
      break;
    case 4: {  // three slash fourteen slash eighty two (or day first)
      const bool day_first = say_.Chance(0.3);
      w = say_.Cardinal(day_first ? day : month);
      w.push_back("slash");
      Append(w, say_.Cardinal(day_first ? month : day));
      w.push_back("slash");
      Append(w, year_words());
      kind += "/slash";
      break;
    }
    case 5:  // oh three one four eighty two
      w = say_.DigitByDigit(two(month) + two(day), false);
      Append(w, say_.Chance(0.5) ? say_.Year(year, false) : say_.Pairs(two(year % 100)));
      kind += "/digits";
      break;
    case 6: {  // written
      const int how = say_.Int(0, 2);
      const std::string s = how == 0   ? two(month) + "/" + two(day) + "/" + std::to_string(year)
                            : how == 1 ? two(day) + "." + two(month) + "." + std::to_string(year)
                                       : std::to_string(year) + "-" + two(month) + "-" + two(day);
      w = {s};
      kind += "/written";
      break;
    }
    case 7:  // march the fourteenth
      w = {mname, "the"};
      Append(w, say_.Ordinal(day));
      if (say_.Chance(0.6)) Append(w, year_words());
      kind += "/month-the-ord";
      break;
    case 8:  // march nineteen eighty two
      w = {mname};
      Append(w, say_.Year(year, false));
      kind += "/month-year";
      break;
    default:  // march fourteenth of nineteen eighty two
      w = {mname};
      Append(w, say_.Ordinal(day));
      w.push_back("of");
      Append(w, say_.Year(year, false));
      kind += "/month-ord-of-year";
  }
  return {{w, Label::kDateOfBirth}};
}

}  // namespace earshot::bench::piigen
