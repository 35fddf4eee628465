// Word error counting for the quality report: the word-level edit distance
// (substitutions + deletions + insertions), and the same between two
// transcripts after normalizing them. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace earshot {

int64_t WordEditDistance(const std::vector<std::string>& reference,
                         const std::vector<std::string>& hypothesis);

// Lower-cased words without punctuation; any bracketed token ("[LONG_NUMBER]",
// "[bleep]") becomes "[pii]", so that a bleep heard and a mask in the
// machine's text count as the same word.
std::vector<std::string> NormalizedWords(const std::string& text);

struct WordErrors {
  int64_t errors = 0;           // edits turning the reference into the hypothesis
  int64_t reference_words = 0;  // WER = errors / reference_words
};

WordErrors CountWordErrors(const std::string& reference, const std::string& hypothesis);

}  // namespace earshot
