// Spoken-form PII detection: each type in several spoken and written forms,
// and distractors that must stay untouched.
#include "privacy/pii/pii.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "privacy/pii/redact_line.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {
namespace {

// "[TYPE]" masked text for `text`.
std::string Mask(const std::string& text) {
  const auto words = SplitWords(text);
  return MaskText(words, DetectPii(words));
}

TEST(SpokenNumbers, ParsesDigitsGroupsAndModifiers) {
  auto runs = FindNumberRuns(SplitWords("five five five one two three four"));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].digits, "5551234");
  EXPECT_EQ(runs[0].single_digit_words, 7);
  EXPECT_EQ(FindNumberRuns(SplitWords("double seven oh three"))[0].digits, "7703");
  EXPECT_EQ(FindNumberRuns(SplitWords("triple two"))[0].digits, "222");
  EXPECT_EQ(FindNumberRuns(SplitWords("twelve forty five"))[0].digits, "1245");
  EXPECT_EQ(FindNumberRuns(SplitWords("one eight hundred five five five"))[0].digits, "1800555");
  EXPECT_EQ(FindNumberRuns(SplitWords("nineteen eighty"))[0].digits, "1980");
  EXPECT_EQ(FindNumberRuns(SplitWords("two thousand five"))[0].digits, "2005");
  EXPECT_EQ(FindNumberRuns(SplitWords("555-123-4567"))[0].digits, "5551234567");
  EXPECT_TRUE(FindNumberRuns(SplitWords("oh no")).empty()) << "a lone 'oh' is a word";
}

TEST(SpokenNumbers, Luhn) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
}

TEST(Pii, PhoneNumbersSpokenAndWritten) {
  EXPECT_EQ(Mask("call my sister at five five five one two three four"),
            "call my sister at [PHONE]");
  EXPECT_EQ(Mask("my number is two one two five five five oh one nine nine"),
            "my number is [PHONE]");
  EXPECT_EQ(Mask("text 415-555-0199 please"), "text [PHONE] please");
  EXPECT_EQ(Mask("dial double seven oh five five five one two one two"), "dial [PHONE]");
}

TEST(Pii, ANumberWithOneMisheardDigitIsMaskedWhole) {
  EXPECT_EQ(Mask("my phone number is two one two five five five the one nine nine"),
            "my phone number is [PHONE]");
  EXPECT_EQ(Mask("press one and two"), "press one and two");
}

TEST(Pii, CardAndIdNumbers) {
  EXPECT_EQ(Mask("my card is four one one one one one one one one one one one one one one one"),
            "my card is [CARD_NUMBER]");
  EXPECT_EQ(Mask("pay with 4111111111111111"), "pay with [CARD_NUMBER]");
  EXPECT_EQ(Mask("my social security number is one two three four five six seven eight nine"),
            "my social security number is [ID_NUMBER]");
  EXPECT_EQ(Mask("ssn 123-45-6789"), "ssn [ID_NUMBER]");
  EXPECT_EQ(Mask("my pin is four four two one"), "my pin is [ID_NUMBER]");
}

TEST(Pii, StreetAddresses) {
  EXPECT_EQ(Mask("navigate to twelve forty five oak street apartment three"),
            "navigate to [STREET_ADDRESS]");
  EXPECT_EQ(Mask("send it to 221 baker street london"), "send it to [STREET_ADDRESS] london");
  EXPECT_EQ(Mask("i live at one two three main avenue springfield nine oh two one oh"),
            "i live at [STREET_ADDRESS]");
}

TEST(Pii, EmailsAndUrls) {
  EXPECT_EQ(Mask("email j o h n dot smith at gmail dot com"), "email [EMAIL]");
  EXPECT_EQ(Mask("my email is anna at example dot org"), "my email is [EMAIL]");
  EXPECT_EQ(Mask("write to john.smith@example.com now"), "write to [EMAIL] now");
  EXPECT_EQ(Mask("open w w w dot example dot com"), "open [URL]");
  EXPECT_EQ(Mask("go to mybank dot co dot uk slash login"), "go to [URL]");
}

