// Training exports (issue 15, item 6): only consented, consolidated clips;
// nothing that identifies anyone; each layout read back by a strict reader
// written here; tombstones for what subjects took back, and prune.
#include "review/training_export.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ingest/intake.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> Lines(const fs::path& p) {
  std::ifstream in(p);
  EXPECT_TRUE(in.good()) << p;
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// A strict reader of the WAVs earshot writes: RIFF/WAVE, PCM 16-bit mono;
// returns the duration in seconds, or -1 for anything else.
double WavSeconds(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), {});
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
  };
  auto u16 = [&](size_t at) { return u32(at) & 0xffff; };
  if (b.size() < 44 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) return -1;
  if (u32(4) + 8 != b.size()) return -1;
  size_t at = 12;
  uint32_t rate = 0;
  while (at + 8 <= b.size()) {
    const std::string id = b.substr(at, 4);
    const uint32_t size = u32(at + 4);
    if (id == "fmt ") {
      if (u16(at + 8) != 1 || u16(at + 10) != 1 || u16(at + 22) != 16) return -1;
      rate = u32(at + 12);
    } else if (id == "data") {
      if (rate == 0 || at + 8 + size != b.size()) return -1;
      return static_cast<double>(size) / 2.0 / rate;
    }
    at += 8 + size + (size & 1);
  }
  return -1;
}

class TrainingExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    auto spec = env_.stream.spec;
    spec.double_review = 1.0;
    spec.gold_share = 0.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
    GrantConsent(*env_.ctx, "acct-t", true, true, /*training=*/true);
    GrantConsent(*env_.ctx, "acct-n", true, true, /*training=*/false);
    alice_ = Reviewer(*env_.ctx, "alice");
    bob_ = Reviewer(*env_.ctx, "bob");
    // acct-t: two clips reviewed twice, one reviewed once; acct-n: one
    // reviewed twice (no training consent).
    Ingest("acct-t", 2);
    Ingest("acct-n", 1);
    ReviewAll(alice_);
    ReviewAll(bob_);
    spec.double_review = 0.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
    Ingest("acct-t", 1);
    ReviewAll(alice_);
  }
  void Ingest(const std::string& account, int n) {
    for (int i = 0; i < n; ++i) {
      auto out = ingest::IngestRecording(
          *env_.ctx, env_.stream,
          Meta(account, env_.clock.NowMs(), "SN-SECRET-77", "turn on the lights"),
          EncodeAs(Signal(1500, 40 + seed_++), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      env_.clock.Advance(10);
    }
    RunFakeStages(*env_.ctx, AllStages());
  }
  void ReviewAll(const staff::StaffMember& who) {
    for (;;) {
      auto task = review::LeaseNext(*env_.ctx, who);
      ASSERT_TRUE(task.ok());
      if (!task->has_value()) return;
      auto input = review::ParseAnnotation(
          R"({"transcript":"Turn on the lights.","intended":true,"heard_accurately":true,)"
          R"("responded_appropriately":true})");
      ASSERT_TRUE(input.ok());
      ASSERT_OK(review::Annotate(*env_.ctx, who, (*task)->task_id, *input));
      env_.clock.Advance(1000);
    }
  }
  Result<review::ExportSummary> Export(const std::string& name, review::ExportFormat format) {
    review::ExportRequest req;
    req.stream = env_.stream.spec.name;
    req.format = format;
    req.out_dir = (fs::path(out_.path()) / name).string();
    req.actor = "operator";
    return review::ExportTraining(*env_.ctx, req);
  }
  // Nothing in the export names a clip, recording, subject, account, device
  // or reviewer.
  void ExpectNoIdentifiers(const std::string& dir) {
    std::vector<std::string> secrets = {"acct-t",       "acct-n", "SN-SECRET-77", alice_.pseudonym,
                                        bob_.pseudonym, "clp_",   "rec_",         "sub_",
                                        "tsk_",         "ann_"};
    for (const auto& [path, bytes] : ReadAllFiles(dir)) {
      for (const auto& s : secrets) {
        EXPECT_EQ(bytes.find(s), std::string::npos) << path << " holds " << s;
      }
    }
  }
  int64_t Int(const std::string& sql) { return QueryInt(*env_.ctx, sql); }
  Env env_;
  TempDir out_;
  staff::StaffMember alice_, bob_;
  uint32_t seed_ = 0;
};

TEST_F(TrainingExportTest, NemoHasOnlyConsentedConsolidatedClipsAndReadsBackStrictly) {
  auto s = Export("nemo", review::ExportFormat::kNemo);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->utterances, 2) << "acct-t's two double-reviewed clips; not the single review, "
                                 "not acct-n's (no training consent)";
  const fs::path dir = fs::path(out_.path()) / "nemo";
  const auto lines = Lines(dir / "manifest.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  std::set<std::string> files;
  for (const auto& line : lines) {
    const json j = json::parse(line);
    ASSERT_TRUE(j.is_object());
    ASSERT_EQ(j.size(), 3u) << line;
    ASSERT_TRUE(j["audio_filepath"].is_string() && j["duration"].is_number() &&
                j["text"].is_string());
    EXPECT_EQ(j["text"], "turn on the lights") << "the normalized consensus";
    const fs::path wav = dir / j["audio_filepath"].get<std::string>();
    ASSERT_TRUE(fs::exists(wav)) << wav;
    EXPECT_NEAR(WavSeconds(wav), j["duration"].get<double>(), 1e-6);
    EXPECT_NEAR(j["duration"].get<double>(), 1.5, 0.01);
    files.insert(wav.filename().string());
  }
  std::set<std::string> on_disk;
  for (const auto& e : fs::directory_iterator(dir / "audio")) on_disk.insert(e.path().filename());
  EXPECT_EQ(on_disk, files) << "every audio file is in the manifest and no other";
  EXPECT_TRUE(Lines(dir / "tombstones.txt").empty());
  ExpectNoIdentifiers(dir.string());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_events WHERE action = 'training.export'"), 1);
  auto list = review::ListExports(*env_.ctx);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).state, "done");
  EXPECT_EQ(list->at(0).utterances, 2);
  EXPECT_EQ(list->at(0).format, "nemo");
}

