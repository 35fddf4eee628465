// The privacy invariants over HTTP: consent revocation (1), escalation and
// disclosure, the streamed export, the anchored audit, and what the server's
// log holds. The attacks on them (what reviewers can reach, IDOR, Range,
// erasure's traces) are in tests/attack/privacy_attack_test.cc.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ingest/intake.h"
#include "integration/http_privacy_fixture.h"
#include "privacy/pii/pii.h"
#include "rights/erasure.h"
#include "rights/subjects.h"
#include "staff/staff.h"
#include "support/server_process.h"
#include "support/untar.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

TEST_F(HttpPrivacyTest, RevokingConsentThroughTheApiPullsTheLeasedTask) {
  PutConsent("acct-revoke", true, true);
  Ingest("acct-revoke", "SN", Now(), 41);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const httplib::Headers alice = StaffSession("alice");
  auto next = Client().Post("/api/v1/review/next", alice, "", "application/json");
  const std::string id = json::parse(next->body)["task"]["id"];
  ASSERT_EQ(Client().Get("/api/v1/review/tasks/" + id + "/audio", alice)->status, 200);
  // The subject revokes on their own.
  auto put = Client().Put("/api/v1/me/consents", Bearer(SubjectToken("acct-revoke")),
                          R"({"purposes":{"human_review":false},"policy_version":"2026-11"})",
                          "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_FALSE(json::parse(put->body)["purposes"]["human_review"].get<bool>());
  EXPECT_TRUE(json::parse(put->body)["purposes"]["store"].get<bool>());
  EXPECT_EQ(Client().Get("/api/v1/review/tasks/" + id + "/audio", alice)->status, 404);
}

// Ingested in-process (the server shares the data directory) with 20 s of
// audio each; stored, never reviewed, so the workers stay idle.
std::vector<std::string> IngestLong(Env& env, const std::string& account, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    auto out = ingest::IngestRecording(
        *env.ctx, env.stream, Meta(account, SystemClock().NowMs(), "SN-TAKEOUT"),
        EncodeAs(Signal(20'000, 900 + i), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (out.ok()) ids.push_back(out->recording_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Issue 11, item 8: the export is streamed, not built in memory.
TEST_F(HttpPrivacyTest, TheExportIsStreamedChunkedAsAValidArchive) {
  const std::string account = "acct-takeout-2718";
  PutConsent(account, true, false);
  const std::vector<std::string> ids = IngestLong(env_, account, 40);
  const long rss_before = server_->PeakRssKb();
  auto res = Client().Get("/api/v1/me/export", Bearer(SubjectToken(account)));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 200);
  EXPECT_FALSE(res->has_header("Content-Length"));
  EXPECT_EQ(res->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/x-tar");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  const Untarred t = Untar(res->body);
  ASSERT_TRUE(t.complete) << t.error;
  ASSERT_EQ(t.files.size(), 2 * ids.size() + 2 + 1 + 1) << "one HTML page, index.html";
  EXPECT_EQ(t.files.front().name, "data.json");
  EXPECT_EQ(json::parse(t.files.front().bytes)["account"], account);
  for (const auto& id : ids) {
    const ArchiveFile* wav = t.Find("recordings/" + id + ".wav");
    ASSERT_NE(wav, nullptr) << id;
    EXPECT_EQ(wav->bytes.size(), 44u + 2 * 320'000) << id;
    ASSERT_NE(t.Find("recordings/" + id + ".json"), nullptr) << id;
  }
  const json summary = json::parse(t.files.back().bytes);
  EXPECT_TRUE(summary["complete"].get<bool>());
  EXPECT_EQ(summary["audio_files"], ids.size());
  // The server held a bounded piece of a 25 MB archive at a time, not all of it.
  const long grown_kb = server_->PeakRssKb() - rss_before;
  if (kAddressSanitizer) return;  // its quarantine keeps what was freed (export_test.cc)
  EXPECT_LT(grown_kb, static_cast<long>(res->body.size() / 1024 / 2))
      << "peak RSS grew by " << grown_kb << " KiB";
}

// After the first byte a failure can no longer be an error status: the
// stream ends without its last chunk and the server logs why.
TEST_F(HttpPrivacyTest, AFailureMidExportCutsTheStreamShortAndIsLogged) {
  const std::string account = "acct-takeout-cut";
  PutConsent(account, true, false);
  const std::vector<std::string> ids = IngestLong(env_, account, 3);
  std::string blob;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT blob_name FROM recordings WHERE id = ?",
                                               {ids.back()}, "recording"));
    blob = row.Text(0);
    return Status::Ok();
  }));
  // Garbage in its place, through the store (files or the database).
  ASSERT_OK(env_.ctx->blobs().Delete(blob));
  ASSERT_OK(env_.ctx->blobs().Put(blob, std::string(4096, 'x')));
  std::string received;
  auto res = Client().Get("/api/v1/me/export", Bearer(SubjectToken(account)),
                          [&](const char* data, size_t n) {
                            received.append(data, n);
                            return true;
                          });
  EXPECT_FALSE(res) << "a cut-short body must not read as complete";
  EXPECT_GT(received.size(), 640'000u) << "the first recordings were sent";
  const Untarred t = Untar(received);
  EXPECT_FALSE(t.complete);
  EXPECT_EQ(t.Find("summary.json"), nullptr);
  EXPECT_NE(server_->Log().find("\"http_stream_aborted\""), std::string::npos);
  EXPECT_NE(server_->Log().find("decrypt_failed"), std::string::npos);
  // The server goes on serving.
  auto after = Client().Get("/api/v1/me/recordings", Bearer(SubjectToken(account)));
  ASSERT_TRUE(after) << "the server died:\n" << server_->Log();
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpPrivacyTest, TheServerLogHoldsNoSecretOrIdentifier) {
  // Every line the server can write, polls and reads included.
  server_->Stop();
  server_->set_extra_args({"--log-level", "debug"});
  ASSERT_TRUE(server_->Start()) << server_->Log();
  const std::string account = "acct-log-probe-777";
  PutConsent(account, true, true);
  Ingest(account, "SERIAL-LOG-PROBE", Now(), 71, "log probe words");
  const std::string token = SubjectToken(account);
  const httplib::Headers reviewer = StaffSession("logan");
  Client().Get("/api/v1/me/recordings", Bearer(token));
  Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  PostRecording("esk_guessed-key", "x", "{}");
  server_->Stop();
  const std::string log = server_->Log();
  ASSERT_NE(log.find("http_request"), std::string::npos) << "the log is being written";
  for (const std::string& secret :
       {account, std::string("SERIAL-LOG-PROBE"), std::string("log probe words"), token,
        SessionIdOf(reviewer), reviewer.find("X-CSRF-Token")->second, env_.api_key,
        std::string("esk_guessed-key")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "log holds " << secret.substr(0, 12);
  }
}

// The terminal does not flood (issue 13, item 8): a workstation's polls and
// reads are debug lines; a refusal and a change are info lines.
TEST_F(HttpPrivacyTest, PollsAndReadsLogAtDebugRefusalsAndChangesAtInfo) {
  const httplib::Headers reviewer = StaffSession("poller");
  const size_t seen = server_->Log().size();
  for (int i = 0; i < 5; ++i) {
    auto res = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
    ASSERT_TRUE(res && res->status == 200);
    ASSERT_TRUE(Client().Get("/api/v1/review/leases", reviewer));
  }
  auto refused = Client().Get("/api/v1/me/recordings", Bearer("sjt_forged.token"));
  ASSERT_TRUE(refused && refused->status == 401);
  PutConsent("acct-log-change", true, true);
  auto lines_of = [](const std::string& log, const std::string& route) {
    int n = 0;
    for (size_t at = log.find("\"route\":\"" + route + "\""); at != std::string::npos;
         at = log.find("\"route\":\"" + route + "\"", at + 1)) {
      ++n;
    }
    return n;
  };
  const std::string log = server_->Log().substr(seen);
  EXPECT_EQ(lines_of(log, "review.next"), 0) << log;
  EXPECT_EQ(lines_of(log, "review.leases"), 0) << log;
  EXPECT_EQ(lines_of(log, "me.recordings"), 1) << "a refusal is logged:\n" << log;
  EXPECT_EQ(lines_of(log, "consents.put"), 1) << "a change is logged:\n" << log;
}

// Transparency (issue 13): the person recorded reads what the assistant
// understood and plays exactly the clip a reviewer hears, with the masked
// text the reviewer reads; nobody else can, and playing it is not a listen.
TEST_F(HttpPrivacyTest, ThePersonHearsExactlyWhatTheReviewerHears) {
  PutConsent("acct-see", true, true);
  PutConsent("acct-other", true, true);
  Ingest("acct-see", "SN-SEE", Now(), 52, "call maria at five five five one two three four");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const std::string token = SubjectToken("acct-see");
  auto mine = Client().Get("/api/v1/me/recordings", Bearer(token));
  ASSERT_EQ(mine->status, 200) << mine->body;
  const json rec = json::parse(mine->body)["recordings"][0];
  EXPECT_EQ(rec["transcript"], "call maria at five five five one two three four");
  ASSERT_EQ(rec["clips"].size(), 1u) << mine->body;
  const json clip = rec["clips"][0];

  const httplib::Headers reviewer = StaffSession("rev-see");
  auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  ASSERT_EQ(next->status, 200) << next->body;
  const json task = json::parse(next->body)["task"];
  EXPECT_EQ(task["masked_hypothesis"], clip["masked_text"]) << "the text the reviewer reads";
  auto heard = Client().Get(task["audio_url"].get<std::string>(), reviewer);
  ASSERT_EQ(heard->status, 200);
  auto played = Client().Get(clip["audio_url"].get<std::string>(), Bearer(token));
  ASSERT_EQ(played->status, 200) << played->body;
  EXPECT_EQ(played->get_header_value("Content-Type"), "audio/wav");
  // The same clip the reviewer was sent, but for the reviewer's copy's
  // watermark, which names their listen (issue 16); the person's own copy
  // carries none.
  ASSERT_EQ(played->body.size(), heard->body.size());
  EXPECT_EQ(played->body.substr(0, 44), heard->body.substr(0, 44)) << "the same WAV header";
  std::vector<float> mine_pcm, heard_pcm;
  double signal = 0, difference = 0;
  for (size_t i = 44; i + 1 < heard->body.size(); i += 2) {
    int16_t a, b;
    std::memcpy(&a, &played->body[i], 2);
    std::memcpy(&b, &heard->body[i], 2);
    mine_pcm.push_back(a / 32768.0f);
    heard_pcm.push_back(b / 32768.0f);
    signal += double(a) * a;
    difference += (double(b) - a) * (double(b) - a);
  }
  EXPECT_LT(difference, signal / 100) << "the mark is at least 20 dB below the clip";
  EXPECT_GT(difference, 0) << "the reviewer's copy is marked";
  const auto mark = QueryInt(*env_.ctx, "SELECT mark FROM listens");
  const auto found = env_.ctx->watermarker().Detect(heard_pcm);
  EXPECT_EQ(found.payload, std::optional<uint32_t>(static_cast<uint32_t>(mark)));
  EXPECT_FALSE(env_.ctx->watermarker().Detect(mine_pcm).found);

  // Another person's token, a reviewer's session, no token: no such clip.
  EXPECT_EQ(Client()
                .Get(clip["audio_url"].get<std::string>(), Bearer(SubjectToken("acct-other")))
                ->status,
            404);
  EXPECT_EQ(Client().Get(clip["audio_url"].get<std::string>(), reviewer)->status, 401);
  EXPECT_EQ(Client().Get(clip["audio_url"].get<std::string>())->status, 401);
  // One listen (the reviewer's), not two.
  auto after = Client().Get("/api/v1/me/recordings", Bearer(token));
  EXPECT_EQ(json::parse(after->body)["recordings"][0]["listens"].size(), 1u) << after->body;
}

// Issue 16: a clip a reviewer saved and leaked is traced to their listen by
// `earshot trace`, and still after the person recorded erased everything;
// the person's own unmarked copy and a file that is not audio get a clear
// answer.
TEST_F(HttpPrivacyTest, ALeakedClipIsTracedToTheListenEvenAfterErasure) {
  PutConsent("acct-leak", true, true);
  Ingest("acct-leak", "SN-LEAK", Now(), 61, "turn on the lights in the kitchen please");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const httplib::Headers reviewer = StaffSession("rev-leak");
  auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  ASSERT_EQ(next->status, 200) << next->body;
  const json task = json::parse(next->body)["task"];
  auto heard = Client().Get(task["audio_url"].get<std::string>(), reviewer);
  ASSERT_EQ(heard->status, 200);
  const std::string leak = data_dir() + "/../leak.wav", junk = data_dir() + "/../junk.wav";
  ASSERT_OK(WriteFileDurable(leak, heard->body));
  ASSERT_OK(WriteFileDurable(junk, "this is not audio"));
  const std::string url = TestDbUrl(data_dir());
  const std::string store = " --data " + data_dir() + (url.empty() ? "" : " --db '" + url + "'");
  auto trace = [&](const std::string& file) { return Earshot("trace " + file + store); };
  std::string pseudonym;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT pseudonym FROM staff WHERE name = ?", {"rev-leak"}));
    pseudonym = rows.empty() ? "" : rows[0].Text(0);
    return Status::Ok();
  }));
  CliRun found = trace(leak);
  ASSERT_EQ(found.exit_code, 0) << found.out;
  json j = json::parse(found.out);
  EXPECT_TRUE(j["found"]);
  EXPECT_LT(j["false_alarm"].get<double>(), 1e-6);
  EXPECT_EQ(j["listen"]["reviewer"], pseudonym);
  EXPECT_EQ(j["listen"]["target"], task["id"]);
  EXPECT_EQ(j["listen"]["purpose"], "review");
  EXPECT_EQ(j["listen"]["stream"], env_.stream.spec.name);
  EXPECT_EQ(j["listen"]["erased"], false);
  // The person erases everything: the listen row goes, the audit log stays.
  std::string subject;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT subject_id FROM clips", {}));
    subject = rows.empty() ? "" : rows[0].Text(0);
    return Status::Ok();
  }));
  ASSERT_TRUE(rights::EraseSubject(*env_.ctx, subject).ok());
  ASSERT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM listens"), 0);
  CliRun after = trace(leak);
  ASSERT_EQ(after.exit_code, 0) << after.out;
  j = json::parse(after.out);
  EXPECT_EQ(j["listen"]["reviewer"], pseudonym);
  EXPECT_EQ(j["listen"]["target"], task["id"]);
  EXPECT_EQ(j["listen"]["erased"], true);
  EXPECT_TRUE(j["listen"]["stream"].is_null());
  // Not audio: a clear error, exit 1.
  CliRun bad = trace(junk);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("could not be decoded"), std::string::npos) << bad.out;
  // Every trace is audited.
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'watermark.trace'"), 2);
}