TEST(Pii, PersonNames) {
  EXPECT_EQ(Mask("my name is anna"), "my name is [PERSON_NAME]");
  EXPECT_EQ(Mask("my name is ayodele okafor"), "my name is [PERSON_NAME]")
      << "issue 12: after a cue, a second word that may be a name is part of it";
  EXPECT_EQ(Mask("hi this is john smith calling"), "hi this is [PERSON_NAME] calling");
  EXPECT_EQ(Mask("tell sarah i am late"), "tell [PERSON_NAME] i am late");
  EXPECT_EQ(Mask("call doctor patel"), "call doctor [PERSON_NAME]");
  EXPECT_EQ(Mask("call mom"), "call mom");
  EXPECT_EQ(Mask("this is great"), "this is great");
}

TEST(Pii, DatesOfBirth) {
  EXPECT_EQ(Mask("i was born on july fourth nineteen eighty"), "i was born on [DATE_OF_BIRTH]");
  EXPECT_EQ(Mask("my birthday is the fourth of july"), "my birthday is [DATE_OF_BIRTH]");
  EXPECT_EQ(Mask("date of birth 07/04/1980"), "date of birth [DATE_OF_BIRTH]");
  EXPECT_EQ(Mask("remind me on july fourth"), "remind me on july fourth")
      << "a date without a birth cue is not a date of birth";
}

TEST(Pii, LongNumbers) {
  EXPECT_EQ(Mask("the code on the box is four four seven one nine"),
            "the code on the box is [ID_NUMBER]");
  EXPECT_EQ(Mask("remember four four seven one"), "remember [LONG_NUMBER]");
}

TEST(Pii, DistractorsStayUntouched) {
  for (const char* text :
       {"set a timer for five minutes", "what is two plus two", "play track four",
        "turn the volume to eleven", "set an alarm for six thirty",
        "what happened in nineteen "
        "sixty nine",
        "add two eggs and one cup of milk", "how far is the moon", "oh no", "will it rain in may",
        "play hope by the weeknd", "turn on the kitchen lights",
        "what is the weather tomorrow in boston", "remind me at eight", ""}) {
    EXPECT_EQ(Mask(text), std::string(text)) << text;
  }
}

// The words the detector reacts to: number words, their modifiers, months,
// ordinals and the cue words of each PII type.
const std::vector<std::string>& CueWords() {
  static const std::vector<std::string> k = {
      "zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight",
      "nine", "ten", "eleven", "twelve", "thirteen", "nineteen", "twenty", "thirty", "ninety",
      "hundred", "thousand", "double", "triple", "first", "second", "twentieth", "thirtieth",
      "4th", "21st", "555-0199", "(555)", "+44", "1980", "january", "may", "dec", "my", "name",
      "is", "call", "me", "this", "i", "am", "born", "birthday", "birth", "date", "of", "on",
      "at", "dot", "com", "slash", "w", "http", "email", "mail", "street", "avenue", "road",
      "apartment", "suite", "unit", "number", "phone", "card", "credit", "ending", "in",
      "account", "id", "pin", "code", "security", "social", "ssn", "passport", "mister", "mrs",
      "doctor", "dr", "aunt", "uncle", "grandma", "remind", "text", "send", "message", "to",
      "a", "b", "c", "anna", "john", "smith", "garcia", "the", "plus", "year", "ayodele", ""};
  return k;
}

// Issue 11: "i was born in the year two thousand" read past the last word and
// crashed the server. Every cue word, and every pair of them, is tried as the
// whole transcript and as its end; bounds are checked (_GLIBCXX_ASSERTIONS),
// so a read past the end aborts the test instead of passing by luck.
TEST(PiiRegression11, NumberWordsAtTheEndOfATranscriptDoNotReadPastIt) {
  EXPECT_EQ(Mask("i was born in the year two thousand").find("thousand"), std::string::npos);
  EXPECT_NO_FATAL_FAILURE(Mask("play songs from two thousand"));
  for (const auto& a : CueWords()) {
    for (const auto& b : CueWords()) {
      for (const auto& words : {std::vector<std::string>{a, b},
                                std::vector<std::string>{"year", "two", a, b},
                                std::vector<std::string>{a, "two", "thousand", b},
                                std::vector<std::string>{a, b, "two", "thousand"},
                                std::vector<std::string>{a, b, "hundred"}}) {
        const auto spans = DetectPii(words);
        for (const auto& span : spans) {
          ASSERT_LT(span.start, span.end);
          ASSERT_LE(span.end, words.size()) << a << " " << b;
        }
        EXPECT_FALSE(MaskText(words, spans).empty() && !a.empty() && !b.empty());
      }
    }
  }
}