TEST_F(TrainingExportTest, TheAudiofolderAndKaldiLayoutsAreComplete) {
  ASSERT_TRUE(Export("hf", review::ExportFormat::kHf).ok());
  const fs::path hf = fs::path(out_.path()) / "hf";
  const auto rows = Lines(hf / "metadata.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "file_name,transcription");
  for (size_t i = 1; i < rows.size(); ++i) {
    // "audio/ID.wav","text": two quoted fields, nothing else.
    const auto comma = rows[i].find("\",\"");
    ASSERT_NE(comma, std::string::npos) << rows[i];
    const std::string file = rows[i].substr(1, comma - 1);
    EXPECT_EQ(rows[i].substr(comma + 3), "turn on the lights\"");
    EXPECT_GT(WavSeconds(hf / file), 1.4) << file;
  }
  ExpectNoIdentifiers(hf.string());

  ASSERT_TRUE(Export("kaldi", review::ExportFormat::kKaldi).ok());
  const fs::path k = fs::path(out_.path()) / "kaldi";
  const auto scp = Lines(k / "wav.scp"), text = Lines(k / "text"), u2s = Lines(k / "utt2spk"),
             s2u = Lines(k / "spk2utt");
  ASSERT_EQ(scp.size(), 2u);
  ASSERT_EQ(text.size(), 2u);
  ASSERT_EQ(u2s.size(), 2u);
  ASSERT_EQ(s2u.size(), 2u);
  EXPECT_TRUE(std::is_sorted(scp.begin(), scp.end())) << "Kaldi wants sorted files";
  for (size_t i = 0; i < scp.size(); ++i) {
    const std::string id = scp[i].substr(0, scp[i].find(' '));
    EXPECT_TRUE(fs::exists(scp[i].substr(id.size() + 1))) << scp[i];
    EXPECT_EQ(text[i], id + " turn on the lights");
    EXPECT_EQ(u2s[i], id + " " + id) << "one pseudo-speaker per utterance";
    EXPECT_EQ(s2u[i], id + " " + id);
  }
  // Ids of the two exports never coincide: they are random per line.
  std::set<std::string> hf_ids;
  for (const auto& e : fs::directory_iterator(hf / "audio")) hf_ids.insert(e.path().stem());
  for (const auto& line : scp) EXPECT_FALSE(hf_ids.count(line.substr(0, line.find(' '))));
}

TEST_F(TrainingExportTest, WhatASubjectTakesBackIsATombstoneThatPruneRemoves) {
  auto first = Export("first", review::ExportFormat::kNemo);
  ASSERT_TRUE(first.ok());
  const fs::path a = fs::path(out_.path()) / "first";
  ASSERT_EQ(Lines(a / "manifest.jsonl").size(), 2u);
  // acct-t withdraws training consent: both utterances become tombstones.
  GrantConsent(*env_.ctx, "acct-t", true, true, /*training=*/false);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM exported_utterances WHERE withdrawn_at IS NOT NULL AND "
                "clip_id IS NULL AND subject_id IS NULL"),
            2)
      << "the link to the clip and the subject is cut";
  auto second = Export("second", review::ExportFormat::kNemo);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->utterances, 0);
  EXPECT_EQ(second->tombstones, 2);
  const fs::path b = fs::path(out_.path()) / "second";
  const auto tomb = Lines(b / "tombstones.txt");
  ASSERT_EQ(tomb.size(), 2u);
  auto removed = review::PruneExport(a.string(), (b / "tombstones.txt").string());
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2);
  EXPECT_TRUE(Lines(a / "manifest.jsonl").empty());
  EXPECT_TRUE(fs::is_empty(a / "audio"));
  EXPECT_EQ(review::PruneExport(out_.path(), (b / "tombstones.txt").string()).status().reason(),
            "bad_export_dir");
}

