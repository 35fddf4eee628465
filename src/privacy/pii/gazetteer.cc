#include "privacy/pii/gazetteer.h"

#include <string_view>
#include <unordered_set>

namespace earshot::privacy::pii {
namespace {

// Views into the lists below, which live for the whole program.
std::unordered_set<std::string_view> Split(std::string_view text) {
  std::unordered_set<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
    if (j > i) out.emplace(text.substr(i, j - i));
    i = j;
  }
  return out;
}

constexpr std::string_view kGivenNames = R"(
james john robert michael david richard joseph thomas charles christopher daniel matthew
anthony donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy
jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
benjamin samuel gregory alexander patrick raymond dennis jerry tyler aaron jose adam henry
nathan douglas zachary peter kyle walter ethan jeremy harold keith christian roger noah
gerald carl terry sean arthur lawrence jesse dylan bryan joe billy bruce albert willie
gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby
philip johnny liam oliver lucas mason william steve mike tom dave jim bob jon chris matt
dan nick tony sam ben alex josh jake luke anthony
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
margaret sandra ashley kimberly emily donna michelle amanda dorothy melissa deborah
stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
diane ruth julie olivia joyce kelly lauren christina joan evelyn judith megan andrea cheryl
hannah jacqueline martha gloria teresa ann sara frances kathryn janice jean abigail alice
judy sophia denise beverly danielle marilyn theresa diana natalie brittany marie kayla
alexis lori isabella mia ava sophie chloe zoe ella anya elena sofia fatima aisha priya wei
mohammed muhammad ahmed omar ali carlos luis miguel jorge pedro diego javier alejandro
hiroshi yuki mei ling raj arjun ivan dmitri sergei olga natasha ingrid hans klaus pierre
jacques francois giulia marco luca giovanni jenny kate katie beth liz susie annie lucy
)";

constexpr std::string_view kAmbiguousNames = R"(
will bill mark may june april august grace joy hope faith rose summer jack ray dawn ruby
amber frank guy dean iris ivy holly rich pat sue don art drew chance max sunny sky river
jade pearl olive daisy lily autumn paris georgia virginia carol jordan austin madison
dallas chelsea brooklyn charlotte victoria florence sydney lincoln cliff glen miles
heath reed wade chase hunter skip penny ginger candy crystal destiny harmony melody
)";

constexpr std::string_view kSurnames = R"(
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill
flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips
evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook
rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward
richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez
castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan
bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan
patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant
herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison
fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker
guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason
dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox
warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan
gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos
hart bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews
alvarado ray delgado berry perkins hoffman johnston matthews pena richards contreras willis
carpenter lawrence sandoval mueller schneider fischer weber rossi russo ferrari bianchi
dubois moreau laurent tanaka suzuki watanabe wang li zhang liu singh kumar sharma khan
)";

constexpr std::string_view kStreetSuffixes = R"(
street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace
parkway pkwy circle cir highway hwy square sq trail alley crescent close row plaza loop
)";

constexpr std::string_view kUnitWords = R"(apartment apt unit suite ste flat floor room number)";

constexpr std::string_view kTopLevelDomains = R"(
com org net edu gov io co uk de fr it es nl ca au us info biz me tv ai app dev ch at be se
no dk fi pl jp cn in br mx ru eu
)";

constexpr std::string_view kStopWords = R"(
a an the and or but to of in on at for from with by is are was were be am i me my you your
he she it we they them his her its our their this that these those please can could would
should will shall do does did have has had not no yes what when where why how who which
there here then than so if about up down out over under again once now just also too very
tomorrow today tonight morning evening please thanks thank hello hi hey okay ok
)";

// One lookup table per list, built on first use.
template <const std::string_view* kList>
bool Contains(std::string_view w) {
  static const std::unordered_set<std::string_view> k = Split(*kList);
  return k.count(w) > 0;
}

}  // namespace

bool IsGivenName(std::string_view w) { return Contains<&kGivenNames>(w); }
bool IsAmbiguousName(std::string_view w) { return Contains<&kAmbiguousNames>(w); }
bool IsSurname(std::string_view w) { return Contains<&kSurnames>(w); }
bool IsStreetSuffix(std::string_view w) { return Contains<&kStreetSuffixes>(w); }
bool IsUnitWord(std::string_view w) { return Contains<&kUnitWords>(w); }
bool IsTopLevelDomain(std::string_view w) { return Contains<&kTopLevelDomains>(w); }
bool IsStopWord(std::string_view w) { return Contains<&kStopWords>(w); }

}  // namespace earshot::privacy::pii