TEST(Pii, SpansAreWordIndicesIntoTheInput) {
  const auto words = SplitWords("  call   anna   at 555-0199  ");
  const auto spans = DetectPii(words);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].type, PiiType::kPersonName);
  EXPECT_EQ(spans[0].start, 1u);
  EXPECT_EQ(spans[0].end, 2u);
  EXPECT_EQ(spans[1].start, 3u);
}


// --- issue 12: breadth in text --------------------------------------------------

TEST(PiiRegression12, InternationalNumbersAreOnePhoneSpanWithTheirPrefix) {
  EXPECT_EQ(Mask("call me on plus four four seven nine one one one two three four five six"),
            "call me on [PHONE]");
  EXPECT_EQ(Mask("my number is plus ninety one nine eight seven six five four three two one oh"),
            "my number is [PHONE]");
  EXPECT_EQ(Mask("dial double oh four nine one five one two three four five six seven eight"),
            "dial [PHONE]");
  EXPECT_EQ(Mask("country code two three four eight oh three one two three four five six seven"),
            "[PHONE]");
  EXPECT_EQ(Mask("reach me at +44 7911 123456"), "reach me at [PHONE]");
  EXPECT_EQ(Mask("my mobile is oh seven nine one one one two three four five six"),
            "my mobile is [PHONE]");
  EXPECT_EQ(Mask("what is twelve plus forty four"), "what is twelve plus forty four");
}

TEST(PiiRegression12, SpelledAndSplitEmailAddresses) {
  EXPECT_EQ(Mask("my email is p r i y a dot n a i r at g mail dot com"), "my email is [EMAIL]");
  EXPECT_EQ(Mask("email me at chinedu underscore okafor at yahoo dot co dot uk"),
            "email me at [EMAIL]");
  EXPECT_EQ(Mask("send it to kenji nineteen eighty at b r i g h t dot io"), "send it to [EMAIL]");
  EXPECT_EQ(Mask("it's anna dash ng at proton mail dot com dot au"), "it's [EMAIL]");
  EXPECT_EQ(Mask("contact me at tunde at mail dot acme dot i o please"),
            "contact me at [EMAIL] please");
}

TEST(PiiRegression12, SpokenUrls) {
  EXPECT_EQ(Mask("go to h t t p s colon slash slash w w w dot example dot co dot uk slash login"),
            "go to [URL]");
  EXPECT_EQ(Mask("open https colon slash slash example dot com"), "open [URL]");
  EXPECT_EQ(Mask("my profile is linkedin dot com slash in slash anna dash ng"),
            "my profile is [URL]");
  EXPECT_EQ(Mask("find me at brightpath dot io"), "find me at [URL]");
  EXPECT_EQ(Mask("visit www.example.co.uk/about"), "visit [URL]");
  EXPECT_EQ(Mask("open the door"), "open the door");
}

TEST(PiiRegression12, YearsOfBirthInEverySpokenForm) {
  for (const char* date :
       {"nineteen oh five", "two thousand and three", "two thousand three", "twenty twelve",
        "twenty oh three", "nineteen hundred", "may nineteen nineteen eighty three",
        "march fourteenth eighty two", "the third of may oh three", "fourteenth march eighty two",
        "three slash fourteen slash eighty two", "fourteen slash three slash nineteen eighty two",
        "oh three one four eighty two", "14.03.1982", "march the fourteenth nineteen eighty two",
        "march fourteenth of nineteen eighty two"}) {
    EXPECT_EQ(Mask(std::string("i was born on ") + date), "i was born on [DATE_OF_BIRTH]") << date;
    EXPECT_EQ(Mask(std::string(date) + " is my date of birth"),
              "[DATE_OF_BIRTH] is my date of birth")
        << date;
  }
  EXPECT_EQ(Mask("the nineteen ninety four world cup"), "the nineteen ninety four world cup");
  EXPECT_EQ(Mask("movies from two thousand and eight"), "movies from two thousand and eight");
  EXPECT_EQ(Mask("my birthday is next week"), "my birthday is next week");
}