// Invariant 9 over HTTP: a distress flag reaches privacy officers, only
// officers may see cases, and a disclosure takes two of them.
TEST_F(HttpPrivacyTest, DistressReachesOfficersAndDisclosureTakesTwo) {
  PutConsent("acct-harm", true, true);
  Ingest("acct-harm", "SN-HARM", Now(), 41);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const httplib::Headers reviewer = StaffSession("rev-harm");
  const httplib::Headers anne = StaffSession("anne", "privacy_officer"),
                         ben = StaffSession("ben", "privacy_officer");
  auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  ASSERT_TRUE(next);
  const std::string task = json::parse(next->body)["task"]["id"];
  auto flagged = Client().Post("/api/v1/review/tasks/" + task + "/annotation", reviewer,
                               R"({"transcript":"x","flags":["distress"],"note":"cry for help",)"
                               R"("intended":"cant_tell","heard_accurately":"cant_tell",)"
                               R"("responded_appropriately":"cant_tell"})",
                               "application/json");
  ASSERT_EQ(flagged->status, 200) << flagged->body;
  EXPECT_EQ(json::parse(flagged->body)["break_offered"], true);
  EXPECT_EQ(json::parse(flagged->body)["shift"]["distress_heard"], 1);
  auto pause = Client().Post("/api/v1/review/break", reviewer, "", "application/json");
  ASSERT_EQ(pause->status, 200) << pause->body;
  auto during = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  EXPECT_EQ(during->status, 409) << "no clips during a break";

  EXPECT_EQ(Client().Get("/api/v1/escalations", reviewer)->status, 403)
      << "reviewers do not see cases";
  auto list = Client().Get("/api/v1/escalations", anne);
  ASSERT_EQ(list->status, 200) << list->body;
  const json cases = json::parse(list->body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["note"], "cry for help");
  EXPECT_EQ(list->body.find("acct-harm"), std::string::npos);
  EXPECT_EQ(list->body.find("SN-HARM"), std::string::npos);
  const std::string id = cases[0]["id"];
  EXPECT_EQ(Client().Get("/api/v1/escalations/" + id + "/audio", anne)->status, 200);

  const std::string base = "/api/v1/escalations/" + id;
  EXPECT_EQ(Client().Post(base + "/disclosure", anne, "{}", "application/json")->status, 400);
  EXPECT_EQ(
      Client()
          .Post(base + "/disclosure", anne, R"({"reason":"risk to life"})", "application/json")
          ->status,
      200);
  auto self = Client().Post(base + "/approval", anne, "", "application/json");
  EXPECT_EQ(self->status, 403) << self->body;
  EXPECT_EQ(self->body.find("acct-harm"), std::string::npos);
  auto requested = json::parse(Client().Get("/api/v1/escalations", ben)->body)["cases"][0];
  EXPECT_EQ(requested["state"], "disclosure_requested");
  EXPECT_EQ(requested["reason"], "risk to life") << "the approver reads the reason first";
  auto approved = Client().Post(base + "/approval", ben, "", "application/json");
  ASSERT_EQ(approved->status, 200) << approved->body;
  const json disclosed = json::parse(approved->body);
  EXPECT_EQ(disclosed["account"], "acct-harm");
  // The audit reference is the escalation.disclose event, under ben's name.
  EXPECT_EQ(QueryInt(*env_.ctx,
                     "SELECT COUNT(*) FROM audit_events WHERE seq = ? AND "
                     "action = 'escalation.disclose' AND object = ?",
                     {disclosed["audit_seq"].get<int64_t>(), id}),
            1)
      << approved->body;
  // Issue 13, item 1: the case says it is disclosed and by whom, and never
  // gives the account again; a second approval finds nothing waiting.
  auto after = Client().Get("/api/v1/escalations", anne);
  const json done = json::parse(after->body)["cases"][0];
  EXPECT_EQ(done["state"], "disclosed");
  EXPECT_TRUE(done["disclosure_approved_by"].is_string()) << done;
  EXPECT_EQ(after->body.find("acct-harm"), std::string::npos);
  auto again = Client().Post(base + "/approval", ben, "", "application/json");
  EXPECT_EQ(again->status, 409) << again->body;
  auto metrics = Client().Get("/metrics");
  EXPECT_NE(metrics->body.find("earshot_escalations_open 1"), std::string::npos);
}

// Issue 11: the officers' audit status checks the heads the server anchored
// outside the database; a log deleted in the database fails it, though the
// chain that is left (none) is intact.
TEST_F(HttpPrivacyTest, AuditStatusChecksTheAnchoredHeads) {
  const httplib::Headers officer = StaffSession("olga", "privacy_officer");
  auto res = Client().Get("/api/v1/audit/status", officer);
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
  auto status = json::parse(res->body);
  EXPECT_TRUE(status["ok"].get<bool>()) << res->body;
  EXPECT_GE(status["anchor"]["heads"].get<int64_t>(), 1) << "the sweep at start anchored the head";

  ASSERT_OK(env_.ctx->db().Write(
      [](store::Tx& tx) { return tx.Exec("DELETE FROM audit_events", {}).status(); }));
  res = Client().Get("/api/v1/audit/status", officer);
  ASSERT_TRUE(res && res->status == 200);
  status = json::parse(res->body);
  EXPECT_FALSE(status["ok"].get<bool>()) << res->body;
  EXPECT_EQ(status["reason"], "") << res->body;
  EXPECT_EQ(status["anchor"]["reason"], "anchored_head_missing") << res->body;
}

}  // namespace
}  // namespace earshot::testing
