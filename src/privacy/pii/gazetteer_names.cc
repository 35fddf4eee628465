// The name lists of gazetteer.cc. Internal to pii/.
//
// US: the most frequent given names and surnames of the US Census Bureau's
// name frequency lists (1990 census given names, 2010 census surnames; US
// government works, public domain), top entries. World: common given names
// and surnames of China, India, the Arab world, Spain and Latin America,
// Nigeria, Vietnam, Korea, Japan, Russia and Poland, Germany, France, Italy,
// Turkey, Iran, Brazil, Pakistan, Indonesia and Ireland, chosen from general
// knowledge of name frequency in those countries (romanized, lower case,
// joined: "oconnor"). Written apart from the evaluation's generator
// (bench/pii_gen/word_lists.cc), which holds mostly other names, so that the
// evaluation measures the cues as well as this list (docs/pii-text-eval.md).
// Names that are also everyday words ("will", "may", "grace", "song") are
// kept apart and count as names only after a strong cue ("my name is ...").
#include "privacy/pii/gazetteer_lists.h"

namespace earshot::privacy::pii {

const std::string_view kGivenNames = R"(
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
wei fang jing xiuying xiaoling jie tao ming chao xin hua hui qiang zhen
lei yong jian xiaohong guoqing yuying
amit anil sunil vijay ravi rajesh mahesh ganesh deepak manoj ashok rakesh pankaj sachin
vikram priyanka neha anita kavita rekha asha geeta seema sushila kamala lakshmi krishna
sanjay suresh ramesh sunita pooja rahul anjali
mohamed mohammad ahmad mahmoud abdul abdullah hassan hussein hossein youssef yusuf
ibrahim khalid mustafa maryam mariam khadija zainab layla noor amina halima hamza bilal
tariq imran asif nasir
carmen antonio manuel francisco ana daniela luciana fernando ricardo raul sergio
santiago mateo valentina camila ximena guadalupe rafael enrique eduardo
chinedu emeka ngozi chioma ifeanyi tunde bola yemi segun femi kemi abubakar musa aminu
adebayo oluwaseun
anh linh thanh tuan huong phuong trang thu hai nam quang
jihoon minho jiyeon sujin youngho hyejin seojun
takashi makoto akira yoko keiko yumiko tomoko sachiko kazuo haruto hiroko
alexei andrei nikolai mikhail vladimir tatiana irina svetlana natalia ekaterina yulia
piotr pawel krzysztof katarzyna malgorzata agnieszka
wolfgang andreas stefan juergen jurgen uwe helga ursula monika petra
michel philippe alain nathalie isabelle sylvie francoise camille lea
giuseppe mario luigi francesco andrea alessandro francesca chiara paola
mehmet ahmet huseyin hasan ismail fatma ayse emine hatice zeynep elif
fatemeh zahra narges reza mehdi
joao thiago francisca antonia adriana juliana
siti budi agus sri
)";

const std::string_view kAmbiguousNames = R"(
will bill mark may june april august grace joy hope faith rose summer jack ray dawn ruby
amber frank guy dean iris ivy holly rich pat sue don art drew chance max sunny sky river
jade pearl olive daisy lily autumn paris georgia virginia carol jordan austin madison
dallas chelsea brooklyn charlotte victoria florence sydney lincoln cliff glen miles
heath reed wade chase hunter skip penny ginger candy crystal destiny harmony melody
song min long
)";

const std::string_view kSurnames = R"(
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
chen yang huang zhao wu zhou xu sun zhu guo gao luo zheng liang xie tang
gupta reddy rao das yadav jain mehta iyer nair pillai bose ghosh chopra kapoor
khalil haddad saleh mansour ibrahim hassan hussein
suarez molina ortega rubio marin iglesias garrido cortes lozano guerrero cano prieto
marquez cabrera campos vega fuentes carrasco caballero nieto pascual santana montero
hidalgo gimenez ibanez ferrer duran benitez mora arias carmona crespo velasco parra
rojas navarro dominguez
bello abubakar musa usman yusuf eze okafor okeke adeyemi olawale
huynh phan vu vo dang bui ngo duong
kang cho yoon jang lim shin kwon hwang ahn
sato takahashi ito yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi saito
matsumoto inoue kimura hayashi shimizu
ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov morozov
volkov lebedev pavlov kozlov ivanova smirnova petrova
nowak kowalski wisniewski wojcik kowalczyk kaminski lewandowski zielinski wozniak
muller schulz schaefer bauer richter klein schroeder neumann zimmermann hoffmann
becker koch hartmann
bernard petit durand lefevre girard mercier fournier bertrand
esposito romano colombo ricci marino greco gallo conti mancini giordano lombardi moretti
yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir arslan dogan
mohammadi hosseini ahmadi rezaei moradi karimi jafari rahimi hashemi
silva oliveira souza rodrigues ferreira alves pereira lima gomes ribeiro martins carvalho
almeida soares fernandes vieira barbosa
murphy walsh byrne oconnor oneill osullivan obrien
)";

}  // namespace earshot::privacy::pii
