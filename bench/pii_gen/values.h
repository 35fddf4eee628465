// Random personal values, each said in one of the ways people say it.
// Internal to pii_gen/. Not thread-safe (uses the caller's engine).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "pii_gen/pii_generator.h"
#include "pii_gen/verbalize.h"

namespace earshot::bench::piigen {

// Words with one label; `soft` as in Utterance.
struct Piece {
  Words words;
  Label label = Label::kNone;
  bool soft = false;
};
using Pieces = std::vector<Piece>;

// Each appends what it said to `kind` ("plus", "spelled", "written", ...).
class Values {
 public:
  explicit Values(std::mt19937& rng) : rng_(rng), say_(rng) {}

  Pieces Phone(std::string& kind);
  Pieces Card(std::string& kind, bool* amex);
  Pieces CardEnding(std::string& kind);
  Pieces Expiry(std::string& kind);
  Pieces Cvc(std::string& kind, bool amex);
  Pieces NationalId(std::string& kind);  // SSN, NI, Aadhaar
  Pieces Code(std::string& kind);        // letters and digits: policy, passport, booking
  Pieces Address(std::string& kind);
  Pieces Email(std::string& kind);
  Pieces Url(std::string& kind);
  // A person's name; `form` picks given, full, title + family, kin + given.
  Pieces Name(std::string& kind, int form);
  Pieces DateOfBirth(std::string& kind, bool year_only);

  Speaker& say() { return say_; }

 private:
  std::string Letters(int n);
  Words SayCode(const std::string& code);
  Words SayEmailLocal(const std::string& local);
  Words SayDomain(const std::vector<std::string>& labels, std::string& kind);
  std::vector<std::string> RandomDomain(bool personal);
  std::string Given();
  std::string Family();

  std::mt19937& rng_;
  Speaker say_;
};

}  // namespace earshot::bench::piigen