TEST(PiiRegression12, CardExpiryAndSecurityCode) {
  EXPECT_EQ(Mask("card four one one one one one one one one one one one one one one one "
                 "expires oh four twenty seven security code four one two"),
            "card [CARD_NUMBER] expires [CARD_NUMBER] security code [CARD_NUMBER]");
  EXPECT_EQ(Mask("expiry four slash twenty seven"), "expiry [CARD_NUMBER]");
  EXPECT_EQ(Mask("valid thru april twenty twenty nine"), "valid thru [CARD_NUMBER]");
  EXPECT_EQ(Mask("the cvv is nine eight seven"), "the cvv is [CARD_NUMBER]");
  EXPECT_EQ(Mask("the three digits on the back of the card are five one one"),
            "the three digits on the back of the card are [CARD_NUMBER]");
  EXPECT_EQ(Mask("cvc two two six at four fifty"), "cvc [CARD_NUMBER] at four fifty")
      << "only the first number after the cue";
  EXPECT_EQ(Mask("i'll be back at seven thirty"), "i'll be back at seven thirty");
}

TEST(PiiRegression12, IdsMixingSpelledLettersAndDigits) {
  EXPECT_EQ(Mask("my policy number is x y seven four one two nine three"),
            "my policy number is [ID_NUMBER]");
  EXPECT_EQ(Mask("passport number k twelve thirty four five six seven"),
            "passport number [ID_NUMBER]");
  EXPECT_EQ(Mask("booking reference q x seven b two k"), "booking reference [ID_NUMBER]");
  EXPECT_EQ(Mask("ssn one two three dash four five dash six seven eight nine"),
            "ssn [ID_NUMBER]");
  EXPECT_EQ(Mask("my pin is four four two one"), "my pin is [ID_NUMBER]");
}

TEST(PiiRegression12, AUnitLetterAndAPostcodeBelongToTheAddress) {
  EXPECT_EQ(Mask("i live at twelve linden grove apartment four b"), "i live at [STREET_ADDRESS]");
  EXPECT_EQ(Mask("ship it to forty two harbor view road flat two leeds l s one one a b"),
            "ship it to [STREET_ADDRESS]");
  EXPECT_EQ(Mask("it's a five minute walk"), "it's a five minute walk");
  EXPECT_EQ(Mask("navigate to twelve forty five hill street"), "navigate to [STREET_ADDRESS]");
  EXPECT_EQ(Mask("i live at two park lane apartment six"), "i live at [STREET_ADDRESS]");
}

TEST(PiiRegression12, NamesAfterTitlesKinAndContactCues) {
  EXPECT_EQ(Mask("i have an appointment with doctor okonkwo"),
            "i have an appointment with doctor [PERSON_NAME]");
  EXPECT_EQ(Mask("is professor adaeze nwachukwu available"),
            "is professor [PERSON_NAME] available");
  EXPECT_EQ(Mask("pick up my son tobenna from school"), "pick up my son [PERSON_NAME] from school");
  EXPECT_EQ(Mask("tell grandma folasade happy birthday"),
            "tell grandma [PERSON_NAME] happy birthday");
  EXPECT_EQ(Mask("text oluwadamilare that dinner is ready"),
            "text [PERSON_NAME] that dinner is ready");
  EXPECT_EQ(Mask("hi i'm siobhan donnelly"), "hi i'm [PERSON_NAME]");
  EXPECT_EQ(Mask("schedule a meeting with haruka inoue"), "schedule a meeting with [PERSON_NAME]");
  EXPECT_EQ(Mask("my last name is kiprop spelled k i p r o p"),
            "my last name is [PERSON_NAME] spelled [PERSON_NAME]");
  for (const char* text : {"my son is seven", "my wife loves this song", "the doctor said i'm fine",
                           "i need to see a doctor", "this is ridiculous", "i'm running late",
                           "my daughter turns twelve next week", "tell my boss i'm sick"}) {
    EXPECT_EQ(Mask(text), std::string(text)) << text;
  }
}

