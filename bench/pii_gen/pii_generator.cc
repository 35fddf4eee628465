#include "pii_gen/pii_generator.h"

#include <map>

#include "pii_gen/distractors.h"
#include "pii_gen/values.h"
#include "pii_gen/word_lists.h"

namespace earshot::bench::piigen {
namespace {

using Slots = std::map<char, Pieces>;

// Splits a carrier on spaces; "%x" is slot x.
Utterance Fill(const std::string& carrier, const Slots& slots, Speaker& say) {
  Utterance u;
  auto add = [&u](const std::string& w, Label l, bool soft) {
    u.words.push_back(w);
    u.labels.push_back(l);
    u.soft.push_back(soft);
  };
  static const List kOpeners = {"um", "okay", "hey", "so", "yeah", "hi", "uh", "well", "right"};
  if (say.Chance(0.15)) add(say.Pick(kOpeners), Label::kNone, false);
  size_t i = 0;
  while (i < carrier.size()) {
    size_t j = carrier.find(' ', i);
    if (j == std::string::npos) j = carrier.size();
    const std::string tok = carrier.substr(i, j - i);
    i = j + 1;
    if (tok.size() == 2 && tok[0] == '%') {
      for (const Piece& p : slots.at(tok[1])) {
        for (const auto& w : p.words) add(w, p.label, p.soft);
      }
    } else if (!tok.empty()) {
      add(tok, Label::kNone, false);
    }
  }
  static const List kClosers = {"please", "thanks", "thank you", "okay"};
  if (say.Chance(0.1)) {
    const std::string c = say.Pick(kClosers);
    for (size_t k = 0, e; k < c.size(); k = e + 1) {
      e = c.find(' ', k);
      if (e == std::string::npos) e = c.size();
      add(c.substr(k, e - k), Label::kNone, false);
    }
  }
  return u;
}

const List& PhoneCarriers() {
  static const List k = {
      "my number is %p", "call me at %p", "you can reach me on %p", "my mobile is %p",
      "text me at %p", "dial %p", "call %p", "the phone number is %p", "my cell is %p",
      "my whatsapp is %p", "add %p to my contacts", "my work line is %p",
      "save this number %p", "%p is my number", "ring me on %p",
      "my husband's number is %p", "call the clinic back on %p",
      "send a text to %p saying i'm on my way", "can you dial %p for me",
      "her new number is %p if you need it", "reach me at %p after six",
      "my home phone %p", "the number to call is %p", "it's %p"};
  return k;
}

const List& CardCarriers() {
  static const List k = {
      "my card number is %c", "charge it to %c", "use card %c", "the credit card is %c",
      "visa %c", "pay with my mastercard %c", "card number %c expiry %e",
      "%c expires %e", "it's %c and the expiry date is %e",
      "card %c expiring %e security code %v", "number %c exp %e cvv %v",
      "the card is %c valid until %e and the code on the back is %v",
      "my debit card %c", "put it on %c"};
  return k;
}

const List& CardPartCarriers() {
  static const List k = {
      "the card ending in %c", "use my visa ending %c", "charge the card that ends in %c",
      "the expiry date is %e", "it expires %e", "expiration date %e",
      "the card expires on %e", "valid thru %e", "the security code is %v", "cvv %v",
      "the three digits on the back of the card are %v", "cvc is %v",
      "card security code %v", "expiry %e and cvc %v"};
  return k;
}

const List& NationalIdCarriers() {
  static const List k = {
      "my social security number is %i", "ssn %i", "my social is %i",
      "national insurance number %i", "my aadhaar number is %i", "my tax id is %i",
      "%i is my social security number", "the ssn on file is %i",
      "my national insurance is %i"};
  return k;
}

const List& CodeCarriers() {
  static const List k = {
      "my policy number is %k", "passport number %k", "my member id is %k",
      "insurance id %k", "the booking reference is %k", "confirmation code %k",
      "my driver's license number is %k", "my customer number is %k",
      "reference number %k", "patient id %k", "my student id is %k",
      "the claim number is %k", "%k is my policy number", "my passport is %k",
      "the reservation code is %k"};
  return k;
}

const List& AddressCarriers() {
  static const List k = {
      "i live at %a", "my address is %a", "ship it to %a", "navigate to %a",
      "deliver to %a please", "the package should go to %a", "my new address is %a",
      "send the invoice to %a", "pick me up at %a", "i moved to %a last month",
      "directions to %a", "we're at %a", "it's %a"};
  return k;
}

const List& EmailCarriers() {
  static const List k = {
      "my email is %m", "email me at %m", "send it to %m", "my email address is %m",
      "you can write to %m", "contact me at %m", "forward this to %m",
      "my work email %m", "cc %m", "it's %m", "the address is %m",
      "send the receipt to %m please"};
  return k;
}

const List& UrlCarriers() {
  static const List k = {
      "go to %u", "open %u", "visit %u", "my website is %u", "check out %u",
      "my portfolio is at %u", "my profile is %u", "the link is %u", "bookmark %u",
      "find me at %u"};
  return k;
}

// Per name form (values.h Values::Name).
const List& NameCarriers(int form) {
  static const std::vector<List> k = {
      {"my name is %n", "i'm %n", "this is %n", "%n here", "hi it's %n", "you can call me %n",
       "call me %n", "text %n", "remind %n about the meeting", "tell %n i'm running late",
       "send a message to %n", "ask %n if she wants to come", "it's %n calling about the order",
       "my name's %n"},
      {"my name is %n", "i am %n", "this is %n speaking", "call %n", "add %n to my contacts",
       "email %n the report", "schedule a meeting with %n", "the patient's name is %n",
       "my full name is %n", "the reservation is under %n", "send flowers to %n",
       "message %n", "i'm %n"},
      {"i have an appointment with %n", "put me through to %n", "book me with %n on tuesday",
       "it's %n calling", "remind me to call %n", "is %n available", "tell %n that i'll be late",
       "i'd like to speak to %n", "this is %n"},
      {"my last name is %n", "the surname is %n", "my family name is %n"},
      {"%n is coming over", "pick up %n from school", "call %n", "remind %n to take her pills",
       "text %n happy birthday", "%n will be late", "i'm here with %n",
       "book a table for me and %n"},
  };
  return k[static_cast<size_t>(form)];
}

const List& DobCarriers(bool year_only) {
  static const List kDate = {
      "i was born on %d", "my date of birth is %d", "date of birth %d", "dob %d", "d o b %d",
      "my birthday is %d", "%d is my date of birth", "my birth date is %d",
      "his date of birth is %d", "my son was born on %d", "the patient was born on %d",
      "born %d", "her birthday is %d"};
  static const List kYear = {"i was born in %d", "born in %d", "my year of birth is %d",
                             "birth year %d", "i was born %d"};
  return year_only ? kYear : kDate;
}

}  // namespace

const char* LabelName(Label label) {
  switch (label) {
    case Label::kNone: return "NONE";
    case Label::kPhone: return "PHONE";
    case Label::kCard: return "CARD";
    case Label::kCardExpiry: return "CARD_EXPIRY";
    case Label::kCardCvc: return "CARD_CVC";
    case Label::kIdNumber: return "ID_NUMBER";
    case Label::kAddress: return "ADDRESS";
    case Label::kEmail: return "EMAIL";
    case Label::kUrl: return "URL";
    case Label::kName: return "NAME";
    case Label::kDateOfBirth: return "DATE_OF_BIRTH";
  }
  return "?";
}

Utterance Generator::Next(double distractor_share) {
  Speaker say(rng_);
  if (say.Chance(distractor_share)) return Distractor();
  static const std::vector<Label> kTypes = {
      Label::kPhone, Label::kCard,  Label::kCardExpiry, Label::kIdNumber,    Label::kAddress,
      Label::kEmail, Label::kUrl,   Label::kName,       Label::kDateOfBirth, Label::kName};
  return Personal(say.Pick(kTypes));
}

Utterance Generator::Personal(Label type) {
  Values v(rng_);
  Speaker& say = v.say();
  std::string kind = LabelName(type);
  Slots slots;
  std::string carrier;
  switch (type) {
    case Label::kPhone:
      slots['p'] = v.Phone(kind);
      carrier = say.Pick(PhoneCarriers());
      break;
    case Label::kCard: {
      bool amex = false;
      slots['c'] = v.Card(kind, &amex);
      slots['e'] = v.Expiry(kind);
      slots['v'] = v.Cvc(kind, amex);
      carrier = say.Pick(CardCarriers());
      break;
    }
    case Label::kCardExpiry:
    case Label::kCardCvc:
      kind = "CARD_PART";
      slots['c'] = v.CardEnding(kind);
      slots['e'] = v.Expiry(kind);
      slots['v'] = v.Cvc(kind, false);
      carrier = say.Pick(CardPartCarriers());
      break;
    case Label::kIdNumber:
      if (say.Chance(0.4)) {
        slots['i'] = v.NationalId(kind);
        carrier = say.Pick(NationalIdCarriers());
        // The carrier must fit the id it names: keep it generic otherwise.
        if (kind.find("/ssn") == std::string::npos &&
            carrier.find("social") != std::string::npos) {
          carrier = "my id number is %i";
        }
      } else {
        slots['k'] = v.Code(kind);
        carrier = say.Pick(CodeCarriers());
      }
      break;
    case Label::kAddress:
      slots['a'] = v.Address(kind);
      carrier = say.Pick(AddressCarriers());
      break;
    case Label::kEmail:
      slots['m'] = v.Email(kind);
      carrier = say.Pick(EmailCarriers());
      break;
    case Label::kUrl:
      slots['u'] = v.Url(kind);
      carrier = say.Pick(UrlCarriers());
      break;
    case Label::kName: {
      const int form = say.Int(0, 4);
      slots['n'] = v.Name(kind, form);
      carrier = say.Pick(NameCarriers(form));
      break;
    }
    case Label::kDateOfBirth: {
      const bool year_only = say.Chance(0.25);
      slots['d'] = v.DateOfBirth(kind, year_only);
      carrier = say.Pick(DobCarriers(year_only));
      break;
    }
    case Label::kNone: return Distractor();
  }
  Utterance u = Fill(carrier, slots, say);
  // Sometimes a harmless tail with numbers of its own.
  if (say.Chance(0.15)) {
    const Words tail = DistractorTail(say);
    for (const auto& w : tail) {
      u.words.push_back(w);
      u.labels.push_back(Label::kNone);
      u.soft.push_back(false);
    }
    kind += "/tail";
  }
  u.kind = kind;
  return u;
}

Utterance Generator::Distractor() {
  Speaker say(rng_);
  std::string kind;
  Utterance u;
  u.words = DistractorWords(say, kind);
  u.labels.assign(u.words.size(), Label::kNone);
  u.soft.assign(u.words.size(), false);
  u.distractor = true;
  u.kind = "DISTRACTOR/" + kind;
  return u;
}

}  // namespace earshot::bench::piigen
