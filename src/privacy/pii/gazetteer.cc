#include "privacy/pii/gazetteer.h"

#include <string_view>
#include <vector>

#include "privacy/pii/gazetteer_lists.h"

namespace earshot::privacy::pii {
namespace {

constexpr std::string_view kStreetSuffixes = R"(
street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace
parkway pkwy circle cir highway hwy square sq trail alley crescent close row plaza loop
grove gardens mews walk
)";

constexpr std::string_view kUnitWords = R"(apartment apt unit suite ste flat floor room number)";

constexpr std::string_view kTopLevelDomains = R"(
com org net edu gov io co uk de fr it es nl ca au us info biz me tv ai app dev ch at be se
no dk fi pl jp cn in br mx ru eu ng za ke gh nz ie pt tr ir pk bd vn kr id ph my sg ae sa
eg ar cl pe ua gr hu cz ro at
)";

constexpr std::string_view kStopWords = R"(
a an the and or but to of in on at for from with by is are was were be am i me my you your
he she it we they them his her its our their this that these those please can could would
should will shall do does did have has had not no yes what when where why how who which
there here then than so if about up down out over under again once now just also too very
tomorrow today tonight morning evening please thanks thank hello hi hey okay ok
i'm it's that's i'll i'd i've we're you're they're don't can't won't isn't let's there's
what's he's she's we'll you'll um uh oh yeah well whose who's
)";

// Everyday words that follow "this is", "call me", "my son", "doctor" or
// "call" without being a name. Not exhaustive: the cues that use it also
// check the word's shape and what comes after it.
constexpr std::string_view kCommonWords = R"(
later back soon anytime maybe sometime whenever asap again now right away first next last
great good fine bad sorry tired hungry late early ready done busy free lost bored sick happy
sad amazing awesome perfect ridiculous crazy funny cool nice wonderful terrible awful weird
home here there back outside inside upstairs downstairs away off open closed broken new old
sure true wrong correct important urgent serious cold hot warm wet dry full empty
loves love likes like wants want needs need said says told tells thinks think knows know
lives works goes went gets got has had keeps left came comes says asked asks called calls
will would can could should must might may shall is was are were does did do doesn't didn't
just always never also still really already usually sometimes often only even
mom mum dad mother father mommy daddy home work office school doctor dentist hospital
pharmacy clinic reception security maintenance support service services customer help
police ambulance emergency taxi cab uber lyft car bus train plane flight hotel restaurant
bank store shop market supermarket pizza dinner lunch breakfast coffee tea water food milk
bread eggs meat fish chicken rice pasta cake beer wine juice salad soup sandwich
alarm timer reminder music song songs playlist radio podcast news weather forecast lights
light tv television volume movie movies show shows video videos game games photo photos
picture pictures camera phone number message messages email emails text texts call calls
contact contacts list lists calendar meeting meetings appointment appointments schedule
report reports file files document documents notes note order orders package delivery
report invoice receipt bill payment money cash account password code minutes hours days
weeks months years time times week month year day night noon midnight weekend holiday
everyone everybody someone somebody anyone anybody nobody everything something anything
nothing people person guys kids children baby family friends team class group
up down left right straight north south east west forward backward
happy birthday anniversary congratulations merry christmas
yes yeah yep nope sure okay alright fine thanks
the my our your their his her its some any all both each every few many much more most
less least other another such own same different
am pm o'clock
about above across after against along among around because before behind below beside
between beyond during except inside near since through toward towards until upon within
without
everything's nothing's here's
address addresses website site profile portfolio link page handle username
turns turned plays played eats ate drinks sleeps slept woke feels felt looks looked seems
goes went gets got makes made takes took buys bought sends sent brings brought keeps kept
breaks broke loses lost finds found starts started finishes finished forgets forgot tells
told texted asked thinks thought knows knew comes came leaves left works worked lives lived
wants wanted needs needed loves loved likes liked hates hated says said runs ran calls
called plays watches watched reads wrote writes sings dances drives drove walks walked
arrives arrived misses missed hurt hurts cries cried laughs smiles agrees agreed
minute hour mile block
monday tuesday wednesday thursday friday saturday sunday weekend
sunny cloudy rainy windy foggy snowy stormy humid freezing pregnant vegan vegetarian
allergic diabetic vacation holiday birthday party gonna wanna gotta kinda sorta
fantastic terrific brilliant excellent gorgeous lovely horrible strange beautiful delicious
hilarious incredible unbelievable impossible normal okay annoying boring exhausted starving
freezing upset angry worried excited nervous scared confused ill pregnant
and then also too either neither
)";

constexpr std::string_view kTitleWords = R"(
mister mr mrs ms miss doctor dr professor prof nurse officer pastor judge coach reverend
madam sir captain rabbi imam aunt auntie aunty uncle grandma grandpa granny nana cousin
)";

constexpr std::string_view kKinWords = R"(
son daughter wife husband mom mum mother dad father brother sister grandma grandmother
grandpa grandfather granny nana uncle aunt auntie aunty cousin niece nephew partner boyfriend
girlfriend friend boss colleague coworker neighbor neighbour fiance fiancee granddaughter
grandson stepson stepdaughter stepmother stepfather kid baby
)";