TEST(PiiRegression12, PossessivesStreetsNamedFirstAndUnitsSaidFirst) {
  EXPECT_EQ(Mask("my birthday's on the ninth of june"), "my birthday's on [DATE_OF_BIRTH]");
  EXPECT_EQ(Mask("my email's anna underscore b at outlook dot com"), "my email's [EMAIL]");
  EXPECT_EQ(Mask("deliver it to seventeen rue de la paix please"),
            "deliver it to [STREET_ADDRESS] please");
  EXPECT_EQ(Mask("i'm at flat three forty two acacia avenue"), "i'm at [STREET_ADDRESS]");
  EXPECT_EQ(Mask("i'm gonna be late"), "i'm gonna be late");
  EXPECT_EQ(Mask("this is fantastic"), "this is fantastic");
}

TEST(PiiRegression12, CallMeLaterIsNotAName) {
  for (const char* text :
       {"call me later", "call me back", "call me back in five minutes", "call me when you land",
        "call me tomorrow", "call me if you need anything", "call me a taxi", "call me anytime",
        "call me soon", "play call me maybe", "please call me back tonight"}) {
    EXPECT_EQ(Mask(text), std::string(text)) << text;
  }
  EXPECT_EQ(Mask("you can call me kemi"), "you can call me [PERSON_NAME]");
}

// For random sequences of cue words, names and numbers: every span lies in
// the input, spans are sorted and disjoint, and the masked text splits back
// into the words outside spans, unchanged, with one "[TYPE]" per span.
TEST(PiiProperty, SpansAreInsideSortedDisjointAndMaskTextResplits) {
  std::vector<std::string> vocab = CueWords();
  for (const char* w : {"okafor", "tunde", "slash", "colon", "plus", "expires", "cvv", "dash",
                        "spelled", "grove", "flat", "whose", "later", "back", "my", "son",
                        "professor", "www", "https", "@", "a@b.co", "555-0199", "x", "y", "z"}) {
    vocab.push_back(w);
  }
  std::mt19937 rng(12);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<std::string> words(std::uniform_int_distribution<size_t>(0, 24)(rng));
    for (auto& w : words) {
      w = vocab[std::uniform_int_distribution<size_t>(0, vocab.size() - 1)(rng)];
      if (w.empty()) w = "uh";
    }
    const auto spans = DetectPii(words);
    size_t previous_end = 0;
    for (const Span& s : spans) {
      ASSERT_LT(s.start, s.end);
      ASSERT_LE(s.end, words.size());
      ASSERT_GE(s.start, previous_end);
      previous_end = s.end;
    }
    const auto masked = SplitWords(MaskText(words, spans));
    size_t m = 0, span = 0;
    for (size_t i = 0; i < words.size(); ++m) {
      ASSERT_LT(m, masked.size());
      if (span < spans.size() && spans[span].start == i) {
        EXPECT_EQ(masked[m], std::string("[") + TypeName(spans[span].type) + "]");
        i = spans[span++].end;
      } else {
        EXPECT_EQ(masked[m], words[i]);
        ++i;
      }
    }
    EXPECT_EQ(m, masked.size());
  }
}

}  // namespace
}  // namespace earshot::privacy::pii

namespace earshot::privacy::pii {
namespace {

// redact-text writes its JSON by hand (redact_line.cc, for speed): it must
// read back as the document nlohmann::json would build, also for words with
// quotes, backslashes, control characters and UTF-8.
TEST(RedactLine, LineJsonReadsBackAsTheSpansAndTheMaskedText) {
  for (const std::string line :
       {"call \"me\" at five five five one two three four", "c:\\path\\ x\x01y \x7f",
        "my name is anna\x08 and caf\xc3\xa9 is open", "", "five five five one two three four",
        "plain words only"}) {
    const auto words = SplitWords(line);
    const auto spans = DetectPii(words);
    nlohmann::json expected = {{"spans", nlohmann::json::array()},
                               {"text", MaskText(words, spans)}};
    for (const Span& s : spans) {
      std::string text;
      for (size_t i = s.start; i < s.end; ++i) text += (i > s.start ? " " : "") + words[i];
      expected["spans"].push_back(
          {{"end", s.end}, {"start", s.start}, {"text", text}, {"type", TypeName(s.type)}});
    }
    const std::string out = RedactLineJson(line);
    EXPECT_EQ(nlohmann::json::parse(out), expected) << out;
    EXPECT_EQ(out.find('\n'), std::string::npos);
  }
  EXPECT_NE(RedactLineJson("bad \xff byte").find("invalid_utf8"), std::string::npos);
}

}  // namespace
}  // namespace earshot::privacy::pii
