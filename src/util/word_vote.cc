#include "util/word_vote.h"

#include <algorithm>
#include <map>

namespace earshot {
namespace {

bool SlotHas(const std::vector<std::string>& slot, const std::string& word) {
  return std::find(slot.begin(), slot.end(), word) != slot.end();
}

// Aligns `words` (transcript number `k`) to `network`, returning the network
// with one more entry in every slot.
WordNetwork AddTranscript(const WordNetwork& network, const std::vector<std::string>& words,
                          size_t k) {
  const size_t s = network.size(), m = words.size();
  // cost[i][j]: edits aligning the first i slots with the first j words.
  std::vector<std::vector<int64_t>> cost(s + 1, std::vector<int64_t>(m + 1, 0));
  for (size_t i = 0; i <= s; ++i) cost[i][0] = static_cast<int64_t>(i);
  for (size_t j = 0; j <= m; ++j) cost[0][j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= s; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int64_t take = cost[i - 1][j - 1] + (SlotHas(network[i - 1], words[j - 1]) ? 0 : 1);
      cost[i][j] = std::min({take, cost[i - 1][j] + 1, cost[i][j - 1] + 1});
    }
  }
  // Back from the end, preferring a word in a slot, then a slot without
  // this transcript's word, then a new slot.
  WordNetwork out;
  size_t i = s, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 &&
        cost[i][j] == cost[i - 1][j - 1] + (SlotHas(network[i - 1], words[j - 1]) ? 0 : 1)) {
      out.push_back(network[i - 1]);
      out.back().push_back(words[j - 1]);
      --i, --j;
    } else if (i > 0 && cost[i][j] == cost[i - 1][j] + 1) {
      out.push_back(network[i - 1]);
      out.back().push_back("");
      --i;
    } else {
      std::vector<std::string> slot(k, "");
      slot.push_back(words[j - 1]);
      out.push_back(std::move(slot));
      --j;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

WordNetwork AlignWords(const std::vector<std::vector<std::string>>& transcripts) {
  WordNetwork network;
  for (size_t k = 0; k < transcripts.size(); ++k) {
    network = AddTranscript(network, transcripts[k], k);
  }
  return network;
}

std::vector<std::string> VoteWords(const WordNetwork& network) {
  std::vector<std::string> out;
  for (const auto& slot : network) {
    std::map<std::string, int> votes;
    for (const auto& word : slot) ++votes[word];
    // The first transcript's word among the most voted.
    int best = 0;
    for (const auto& [word, n] : votes) best = std::max(best, n);
    for (const auto& word : slot) {
      if (votes[word] == best) {
        if (!word.empty()) out.push_back(word);
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> ConsensusWords(const std::vector<std::vector<std::string>>& transcripts) {
  return VoteWords(AlignWords(transcripts));
}

std::optional<bool> MajorityAnswer(const std::vector<std::optional<bool>>& answers) {
  int yes = 0, no = 0;
  for (const auto& a : answers) {
    if (a) ++(*a ? yes : no);
  }
  if (yes != no) return yes > no;
  for (const auto& a : answers) {
    if (a) return *a;  // a tie: the first vote
  }
  return std::nullopt;
}

}  // namespace earshot
