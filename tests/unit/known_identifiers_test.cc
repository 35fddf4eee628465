// The recording's own identifiers (account, serial, capture time) and
// id-like tokens in transcripts: each form written and said, split over
// words, and the ordinary speech that must stay untouched (issue 11, item 4).
#include "privacy/pii/known_identifiers.h"

#include <gtest/gtest.h>

#include "util/encoding.h"

namespace earshot::privacy::pii {
namespace {

// 2026-11-03 14:05 at UTC-5 (19:05 UTC).
KnownIdentifiers Known(const std::string& captured_at = "2026-11-03T19:05:00Z",
                       int utc_offset_min = -300) {
  KnownIdentifiers k;
  k.account = "ACC-4821-ZK";
  k.device_serial = "SN-1234-AB";
  k.has_capture_time = true;
  k.captured_at_ms = ParseRfc3339(captured_at).value_or(0);
  k.utc_offset_min = utc_offset_min;
  return k;
}

std::string Mask(const std::string& text, const KnownIdentifiers& known = Known()) {
  const auto words = SplitWords(text);
  return MaskText(words, DetectIdentifiers(words, known, DetectPii(words)));
}

// --- account and serial ------------------------------------------------------

TEST(KnownIdentifiers, SerialAsWrittenInAnyCase) {
  for (const char* text : {"SN-1234-AB", "sn-1234-ab", "Sn-1234-aB.", "(SN-1234-AB)",
                           "serial:SN-1234-AB,", "SN1234AB"}) {
    EXPECT_EQ(Mask(std::string("my serial is ") + text + " thanks"),
              "my serial is [DEVICE_SERIAL] thanks")
        << text;
  }
}

TEST(KnownIdentifiers, SerialSplitAcrossWords) {
  for (const char* text : {"SN 1234 AB", "sn - 1234 - ab", "SN1234 AB", "sn 12 34 ab",
                           "s n 1 2 3 4 a b", "SN-1234 AB"}) {
    EXPECT_EQ(Mask(std::string("it is ") + text + " ok"), "it is [DEVICE_SERIAL] ok") << text;
  }
}

TEST(KnownIdentifiers, SerialSpelledOut) {
  for (const char* text :
       {"s n one two three four a b", "s n twelve thirty four a b",
        "ess en one two three four a bee", "sierra november one two three four alpha bravo",
        "s n dash one two three four dash a b", "S. N. one, two, three, four, A. B.",
        "s n one thousand two hundred thirty four a b", "s n one two thirty four a b"}) {
    EXPECT_EQ(Mask(std::string("the serial is ") + text + " thanks"),
              "the serial is [DEVICE_SERIAL] thanks")
        << text;
  }
}

TEST(KnownIdentifiers, AccountWrittenSplitAndSpelled) {
  for (const char* text : {"ACC-4821-ZK", "acc 4821 zk", "a c c four eight two one z k",
                           "a c c forty eight twenty one z k", "acc four eight two one zk"}) {
    EXPECT_EQ(Mask(std::string("account ") + text), "account [ACCOUNT_ID]") << text;
  }
}

TEST(KnownIdentifiers, RepeatedCharactersSaidDoubleAndTriple) {
  KnownIdentifiers k;
  k.device_serial = "AA-1100-Q777";
  EXPECT_EQ(Mask("double a double one double oh q triple seven", k), "[DEVICE_SERIAL]");
  EXPECT_EQ(Mask("a a one one zero zero q seven seven seven", k), "[DEVICE_SERIAL]");
}

TEST(KnownIdentifiers, OnlyTheWholeCodeIsTheKnownIdentifier) {
  // Half a serial is no DEVICE_SERIAL (it may still be an id-like token).
  const std::string half = Mask("s n one two three");
  EXPECT_EQ(half.find("DEVICE_SERIAL"), std::string::npos) << half;
  EXPECT_EQ(Mask("the sn of the ab"), "the sn of the ab");
}

TEST(KnownIdentifiers, CodesTooShortToIdentifyAnyoneAreNotMatched) {
  KnownIdentifiers k;
  k.account = "on";
  k.device_serial = "A1";
  EXPECT_EQ(Mask("turn on the lights", k), "turn on the lights");
  EXPECT_EQ(Mask("a one bedroom flat", k), "a one bedroom flat");
}

TEST(KnownIdentifiers, AnEntryHoldingSeveralWordsIsMaskedWhole) {
  const std::vector<std::string> words = {"my", "serial is SN 1234 AB", "ok"};
  EXPECT_EQ(MaskText(words, DetectKnownIdentifiers(words, Known())), "my [DEVICE_SERIAL] ok");
}

// --- capture time --------------------------------------------------------------

TEST(KnownIdentifiers, CaptureDateWritten) {
  for (const char* text : {"2026-11-03", "11/03/2026", "11/3/26", "3/11/2026", "03.11.2026",
                           "11/03", "2026-11-03T14:05:00-05:00", "3 Nov 2026", "November 3rd",
                           "Nov. 3, 2026", "November 3rd, 2026", "3rd of November"}) {
    EXPECT_EQ(Mask(std::string("on ") + text + " please"), "on [CAPTURE_TIME] please") << text;
  }
}

TEST(KnownIdentifiers, CaptureDateSpoken) {
  for (const char* text :
       {"november third", "november the third", "the third of november",
        "november third twenty twenty six", "the third of november two thousand twenty six"}) {
    EXPECT_EQ(Mask(std::string("it was ") + text + " i think"), "it was [CAPTURE_TIME] i think")
        << text;
  }
}

TEST(KnownIdentifiers, CaptureClockWritten) {
  // Local 14:05, UTC 19:05, a minute either side.
  for (const char* text : {"14:05", "2:05 pm", "2:05pm", "2:05 p.m.", "2:05", "19:05", "7:05 pm",
                           "14:04", "14:06", "1405 hours", "14:05:30"}) {
    EXPECT_EQ(Mask(std::string("at ") + text + " today"), "at [CAPTURE_TIME] today") << text;
  }
}

TEST(KnownIdentifiers, CaptureClockSpoken) {
  for (const char* text : {"two oh five p m", "two oh five pm", "two oh five", "fourteen oh five",
                           "nineteen oh five", "seven oh five p m", "two oh six"}) {
    EXPECT_EQ(Mask(std::string("at ") + text + " today"), "at [CAPTURE_TIME] today") << text;
  }
}

TEST(KnownIdentifiers, AnHourAloneOnlyWhenCapturedOnTheHour) {
  const KnownIdentifiers on_the_hour = Known("2026-11-03T19:00:20Z");
  for (const char* text : {"two pm", "2 pm", "two o'clock", "fourteen hundred hours", "2:00 pm"}) {
    EXPECT_EQ(Mask(std::string("at ") + text + " today", on_the_hour), "at [CAPTURE_TIME] today")
        << text;
  }
  EXPECT_EQ(Mask("at two pm today"), "at two pm today") << "captured at 14:05";
}

TEST(KnownIdentifiers, TimesAreMatchedInLocalTimeAndInUtc) {
  const KnownIdentifiers utc = Known("2026-11-03T19:05:00Z", 0);
  EXPECT_EQ(Mask("at 19:05", utc), "at [CAPTURE_TIME]");
  EXPECT_EQ(Mask("at seven oh five p m", utc), "at [CAPTURE_TIME]");
  // The device's local time is unknown when captured_at is in UTC.
  EXPECT_EQ(Mask("at 14:05", utc), "at 14:05");
  // Late in the evening local time is the next day in UTC: both dates count.
  const KnownIdentifiers late = Known("2026-11-04T04:30:00Z", -300);  // 23:30 on the 3rd
  EXPECT_EQ(Mask("november third", late), "[CAPTURE_TIME]");
  EXPECT_EQ(Mask("november fourth", late), "[CAPTURE_TIME]");
  EXPECT_EQ(Mask("eleven thirty p m", late), "[CAPTURE_TIME]");
}

TEST(KnownIdentifiers, OtherTimesAndDatesStayUntouched) {
  for (const char* text :
       {"set an alarm for six thirty", "meet at 14:30", "at 2:15 pm", "at 2:05 am",
        "on november fourth", "3 nov 2025", "on 11/04", "november third 2025", "in 2026",
        "two thousand five", "at two", "remind me at eight", "the third time", "november rain",
        "play track two hundred five", "it costs 14.05"}) {
    EXPECT_EQ(Mask(text), std::string(text)) << text;
  }
}

// --- id-like tokens ------------------------------------------------------------

TEST(IdTokens, LettersWithDigitsLongNumbersAndCodes) {
  for (const char* token : {"ab12cd", "x9", "A1B2", "4b", "zx81", "ord-99812", "a1-b2-c3", "98765",
                            "555-1234", "192.168.1.1", "ab-12-345", "sn-1234", "ORD-998",
                            "2026-11-03", "(12345)", "john42@example.com", "3.14159", "v1.2"}) {
    EXPECT_TRUE(IsIdToken(token)) << token;
  }
}

TEST(IdTokens, OrdinaryWordsAndNumbersAreNot) {
  for (const char* token :
       {"4th",     "21st",    "2nd",      "mp3",   "MP3",   "covid19", "covid-19", "5pm",
        "10km",    "80s",     "80's",     "1990s", "1080p", "3d",      "5g",       "2:05pm",
        "14:05",   "10,000",  "1,250.00", "2026",  "1234",  "12.50",   "5-minute", "24-hour",
        "top-100", "2-for-1", "h2o",      "hello", "",      "[PHONE]", "$20",      "50%",
        "24/7",    "i-95",    "3-day",    "9am"}) {
    EXPECT_FALSE(IsIdToken(token)) << token;
  }
}

// Deliberately: any full date written in digits looks like an identifier (it
// has the digits of a code, and may be a birth date said without a cue);
// DetectPii already masks it as a long number.
TEST(IdTokens, AFullDateInDigitsIsMaskedWhateverTheDate) {
  EXPECT_TRUE(IsIdToken("2025-11-03"));
  EXPECT_TRUE(IsIdToken("12/25/2026"));
  EXPECT_EQ(Mask("on 2025-11-03"), "on [LONG_NUMBER]");
  EXPECT_EQ(MaskText(SplitWords("on 12/25/2026"), DetectIdTokens(SplitWords("on 12/25/2026"))),
            "on [ID_TOKEN]");
  EXPECT_EQ(Mask("on 12/25"), "on 12/25");
}

TEST(IdTokens, SpelledOutCodesMixingLettersAndDigits) {
  const KnownIdentifiers none;
  // After an id cue DetectPii types the code itself (issue 12).
  EXPECT_EQ(Mask("my code is x y z one two three", none), "my code is [ID_NUMBER]");
  EXPECT_EQ(Mask("the code x y z one two three", none), "the code [ID_NUMBER]");
  EXPECT_EQ(Mask("x y z one two three", none), "[ID_TOKEN]");
  EXPECT_EQ(Mask("ticket q r seven seven please", none), "ticket [ID_TOKEN] please");
  EXPECT_EQ(Mask("order ord-99812 and ab12cd", none), "order [ID_TOKEN] and [ID_TOKEN]");
  for (const char* text : {"play b b c one", "plan b", "i have a one bedroom", "vitamin b twelve",
                           "set it to two oh five p m", "a b c", "the letter x"}) {
    EXPECT_EQ(Mask(text, none), std::string(text)) << text;
  }
}

// --- ordinary speech -----------------------------------------------------------

TEST(KnownIdentifiers, DistractorsStayUntouched) {
  for (const char* text : {"turn on the lights",
                           "play track four",
                           "set a timer for five minutes",
                           "what is the weather tomorrow",
                           "what is two plus two",
                           "turn the volume to eleven",
                           "set an alarm for six thirty",
                           "what happened in nineteen sixty nine",
                           "add two eggs and one cup of milk",
                           "how far is the moon",
                           "oh no",
                           "will it rain in may",
                           "play hope by the weeknd",
                           "turn on the kitchen lights",
                           "what is the weather tomorrow in boston",
                           "remind me at eight",
                           "play the top 10 songs",
                           "play my mp3 files",
                           "is covid19 still around",
                           "it is the 4th of july",
                           "set a 5-minute timer",
                           "ten thousand steps",
                           "walk 10,000 steps",
                           "in the 80s",
                           ""}) {
    EXPECT_EQ(Mask(text), std::string(text)) << text;
  }
}

TEST(MaskIdentifiers, MasksWhatIsLeftInMaskedTextAndKeepsTheRest) {
  EXPECT_EQ(MaskIdentifiers("call [PHONE] about SN-1234-AB", Known()),
            "call [PHONE] about [DEVICE_SERIAL]");
  EXPECT_EQ(MaskIdentifiers("order ab12cd now", {}), "order [ID_TOKEN] now");
  EXPECT_EQ(MaskIdentifiers("hello  there ", Known()), "hello  there ")
      << "untouched byte for byte";
}

TEST(MergeSpans, OverlapsBecomeOneSpanTypedByTheFirstList) {
  const std::vector<Span> known = {{PiiType::kDeviceSerial, 2, 5}};
  const std::vector<Span> pii = {
      {PiiType::kLongNumber, 0, 3}, {PiiType::kPhone, 4, 7}, {PiiType::kPersonName, 8, 9}};
  const std::vector<Span> ids = {{PiiType::kIdToken, 7, 8}};
  const auto merged = MergeSpans({known, pii, ids});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].type, PiiType::kDeviceSerial);
  EXPECT_EQ(merged[0].start, 0u);
  EXPECT_EQ(merged[0].end, 7u);
  EXPECT_EQ(merged[1].type, PiiType::kIdToken) << "touching spans stay apart";
  EXPECT_EQ(merged[2].type, PiiType::kPersonName);
}

}  // namespace
}  // namespace earshot::privacy::pii