constexpr std::string_view kNameParticles = R"(
de del della di da dos das du van von der den al el bin ibn ben la le st mac dela
)";

constexpr std::string_view kCardCues = R"(card credit debit visa mastercard amex discover)";

constexpr std::string_view kIdCues = R"(
social security ssn account member membership policy passport license licence id
identification pin routing customer patient employee student tax confirmation
reservation tracking serial iban insurance voucher password passcode code reference
booking claim aadhaar nino
)";

constexpr std::string_view kPhoneCues = R"(
phone call dial text cell mobile telephone fax reach contact ring whatsapp landline
)";

constexpr std::string_view kBirthCues = R"(born birthday birth dob birthdate)";

constexpr std::string_view kExpiryCues = R"(
expires expiry expiration expiring exp valid thru through until good expire
)";

constexpr std::string_view kCvcCues = R"(cvv cvc cvv2 cvc2 cid csc security back code digits)";

constexpr std::string_view kNameVerbs = R"(
call text message email remind tell ask ring phone ping invite meet msg dm
)";

constexpr std::string_view kNumberWords = R"(
zero oh o one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
ninety hundred thousand double triple
)";

constexpr std::string_view kEmailCues = R"(
email e-mail mail address send write contact is cc bcc forward me it's
)";

constexpr std::string_view kJoiners = R"(dot dash hyphen underscore)";

// Months and ordinals: a date may start with them.
constexpr std::string_view kDateWords = R"(
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec first second third fourth fifth sixth
seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth
seventeenth eighteenth nineteenth twentieth thirtieth
)";

// Words before a kinship word or a title that make it a common noun ("the
// doctor", "my son").
constexpr std::string_view kDeterminers = R"(the a an my your his her our their this that any every)";

// Words that put a name after them ("my name is", "named", "add ... to my contacts").
constexpr std::string_view kNameCues = R"(name surname named name's called add)";

// FNV-1a: words are short, and std::hash's general-purpose hash costs more
// than the lookup it serves.
uint32_t ShortHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

// An open-addressed table of the listed words (views into the lists, which
// live for the whole program) and their flags: one probe for most words.
class Table {
 public:
  static constexpr size_t kSlots = 1u << 13;  // a power of two, over twice the words listed

  void Add(std::string_view w, uint32_t flag) {
    size_t i = ShortHash(w) & (kSlots - 1);
    while (!slots_[i].word.empty() && slots_[i].word != w) i = (i + 1) & (kSlots - 1);
    slots_[i].word = w;
    slots_[i].flags |= flag;
  }
  uint32_t Find(std::string_view w) const {
    for (size_t i = ShortHash(w) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      const Slot& s = slots_[i];
      if (s.word.empty()) return 0;
      if (s.word.size() == w.size() && s.word == w) return s.flags;
    }
  }

 private:
  struct Slot {
    std::string_view word;
    uint32_t flags = 0;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

// Adds every word of `list` with `flag`.
void AddAll(Table& t, std::string_view list, uint32_t flag) {
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\n')) ++i;
    size_t j = i;
    while (j < list.size() && list[j] != ' ' && list[j] != '\n') ++j;
    if (j > i) t.Add(list.substr(i, j - i), flag);
    i = j;
  }
}

const Table& Words() {
  static const Table k = [] {
    Table t;
    AddAll(t, kStopWords, kStop);
    AddAll(t, kGivenNames, kGivenName);
    AddAll(t, kAmbiguousNames, kAmbiguousName);
    AddAll(t, kSurnames, kSurname);
    AddAll(t, kStreetSuffixes, kStreetSuffix);
    AddAll(t, kUnitWords, kUnitWord);
    AddAll(t, kTopLevelDomains, kTld);
    AddAll(t, kCommonWords, kCommon);
    AddAll(t, kTitleWords, kTitle);
    AddAll(t, kKinWords, kKin);
    AddAll(t, kNameParticles, kNameParticle);
    AddAll(t, kCardCues, kCueCard);
    AddAll(t, kIdCues, kCueId);
    AddAll(t, kPhoneCues, kCuePhone);
    AddAll(t, kBirthCues, kCueBirth);
    AddAll(t, kExpiryCues, kCueExpiry);
    AddAll(t, kCvcCues, kCueCvc);
    AddAll(t, kNameVerbs, kNameVerb);
    AddAll(t, kNumberWords, kNumberWord);
    AddAll(t, kEmailCues, kEmailCue);
    AddAll(t, kJoiners, kJoiner);
    AddAll(t, kNameCues, kNameCue);
    AddAll(t, kDeterminers, kDeterminer);
    AddAll(t, kDateWords, kDateWord);
    return t;
  }();
  return k;
}

}  // namespace

uint32_t WordFlags(std::string_view w) {
  if (w.empty() || w.size() > 24) return 0;
  return Words().Find(w);
}

}  // namespace earshot::privacy::pii
