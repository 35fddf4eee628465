// Consensus of several transcripts of one utterance, in the spirit of NIST
// ROVER (Fiscus 1997): the word sequences are aligned into one word
// transition network (each slot holds one word, or none, from every
// transcript), then each slot is decided by vote. Pure; thread-safe.
//
// Alignment is progressive, as in ROVER: the first transcript is the
// network; each next one is aligned to it by a word edit distance in which a
// word matches a slot that any earlier transcript put that word in, and a
// word no slot can take becomes a new slot (the earlier transcripts have no
// word there). A slot's vote counts one per transcript, "no word" included;
// a tie goes to the transcript that comes first, so the caller orders them
// by precedence (the adjudicator, then the better gold score, then the
// earlier review).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace earshot {

// The aligned network: slots[i][k] is transcript k's word in slot i, or ""
// where it has none. Every slot has at least one word.
using WordNetwork = std::vector<std::vector<std::string>>;

WordNetwork AlignWords(const std::vector<std::vector<std::string>>& transcripts);

// The winning word sequence (no-word winners leave nothing).
std::vector<std::string> VoteWords(const WordNetwork& network);

// AlignWords then VoteWords.
std::vector<std::string> ConsensusWords(const std::vector<std::vector<std::string>>& transcripts);

// The majority of yes/no answers in precedence order; nullopt ("can't
// tell") is no vote. A tie goes to the first answer among the tied; no vote
// at all is nullopt.
std::optional<bool> MajorityAnswer(const std::vector<std::optional<bool>>& answers);

}  // namespace earshot