TEST_F(TrainingExportTest, AnErasedRecordingIsATombstoneToo) {
  ASSERT_TRUE(Export("first", review::ExportFormat::kHf).ok());
  ASSERT_TRUE(rights::EraseSubject(*env_.ctx, SubjectIdOf(*env_.ctx, "acct-t")).ok());
  auto second = Export("second", review::ExportFormat::kHf);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->tombstones, 2);
  const fs::path a = fs::path(out_.path()) / "first";
  ASSERT_TRUE(review::PruneExport(a.string(),
                                  (fs::path(out_.path()) / "second" / "tombstones.txt").string())
                  .ok());
  EXPECT_EQ(Lines(a / "metadata.csv"), std::vector<std::string>{"file_name,transcription"})
      << "the header stays";
}

TEST_F(TrainingExportTest, AnExistingFolderIsRefusedAndACancelledExportLeavesNothing) {
  fs::create_directory(fs::path(out_.path()) / "taken");
  EXPECT_EQ(Export("taken", review::ExportFormat::kNemo).status().reason(), "out_exists");
  EXPECT_EQ(Export("no/such/parent", review::ExportFormat::kNemo).status().reason(), "bad_out");
  review::ExportRequest req;
  req.stream = "no-such-stream";
  req.out_dir = (fs::path(out_.path()) / "x").string();
  EXPECT_EQ(review::ExportTraining(*env_.ctx, req).status().reason(), "unknown_stream");
  std::atomic<bool> cancel{true};
  req.stream = env_.stream.spec.name;
  EXPECT_EQ(review::ExportTraining(*env_.ctx, req, nullptr, &cancel).status().reason(),
            "export_cancelled");
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(out_.path())) left.push_back(e.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"taken"}) << "no partial folder is left";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM exported_utterances"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM training_exports WHERE state = 'failed'"), 1);
  EXPECT_EQ(review::ParseExportFormat("csv").status().reason(), "bad_format");
}

