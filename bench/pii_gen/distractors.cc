#include "pii_gen/distractors.h"

#include <functional>

#include "pii_gen/word_lists.h"

namespace earshot::bench::piigen {
namespace {

// A template with "#x" holes: #t time, #n small number, #b big number
// (hundreds), #y year, #p price, #o ordinal, #M month, #f food, #s song,
// #c city, #d weekday, #a adjective.
Words Expand(Speaker& say, const std::string& text) {
  Words out;
  for (const std::string& tok : SplitSpaces(text)) {
    if (tok.size() != 2 || tok[0] != '#') {
      out.push_back(tok);
      continue;
    }
    switch (tok[1]) {
      case 't': {
        Append(out, say.Cardinal(say.Int(1, 12)));
        const int m = say.Int(0, 5) * 10 + (say.Chance(0.3) ? 5 : 0);
        if (m == 0) {
          if (say.Chance(0.5)) out.push_back("o'clock");
        } else {
          Append(out, m < 10 ? Words{"oh", say.Cardinal(m)[0]} : say.Cardinal(m));
        }
        if (say.Chance(0.3)) Append(out, say.Chance(0.5) ? Words{"a", "m"} : Words{"p", "m"});
        break;
      }
      case 'n': Append(out, say.Cardinal(say.Int(2, 30))); break;
      case 'b': Append(out, say.Cardinal(say.Int(1, 9) * 100 + say.Int(0, 1) * say.Int(1, 99))); break;
      case 'y': Append(out, say.Year(say.Int(1920, 2025), false)); break;
      case 'p': {
        const int dollars = say.Int(2, 99), cents = say.Int(1, 9) * 10 + 9;
        Append(out, say.Cardinal(dollars));
        Append(out, say.Cardinal(cents));
        break;
      }
      case 'o': Append(out, say.Ordinal(say.Int(1, 31))); break;
      case 'M': out.push_back(kMonths[say.Int(0, 11)]); break;
      case 'f': Append(out, SplitSpaces(say.Pick(Foods()))); break;
      case 's': Append(out, SplitSpaces(say.Pick(Songs()))); break;
      case 'c': Append(out, SplitSpaces(say.Pick(Cities()))); break;
      case 'd': {
        static const List kDays = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday"};
        out.push_back(say.Pick(kDays));
        break;
      }
      case 'a': {
        static const List kAdj = {"great", "tired", "hungry", "late", "ready", "sorry",
                                  "amazing", "done", "lost", "bored", "fine", "busy"};
        out.push_back(say.Pick(kAdj));
        break;
      }
      default: out.push_back(tok);
    }
  }
  return out;
}

struct Family {
  const char* kind;
  List templates;
};

const std::vector<Family>& Families() {
  static const std::vector<Family> k = {
      {"time",
       {"set an alarm for #t", "wake me up at #t", "remind me at #t to call mom",
        "the meeting is at #t", "at #t tomorrow", "my flight leaves at #t",
        "book the restaurant for #t on #d", "what's on tv at #t"}},
      {"quantity",
       {"add #n pounds of #f to my shopping list", "i need #n #f", "buy #n bags of #f",
        "we have #n boxes left", "order #n cases of water"}},
      {"price",
       {"it costs #p", "that's #n dollars and #n cents", "is it under #b dollars",
        "the total is #n pounds #n", "find flights under #b dollars", "it was #p on sale"}},
      {"media",
       {"play track #n", "play season #n episode #n of #s", "skip to chapter #n",
        "turn to page #b", "play #s", "play the #y version of #s", "go back #n seconds",
        "play songs from #y"}},
      {"year",
       {"the #y world cup", "movies from #y", "what happened in #y", "the #y olympics",
        "in #y they moved the office", "who won the election in #y",
        "the car is a #y model", "cars built before #y", "the house was built in #y"}},
      {"emergency",
       {"call nine one one", "dial nine one one", "is nine one one free",
        "should i call nine one one", "what is the number for nine one one"}},
      {"temperature",
       {"set the thermostat to #n degrees", "it's #n degrees outside",
        "preheat the oven to three fifty", "bake for #n minutes at four twenty five",
        "will it be #n degrees on #d"}},
      {"count",
       {"book a table for #n", "a room for #n people", "we need #n bedrooms",
        "a #n bedroom apartment in #c", "count to #b", "set a timer for #n minutes",
        "i am #n years old", "my son is #n", "my daughter turns #n next week",
        "the kids are #n and #n"}},
      {"score",
       {"the score was #n to #n", "they won #b to #b", "we lost #n nil",
        "the final was #n #n"}},
      {"recipe",
       {"#n and a half cups of #f", "a quarter teaspoon of salt", "#n tablespoons of #f",
        "mix #n eggs with #n cups of #f", "cook it for #n minutes"}},
      {"math",
       {"what is #n times #n", "what's #n plus #n", "divide #b by #n",
        "what is #n percent of #b", "what's the square root of #b"}},
      {"calendar",
       {"how many days until #M #o", "remind me on #M #o", "what day is #M #o",
        "the meeting is on the #o", "schedule it for #d the #o", "is #M #o a holiday",
        "my birthday is next week", "when is my birthday", "i was born in #c",
        "the party is on the #o of #M"}},
      {"call-me",
       {"call me later", "call me back in #n minutes", "call me when you land",
        "call me tomorrow morning", "call me if you need anything", "call me after the meeting",
        "call me a taxi", "please call me back", "call me anytime", "call me tonight",
        "call me once you're home", "play call me maybe", "call me at #t",
        "call me on #d", "call me soon"}},
      {"people",
       {"my wife loves this song", "the doctor said i'm fine", "i need to see a doctor",
        "ask my husband", "my mom wants pizza", "tell grandma happy birthday",
        "my brother just got home", "my sister lives in #c", "doctor appointment on #d",
        "this is #a", "i'm #a", "i am #a", "it's #a", "my name is on the list",
        "call mom", "text dad i'm #a", "my son needs new shoes", "my friend is #a",
        "what's your name", "the nurse will call you", "tell my boss i'm #a"}},
      {"device",
       {"set the volume to #n percent", "brightness #n percent", "channel #n",
        "update to version #n point #n", "turn the volume down to #n",
        "open settings", "check my email", "read my new emails", "send an email to my boss",
        "go to the kitchen", "search for pizza near me", "what's the weather in #c"}},
      {"travel",
       {"take exit #n", "drive #n miles", "it's #n point #n miles away",
        "turn right in #b feet", "gate #n", "platform #n", "the bus number #n",
        "how long to drive to #c", "is highway #n open"}},
  };
  return k;
}

}  // namespace

Words DistractorWords(Speaker& say, std::string& kind) {
  const Family& f = say.Pick(Families());
  kind = f.kind;
  return Expand(say, say.Pick(f.templates));
}

Words DistractorTail(Speaker& say) {
  static const List kTails = {"after #t", "before #t on #d", "by the #o", "for #n people",
                              "and set a timer for #n minutes", "it's #n degrees here",
                              "at #t"};
  return Expand(say, say.Pick(kTails));
}

}  // namespace earshot::bench::piigen
