#include "util/word_errors.h"

#include <algorithm>
#include <cctype>

namespace earshot {

int64_t WordEditDistance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<int64_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> NormalizedWords(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  bool bracket = false;
  auto flush = [&] {
    if (bracket) {
      out.push_back("[pii]");
    } else if (!word.empty()) {
      out.push_back(word);
    }
    word.clear();
    bracket = false;
  };
  for (unsigned char c : text) {
    if (c == '[') {
      flush();
      bracket = true;
    } else if (c == ']') {
      if (bracket) flush();
    } else if (bracket) {
      continue;  // the inside of a bracketed token does not matter
    } else if (std::isspace(c)) {
      flush();
    } else if (std::isalnum(c) || c == '\'' || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
    }
  }
  flush();
  return out;
}

WordErrors CountWordErrors(const std::string& reference, const std::string& hypothesis) {
  const auto ref = NormalizedWords(reference);
  const auto hyp = NormalizedWords(hypothesis);
  return {WordEditDistance(ref, hyp), static_cast<int64_t>(ref.size())};
}

}  // namespace earshot