// A process killed mid-export leaves its row running and its hidden folder
// behind. The next export settles it: failed and removed before the commit
// point (the rename), done and audited after it; one still beating is left.
TEST_F(TrainingExportTest, ExportsACrashLeftRunningAreSweptByTheNextOne) {
  const fs::path dir(out_.path());
  const std::string stream_id = env_.stream.id;
  auto running = [&](const std::string& id, const fs::path& out, const fs::path& partial,
                     int64_t heartbeat) {
    ASSERT_OK(env_.ctx->db().Write([&](store::Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO training_exports (id, stream_id, format, actor, "
                              "utterances, tombstones, state, created_at, heartbeat_at, out_dir, "
                              "partial_dir) VALUES (?, ?, 'nemo', 'operator', 0, 0, 'running', ?, "
                              "?, ?, ?)",
                              {id, stream_id, heartbeat, heartbeat, out.string(), partial.string()})
                          .status());
      return tx
          .Exec(
              "INSERT INTO exported_utterances (utt_id, export_id, stream_id, clip_id, "
              "subject_id) SELECT ?, ?, ?, id, subject_id FROM clips LIMIT 1",
              {"u00000001_" + id, id, stream_id})
          .status();
    }));
  };
  const int64_t then = env_.clock.NowMs();
  // Killed before its rename: the hidden folder is all there is.
  fs::create_directories(dir / ".crashed.partial-aaaa" / "audio");
  std::ofstream(dir / ".crashed.partial-aaaa" / "audio" / "u1.wav") << "RIFF";
  running("exp_crashed", dir / "crashed", dir / ".crashed.partial-aaaa", then);
  // Killed after its rename, before its row said done.
  fs::create_directories(dir / "delivered" / "audio");
  running("exp_delivered", dir / "delivered", dir / ".delivered.partial-bbbb", then);
  env_.clock.Advance(review::kStaleExportMs + 1);
  // Another export still beating, on another host.
  running("exp_beating", dir / "elsewhere", dir / ".elsewhere.partial-cccc", env_.clock.NowMs());
  auto listed = review::ListExports(*env_.ctx);
  ASSERT_TRUE(listed.ok());
  std::map<std::string, std::string> states;
  for (const auto& e : *listed) states[e.id] = e.state;
  EXPECT_EQ(states["exp_crashed"], "stalled");
  EXPECT_EQ(states["exp_delivered"], "stalled");
  EXPECT_EQ(states["exp_beating"], "running");

  auto next = Export("next", review::ExportFormat::kNemo);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_FALSE(fs::exists(dir / ".crashed.partial-aaaa")) << "its hidden folder is removed";
  EXPECT_TRUE(fs::exists(dir / "delivered")) << "a delivered export is never touched";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM training_exports WHERE id = 'exp_crashed' AND state = "
                "'failed'"),
            1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM exported_utterances WHERE export_id = 'exp_crashed'"), 0)
      << "nothing of a failed export is remembered as exported";
  EXPECT_EQ(Int("SELECT utterances FROM training_exports WHERE id = 'exp_delivered' AND state = "
                "'done'"),
            1)
      << "its utterances stay, to be tombstoned when their subjects take them back";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_events WHERE action = 'training.export' AND "
                "object = 'exp_delivered' AND details LIKE '%recovered'"),
            1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM training_exports WHERE id = 'exp_beating' AND state = "
                "'running'"),
            1);
  auto again = review::SweepStaleExports(*env_.ctx);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0) << "settled once";
}

}  // namespace
}  // namespace earshot
