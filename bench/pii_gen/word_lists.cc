#include "pii_gen/word_lists.h"

#include <sstream>

namespace earshot::bench::piigen {
namespace {

// Words separated by ',' (a name may hold a space).
List Of(const char* text) {
  List out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(" \n");
    size_t e = item.find_last_not_of(" \n");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

}  // namespace

const std::vector<Culture>& Cultures() {
  static const std::vector<Culture> k = {
      {"chinese",
       Of("xiaoming, jianguo, lihua, yuting, haoran, zihan, yichen, mingzhu, weijie, xinyi, "
          "jiahao, shufen, guoqiang, jun, yan, hui, xiuying, zhiwei, lanfang, chunhua, "
          "jingyi, ruoxi, tianyu, bowen"),
       Of("chen, huang, zhao, wu, zhou, xu, sun, zhu, guo, lin, luo, zheng, liang, xie, tang, "
          "han, feng, deng, cao, peng, zeng, xiao, tian, dong, pan, yuan, cai, jiang, du, "
          "cheng, su, ding, ren, qian, shen, wei, fang, jia")},
      {"indian",
       Of("aarav, vihaan, ananya, diya, rohan, sanjay, deepika, lakshmi, venkatesh, sunita, "
          "rahul, pooja, kavya, ishaan, meera, arvind, suresh, gayatri, nikhil, shreya, "
          "harpreet, gurpreet, anjali, prakash, ramesh, divya, aditya, swati"),
       Of("gupta, reddy, iyer, nair, menon, desai, joshi, chatterjee, banerjee, mukherjee, "
          "rao, pillai, agarwal, mehta, shah, verma, malhotra, kapoor, bhatt, chaudhary, "
          "krishnan, subramanian, naidu, kulkarni, deshpande, saxena, trivedi, dhillon, "
          "sandhu, venkataraman")},
      {"arabic",
       Of("youssef, khalid, mariam, layla, hassan, hussein, zainab, abdullah, karim, nour, "
          "rania, tariq, samir, amira, hamza, bilal, salma, yasmin, faisal, ibrahim, mustafa, "
          "hala, rashid, walid, dina, jamal"),
       Of("al rashid, haddad, mansour, nasser, saleh, hamdan, khoury, aziz, darwish, farouk, "
          "el amin, abboud, bakr, shalabi, zaki, ghanem, sabbagh, obeidat, tamimi, "
          "al masri, awad, barakat, habib, najjar")},
      {"hispanic",
       Of("alejandra, valentina, santiago, mateo, camila, ximena, joaquin, guadalupe, "
          "rodrigo, paola, esteban, lucia, fernanda, andres, catalina, emilio, rocio, "
          "ignacio, marisol, gonzalo, beatriz, sebastian, julieta, renata"),
       Of("castaneda, villanueva, quintero, echeverria, bustamante, navarro, salinas, "
          "cardenas, fuentes, espinoza, ibarra, zapata, montoya, arellano, valdez, cordero, "
          "palacios, benitez, rosales, acosta, maldonado, cabrera, sepulveda, figueroa, "
          "carrasco, pacheco, serrano, dominguez")},
      {"yoruba igbo",
       Of("oluwaseun, adebayo, folasade, temitope, olumide, babajide, yetunde, kehinde, "
          "titilayo, ayomide, chinedu, ngozi, chukwuemeka, obinna, ifeoma, nnamdi, "
          "chiamaka, ikenna, uchenna, adaeze, emeka, funmilayo, oluwadamilare, tobenna"),
       Of("okonkwo, adeyemi, okafor, nwosu, eze, balogun, ogunleye, onyeka, adewale, okeke, "
          "nwachukwu, oyelaran, ibekwe, adebisi, olaniyan, chukwu, obiora, afolabi, "
          "oyedepo, nnaji, akinola, ezeani")},
      {"vietnamese",
       Of("minh, thanh, huong, phuong, duc, tuan, linh, quang, thao, hieu, trang, khanh, "
          "ngoc, bao, hoa, dung, vy, tam, thuy, huy"),
       Of("pham, hoang, phan, vu, vo, dang, bui, ngo, duong, truong, dinh, lam, trinh, "
          "luong, ha, quach")},
      {"korean",
       Of("minjun, seoyeon, jiwoo, hyunwoo, jisoo, eunji, dongha, sungmin, yerin, jaehyun, "
          "soyeon, taeyang, hana, minseo, joon, yuna, seojun, haeun"),
       Of("park, choi, jung, kang, cho, yoon, jang, lim, shin, seo, kwon, hwang, ahn, ryu, "
          "hong, jeon, ko, moon, baek, nam")},
      {"japanese",
       Of("haruto, yuto, sota, aoi, hina, yui, sakura, riku, takeshi, kenji, akiko, naoko, "
          "hiroko, daisuke, kazuki, ayumi, shota, misaki, kaito, haruka, tsubasa, emiko"),
       Of("sato, takahashi, ito, yamamoto, nakamura, kobayashi, kato, yoshida, yamada, "
          "sasaki, yamaguchi, matsumoto, inoue, kimura, hayashi, shimizu, yamazaki, mori, "
          "ikeda, hashimoto, ishikawa, ogawa, fujita, okada, hasegawa, murakami")},
      {"slavic",
       Of("aleksandr, ekaterina, svetlana, yuri, anastasia, mikhail, tatiana, vladimir, "
          "irina, pavel, agnieszka, katarzyna, tomasz, piotr, magdalena, jakub, lukasz, "
          "zofia, milan, jelena, dragan, bogdan, oksana, taras, vaclav"),
       Of("ivanov, smirnov, kuznetsov, popov, sokolov, lebedev, kozlov, novikov, morozov, "
          "petrov, volkov, kowalski, nowak, wisniewski, wojcik, kaminski, lewandowski, "
          "zielinski, szymanski, horvat, kovacevic, dvorak, shevchenko, bondarenko, "
          "kovalenko")},
      {"german",
       Of("lukas, leonie, jonas, katharina, felix, lena, maximilian, johanna, tobias, anke, "
          "dieter, wolfgang, jurgen, ursula, sabine, matthias, florian, greta, heike, uwe, "
          "sven, birgit"),
       Of("becker, hoffmann, schulz, koch, richter, klein, schroeder, neumann, schwarz, "
          "zimmermann, braun, krueger, hofmann, hartmann, lange, werner, krause, lehmann, "
          "koehler, maier, huber, kaiser, fuchs, vogel, brandt, engel, scholz, kuhn")},
      {"french",
       Of("camille, mathieu, sebastien, juliette, antoine, aurelie, theo, manon, guillaume, "
          "celine, benoit, elodie, nicolas, margaux, hugo, clementine, yannick, amelie, "
          "olivier, sylvie, thierry, isabelle"),
       Of("lefebvre, girard, bonnet, dupont, lambert, fontaine, rousseau, fournier, morel, "
          "mercier, guerin, boyer, garnier, chevalier, legrand, gauthier, perrin, faure, "
          "lemaire, leroy, renaud, marchand, roux")},
      {"italian",
       Of("alessandro, francesca, lorenzo, chiara, matteo, federica, riccardo, martina, "
          "giorgio, alessia, stefano, elisa, davide, simone, ilaria, tommaso, beatrice, "
          "fabio, serena, gianluca, paolo"),
       Of("esposito, romano, colombo, ricci, marino, greco, gallo, conti, de luca, mancini, "
          "costa, giordano, rizzo, lombardi, moretti, barbieri, fontana, santoro, mariani, "
          "rinaldi, caruso, ferrara, galli, martinelli, vitale")},
      {"turkish",
       Of("mehmet, ayse, fatma, emre, elif, burak, zeynep, cem, deniz, hakan, selin, murat, "
          "oguz, ebru, kerem, ozlem, serkan, tugba, yusuf, esra, baris, gokhan"),
       Of("yilmaz, kaya, demir, sahin, celik, yildiz, yildirim, ozturk, aydin, ozdemir, "
          "arslan, dogan, kilic, aslan, cetin, koc, ozkan, simsek, polat, erdogan, aksoy, "
          "korkmaz")},
      {"persian",
       Of("dariush, farzaneh, mehdi, shirin, reza, parisa, arash, nasrin, behnaz, kourosh, "
          "roya, babak, leila, omid, golnar, navid, soraya, kian, mahsa, siavash"),
       Of("hosseini, mohammadi, rezaei, ahmadi, moradi, karimi, jafari, rahimi, tehrani, "
          "shirazi, esfahani, sadeghi, nazari, ghorbani, bagheri, kazemi, hashemi, amini, "
          "farahani, rostami")},
      {"brazilian portuguese",
       Of("joao, thiago, gabriela, rafaela, leticia, goncalo, vinicius, larissa, caio, "
          "bruna, felipe, marcia, rogerio, tatiane"),
       Of("oliveira, pereira, carvalho, almeida, ribeiro, souza, ferreira, barbosa, rocha, "
          "teixeira, moreira, cavalcanti, azevedo, nogueira, medeiros")},
      {"east african",
       Of("wanjiru, otieno, akinyi, njeri, baraka, zawadi, abebe, tigist, girma, "
          "mulugeta, amani, neema"),
       Of("kamau, njoroge, mwangi, ochieng, wambui, kiprop, haile, tesfaye, bekele, "
          "mutua, odhiambo")},
      {"south asian muslim",
       Of("imran, ayesha, farhan, nasreen, shahid, rukhsana, tanvir, sadia, arif, nusrat"),
       Of("rahman, chowdhury, hossain, akhtar, siddiqui, qureshi, mirza, sheikh, ansari, "
          "malik")},
      {"irish scottish",
       Of("siobhan, niamh, padraig, oisin, aoife, ciaran, eamon, grainne, fionnuala, "
          "ruairi, mairead, lachlan"),
       Of("mccarthy, byrne, doyle, kavanagh, gallagher, obrien, donnelly, mcgrath, "
          "fitzgerald, mackenzie, macleod, oconnell")},
      {"nordic greek hebrew",
       Of("bjorn, sigrid, lars, astrid, freya, henrik, dimitris, eleni, kostas, yael, noam, "
          "tamar, eitan, avraham"),
       Of("johansson, lindqvist, nielsen, eriksson, haugen, andersen, papadopoulos, "
          "georgiou, nikolaidis, cohen, levi, mizrahi, friedman, rosenberg")},
      {"southeast asian",
       Of("budi, siti, wahyu, dewi, somchai, siriporn, niran, maricel, jericho, rizal, "
          "nurul, farah"),
       Of("santoso, wijaya, susanto, saetang, wongsawat, dela cruz, bautista, mendiola, "
          "abdullah, ismail")},
      {"english",
       Of("harriet, rupert, imogen, fergus, declan, bethany, wyatt, brooke, colton, "
          "mackenzie, oliver, amelia, george, charlotte"),
       Of("whitfield, ashworth, pemberton, hollis, thornton, blackwood, langley, prescott, "
          "calloway, winslow, bennett, hughes")},
  };
  return k;
}

const List& StreetNames() {
  static const List k = Of(
      "linden, cedar ridge, willow brook, juniper, harbor view, old mill, king edward, "
      "rosewood, sycamore, chestnut, magnolia, ashford, greenbank, kingsway, station, church, "
      "high, mill, jasmine, lotus, gandhi, nehru, tanglewood, silver birch, meadowlark, "
      "foxglove, hawthorn, ridgeview, bluebell, queen victoria, martin luther king, "
      "cesar chavez, santa rosa, el camino, lakeshore, orchard, primrose, thistle, quarry, "
      "windmill, beacon, oakmont, copper beech, granite, pinecrest, abbey, marigold, "
      "riverside, alder, hollyhock, birchfield, wellington, jacaranda, banyan, acacia");
  return k;
}

const List& StreetSuffixes() {
  static const List k = Of(
      "street, street, avenue, avenue, road, road, lane, drive, court, boulevard, way, "
      "place, terrace, crescent, close, grove, gardens, parkway, circle, square, row, mews, "
      "walk, st, ave, rd");
  return k;
}

const List& Cities() {
  static const List k = Of(
      "leeds, manchester, pune, lagos, sao paulo, lyon, munich, osaka, toronto, denver, "
      "bristol, chennai, abuja, porto alegre, marseille, hamburg, nagoya, melbourne, "
      "portland, glasgow, hyderabad, ibadan, cologne, sapporo, perth, tucson");
  return k;
}

const List& MailProviders() {
  static const List k = Of(
      "gmail, g mail, outlook, hotmail, yahoo, proton mail, protonmail, icloud, aol, "
      "zoho, gmx, fastmail, yandex, rediffmail, web");
  return k;
}

const List& BrandWords() {
  static const List k = Of(
      "bright, path, kwik, fix, nova, tech, blue, harbor, green, leaf, sun, rise, iron, "
      "gate, pixel, forge, maple, works, north, star, cloud, nine, apex, labs, river, stone, "
      "quantum, hub, urban, nest, silver, line, golden, key, swift, mark, cedar, point");
  return k;
}

const List& Paths() {
  static const List k = Of(
      "login, account, in, profile, about, contact, portfolio, blog, shop, help, orders, "
      "settings, user, my page, home, careers, photos, members, booking");
  return k;
}

const List& Foods() {
  static const List k = Of(
      "flour, sugar, butter, eggs, milk, rice, lentils, tomatoes, onions, apples, olive oil, "
      "chicken, yogurt, spinach, oats, coffee, bananas, garlic, potatoes, cheese");
  return k;
}

const List& Songs() {
  static const List k = Of(
      "bohemian rhapsody, dancing queen, shape of you, blinding lights, hotel california, "
      "the office, breaking bad, stranger things, despacito, yesterday, imagine, "
      "clair de lune, the four seasons, jolene, bad guy");
  return k;
}

}  // namespace earshot::bench::piigen
