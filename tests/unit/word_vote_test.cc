// The ROVER-style word vote (util/word_vote.h): alignment keeps every
// transcript whole, the majority wins each slot, ties go to the first.
#include "util/word_vote.h"

#include <gtest/gtest.h>

#include <random>

#include "util/word_errors.h"

namespace earshot {
namespace {

std::string Vote(const std::vector<std::string>& texts) {
  std::vector<std::vector<std::string>> words;
  for (const auto& t : texts) words.push_back(NormalizedWords(t));
  std::string out;
  for (const auto& w : ConsensusWords(words)) out += (out.empty() ? "" : " ") + w;
  return out;
}

TEST(WordVote, TheMajorityWinsEachWord) {
  EXPECT_EQ(Vote({"turn on the lights", "turn off the lights", "turn on the light"}),
            "turn on the lights");
  EXPECT_EQ(Vote({"turn off the light", "turn on the lights", "turn on the lights"}),
            "turn on the lights")
      << "the first transcript has no say against two";
}

TEST(WordVote, InsertedAndDroppedWordsAlignAndAreVotedOn) {
  EXPECT_EQ(Vote({"turn on the lights", "turn on the kitchen lights", "turn on kitchen lights"}),
            "turn on the kitchen lights");
  EXPECT_EQ(Vote({"play some music now", "play music", "play music now"}), "play music now");
  EXPECT_EQ(Vote({"set a timer", "please set a timer", "please set a timer"}),
            "please set a timer");
}

TEST(WordVote, ATieGoesToTheFirstTranscript) {
  EXPECT_EQ(Vote({"turn on the lights", "turn off the light"}), "turn on the lights");
  EXPECT_EQ(Vote({"turn off the light", "turn on the lights"}), "turn off the light");
  EXPECT_EQ(Vote({"call mom", "call mom now"}), "call mom") << "no word ties with a word";
  EXPECT_EQ(Vote({"a", "b", "c"}), "a");
}

TEST(WordVote, EmptyTranscriptsAreVotesForNoWords) {
  EXPECT_EQ(Vote({}), "");
  EXPECT_EQ(Vote({"", ""}), "");
  EXPECT_EQ(Vote({"", "hello there", ""}), "");
  EXPECT_EQ(Vote({"hello there", "", "hello there"}), "hello there");
  EXPECT_EQ(Vote({"", "hello there"}), "") << "the first review's silence wins a tie";
}

TEST(WordVote, EveryTranscriptReadsBackWholeFromTheNetwork) {
  // Alignment may not lose, reorder or invent a word of any transcript.
  std::mt19937 rng(7);
  const std::vector<std::string> vocab = {"a", "b", "c", "d", "the", "on"};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::vector<std::string>> texts(1 + rng() % 4);
    for (auto& t : texts) {
      for (size_t n = rng() % 8; n > 0; --n) t.push_back(vocab[rng() % vocab.size()]);
    }
    const WordNetwork net = AlignWords(texts);
    for (size_t k = 0; k < texts.size(); ++k) {
      std::vector<std::string> back;
      for (const auto& slot : net) {
        ASSERT_EQ(slot.size(), texts.size());
        if (!slot[k].empty()) back.push_back(slot[k]);
      }
      ASSERT_EQ(back, texts[k]) << "round " << round << ", transcript " << k;
    }
    for (const auto& slot : net) {
      ASSERT_TRUE(std::any_of(slot.begin(), slot.end(), [](auto& w) { return !w.empty(); }));
    }
    // Two identical transcripts are their own consensus.
    ASSERT_EQ(ConsensusWords({texts[0], texts[0]}), texts[0]);
  }
}

TEST(WordVote, MajorityAnswerCountsYesAndNoOnly) {
  EXPECT_EQ(MajorityAnswer({true, false, true}), true);
  EXPECT_EQ(MajorityAnswer({false, std::nullopt, std::nullopt}), false) << "can't tell is no vote";
  EXPECT_EQ(MajorityAnswer({std::nullopt, false, true}), false) << "a tie: the first vote";
  EXPECT_EQ(MajorityAnswer({std::nullopt, std::nullopt}), std::nullopt);
  EXPECT_EQ(MajorityAnswer({}), std::nullopt);
}

}  // namespace
}  // namespace earshot
