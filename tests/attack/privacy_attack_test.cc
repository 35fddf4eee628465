// The privacy invariants over HTTP, attacked the way the probe of issue 11
// did: everything a reviewer can reach is searched for identifiers (3, 5),
// another reviewer's task and another subject's recordings are asked for on
// every route (IDOR), Range requests try to get past the play limit, the
// product's own hypothesis smuggles identifiers, and after erasure (7) the
// whole data directory, WAL and free pages included, is searched for the
// audio, the ids and the transcript.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/http_privacy_fixture.h"
#include "privacy/pii/pii.h"
#include "rights/subjects.h"
#include "staff/staff.h"
#include "util/encoding.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

TEST_F(HttpPrivacyTest, NothingAReviewerCanReachCarriesAnIdentifier) {
  const std::string account = "acct-identity-31337";
  const std::string serial = "DEVSERIAL-8675309";
  // Capture follows consent (consent must hold at capture).
  PutConsent(account, true, true);
  const std::string captured = FormatRfc3339(SystemClock().NowMs() + 1234);
  const std::string rec = Ingest(account, serial, captured, 21, "what is the weather");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  std::string subject_id;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject_id,
                     rights::FindSubjectByAccount(tx, *env_.ctx, rights::kDefaultTenant, account));
    return Status::Ok();
  }));

  const httplib::Headers reviewer = StaffSession("rita");
  std::string seen;
  auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  ASSERT_TRUE(next);
  ASSERT_EQ(next->status, 200) << next->body;
  seen += Transcript(next);
  const json task = json::parse(next->body)["task"];
  ASSERT_FALSE(task.is_null());
  EXPECT_EQ(task["masked_hypothesis"], "what is the weather");
  const std::string id = task["id"];
  auto audio = Client().Get("/api/v1/review/tasks/" + id + "/audio", reviewer);
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->status, 200);
  EXPECT_EQ(audio->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(audio->get_header_value("Content-Type"), "audio/wav");
  EXPECT_EQ(audio->body.substr(0, 4), "RIFF");
  seen += Transcript(audio);
  // Every other route a reviewer can call while holding the task.
  httplib::Headers ranged = reviewer;
  ranged.insert({"Range", "bytes=0-99"});
  auto part = Client().Get("/api/v1/review/tasks/" + id + "/audio", ranged);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  seen += Transcript(part);
  for (const std::string& path : {"/api/v1/review/tasks/" + id + "/peaks",
                                  std::string("/api/v1/review/leases"),
                                  std::string("/api/v1/review/shift"),
                                  std::string("/api/v1/staff/me")}) {
    auto res = Client().Get(path, reviewer);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    seen += Transcript(res);
  }
  auto renew =
      Client().Post("/api/v1/review/tasks/" + id + "/renew", reviewer, "", "application/json");
  ASSERT_TRUE(renew);
  EXPECT_EQ(renew->status, 200) << renew->body;
  seen += Transcript(renew);
  auto skip_other =
      Client().Post("/api/v1/review/tasks/tsk_doesnotexist/skip", reviewer, "", "application/json");
  seen += Transcript(skip_other);
  auto done =
      Client().Post("/api/v1/review/tasks/" + id + "/annotation", reviewer,
                    R"({"transcript":"what is the weather","intended":true,"heard_accurately":true,
                        "responded_appropriately":"cant_tell"})",
                    "application/json");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  seen += Transcript(done);
  auto empty = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
  seen += Transcript(empty);

  const int64_t captured_ms = *ParseRfc3339(captured);
  for (const std::string& identifier :
       {account, serial, subject_id, rec, captured, captured.substr(0, 16),
        std::to_string(captured_ms), std::to_string(captured_ms / 1000)}) {
    EXPECT_EQ(seen.find(identifier), std::string::npos) << "reviewer saw " << identifier;
  }
  // The subject sees that a person listened, under a pseudonym.
  auto mine = Client().Get("/api/v1/me/recordings", Bearer(SubjectToken(account)));
  ASSERT_TRUE(mine);
  const json list = json::parse(mine->body)["recordings"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0]["heard_by_person"].get<bool>());
  // Two plays: the whole clip, then a range from byte 0, which starts a new one.
  EXPECT_EQ(list[0]["listens"].size(), 2u);
  EXPECT_EQ(mine->body.find("rita"), std::string::npos) << "the reviewer's name must not show";
}

TEST_F(HttpPrivacyTest, SecondReviewerCannotReachAnotherReviewersLeasedAudio) {
  PutConsent("acct-lease", true, true);
  Ingest("acct-lease", "SN", Now(), 31);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const httplib::Headers alice = StaffSession("alice"), bob = StaffSession("bob");
  auto next = Client().Post("/api/v1/review/next", alice, "", "application/json");
  ASSERT_TRUE(next);
  const std::string id = json::parse(next->body)["task"]["id"];
  for (const std::string& path :
       {"/api/v1/review/tasks/" + id + "/audio", "/api/v1/review/tasks/" + id + "/peaks"}) {
    auto res = Client().Get(path, bob);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << path << ": " << res->body;
  }
  auto renew = Client().Post("/api/v1/review/tasks/" + id + "/renew", bob, "", "application/json");
  EXPECT_EQ(renew->status, 404) << "bob cannot keep alice's lease alive";
  auto leases = Client().Get("/api/v1/review/leases", bob);
  ASSERT_EQ(leases->status, 200);
  EXPECT_EQ(json::parse(leases->body)["tasks"].size(), 0u) << "bob does not see alice's lease";
  auto annotate = Client().Post("/api/v1/review/tasks/" + id + "/annotation", bob,
                                R"({"transcript":"x","intended":true,"heard_accurately":true,)"
                                R"("responded_appropriately":true})",
                                "application/json");
  EXPECT_EQ(annotate->status, 404);
  auto skip = Client().Post("/api/v1/review/tasks/" + id + "/skip", bob, "", "application/json");
  EXPECT_EQ(skip->status, 404);
  auto nobody = Client().Get("/api/v1/review/tasks/" + id + "/audio");
  EXPECT_EQ(nobody->status, 401);
  auto subject_as_staff =
      Client().Get("/api/v1/review/tasks/" + id + "/audio", Bearer(SubjectToken("acct-lease")));
  EXPECT_EQ(subject_as_staff->status, 401);
  // Bad query parameters get a precise 400.
  for (const char* n : {"0", "2001", "abc", "-5", "99999999999999"}) {
    auto bad = Client().Get("/api/v1/review/tasks/" + id + "/peaks?n=" + n, alice);
    EXPECT_EQ(bad->status, 400) << n;
    EXPECT_NE(bad->body.find("bad_buckets"), std::string::npos) << bad->body;
  }
  auto peaks = Client().Get("/api/v1/review/tasks/" + id + "/peaks?n=50", alice);
  ASSERT_EQ(peaks->status, 200) << peaks->body;
  EXPECT_EQ(json::parse(peaks->body)["peaks"].size(), 50u);
  const httplib::Headers lead = StaffSession("lena", "lead");
  for (const char* hours : {"0", "169", "x"}) {
    auto bad = Client().Get(std::string("/api/v1/quality/series?hours=") + hours, lead);
    EXPECT_EQ(bad->status, 400) << hours;
    EXPECT_NE(bad->body.find("bad_hours"), std::string::npos) << bad->body;
  }
  EXPECT_EQ(Client().Get("/api/v1/quality/series?hours=24", lead)->status, 200);
  // Alice still can, also in ranges (a player seeking).
  EXPECT_EQ(Client().Get("/api/v1/review/tasks/" + id + "/audio", alice)->status, 200);
  httplib::Headers ranged = alice;
  ranged.insert({"Range", "bytes=0-99"});
  auto part = Client().Get("/api/v1/review/tasks/" + id + "/audio", ranged);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body.size(), 100u);
  EXPECT_EQ(part->get_header_value("Cache-Control"), "no-store");
  // A seek within that play gets exactly the bytes asked for, once sliced.
  auto whole = Client().Get("/api/v1/review/tasks/" + id + "/audio", alice);
  ASSERT_EQ(whole->status, 200);
  httplib::Headers seek = alice;
  seek.insert({"Range", "bytes=1000-1099"});
  auto later = Client().Get("/api/v1/review/tasks/" + id + "/audio", seek);
  ASSERT_EQ(later->status, 206) << later->body;
  EXPECT_EQ(later->get_header_value("Content-Range"),
            "bytes 1000-1099/" + std::to_string(whole->body.size()));
  EXPECT_EQ(later->body, whole->body.substr(1000, 100));
}

// Issue 11: after the fifth play answered 409, these ranges still returned
// (nearly) the whole clip with no listen and no audit event. Now each is a
// new play (refused at the limit) or a continuation of the live fifth play
// within its allowance: the attacker gets at most one more copy in all.
TEST_F(HttpPrivacyTest, Regression11RangeRequestsCannotBypassThePlayLimit) {
  PutConsent("acct-range", true, true);
  Ingest("acct-range", "SN", Now(), 43);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const httplib::Headers alice = StaffSession("alice");
  auto next = Client().Post("/api/v1/review/next", alice, "", "application/json");
  const std::string path =
      "/api/v1/review/tasks/" + json::parse(next->body)["task"]["id"].get<std::string>() + "/audio";
  size_t clip_size = 0;
  for (int i = 0; i < 5; ++i) {
    auto play = Client().Get(path, alice);
    ASSERT_EQ(play->status, 200) << i;
    clip_size = play->body.size();
  }
  EXPECT_EQ(Client().Get(path, alice)->status, 409);
  size_t leaked = 0;
  for (int round = 0; round < 3; ++round) {
    for (const char* range : {"bytes=-100000000", "bytes=00-", "bytes=1-", "bytes=44-", "bytes=0-",
                              "bytes=-44", "bytes=100-200"}) {
      httplib::Headers ranged = alice;
      ranged.insert({"Range", range});
      auto r = Client().Get(path, ranged);
      ASSERT_TRUE(r);
      if (r->status == 206) {
        leaked += r->body.size();
      } else {
        EXPECT_EQ(r->status, 409) << range;
        EXPECT_TRUE(r->body.find("play_limit") != std::string::npos ||
                    r->body.find("play_bytes_exhausted") != std::string::npos)
            << range << " " << r->body;
      }
    }
  }
  EXPECT_LE(leaked, clip_size) << "no more than the fifth play's allowance";
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM listens WHERE purpose = 'review'"), 5);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT MAX(bytes_served) FROM listens"),
            static_cast<int64_t>(clip_size + leaked));
}

TEST_F(HttpPrivacyTest, SubjectsReachOnlyTheirOwnRecordings) {
  PutConsent("acct-anna", true, false);
  PutConsent("acct-ben", true, false);
  const std::string anna_rec = Ingest("acct-anna", "SN-A", Now(), 51);
  const std::string ben_rec = Ingest("acct-ben", "SN-B", Now(), 52);
  const std::string anna = SubjectToken("acct-anna");
  EXPECT_EQ(Client().Get("/api/v1/me/recordings/" + anna_rec + "/audio", Bearer(anna))->status,
            200);
  for (const auto& res :
       {Client().Get("/api/v1/me/recordings/" + ben_rec + "/audio", Bearer(anna)),
        Client().Delete("/api/v1/me/recordings/" + ben_rec, Bearer(anna)),
        Client().Get("/api/v1/me/recordings/rec_' OR 1=1 --/audio", Bearer(anna))}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
  }
  auto list = Client().Get("/api/v1/me/recordings", Bearer(anna));
  EXPECT_EQ(list->body.find(ben_rec), std::string::npos);
  auto archive = Client().Get("/api/v1/me/export", Bearer(anna));
  ASSERT_EQ(archive->status, 200);
  EXPECT_EQ(archive->get_header_value("Content-Type"), "application/x-tar");
  EXPECT_NE(archive->body.find("recordings/" + anna_rec + ".wav"), std::string::npos);
  EXPECT_NE(archive->body.find("SN-A"), std::string::npos) << "the export holds everything held";
  EXPECT_EQ(archive->body.find(ben_rec), std::string::npos);
  EXPECT_EQ(archive->body.find("SN-B"), std::string::npos);
  // Ben's recording survives Anna's attempts.
  EXPECT_EQ(
      Client()
          .Get("/api/v1/me/recordings/" + ben_rec + "/audio", Bearer(SubjectToken("acct-ben")))
          ->status,
      200);
  // Bad tokens and bad input.
  EXPECT_EQ(Client().Get("/api/v1/me/recordings", Bearer("sjt_forged.deadbeef"))->status, 401);
  EXPECT_EQ(Client().Get("/api/v1/me/recordings")->status, 401);
  auto bad_retention = Client().Put("/api/v1/me/retention", Bearer(anna), R"({"retention":"5y"})",
                                    "application/json");
  EXPECT_EQ(bad_retention->status, 400);
  auto good_retention = Client().Put("/api/v1/me/retention", Bearer(anna), R"({"retention":"3m"})",
                                     "application/json");
  EXPECT_EQ(good_retention->status, 200);
  auto bad_json = Client().Put("/api/v1/me/consents", Bearer(anna), "{", "application/json");
  EXPECT_EQ(bad_json->status, 400);
}

TEST_F(HttpPrivacyTest, EraseEverythingLeavesNoTraceOnDisk) {
  const std::string victim = "acct-erase-me-24601";
  PutConsent(victim, true, true);
  PutConsent("acct-stays", true, true);
  const std::string r1 = Ingest(victim, "SERIAL-ERASE-1", Now(), 61, "my secret words tangerine");
  const std::string kept = Ingest("acct-stays", "SERIAL-KEEP", Now(), 62);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 2);
  const std::string token = SubjectToken(victim);
  auto wav = Client().Get("/api/v1/me/recordings/" + r1 + "/audio", Bearer(token));
  ASSERT_EQ(wav->status, 200);
  const std::string pcm_probe = wav->body.substr(44 + 10000, 64);
  // A reviewer listens first, so listens and annotations exist too.
  const httplib::Headers reviewer = StaffSession("rev");
  for (int i = 0; i < 2; ++i) {
    auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
    const std::string id = json::parse(next->body)["task"]["id"];
    Client().Get("/api/v1/review/tasks/" + id + "/audio", reviewer);
    Client().Post("/api/v1/review/tasks/" + id + "/annotation", reviewer,
                  R"({"transcript":"reviewer typed tangerine","intended":true,)"
                  R"("heard_accurately":false,"responded_appropriately":"cant_tell"})",
                  "application/json");
  }
  auto erased = Client().Delete("/api/v1/me", Bearer(token));
  ASSERT_TRUE(erased);
  ASSERT_EQ(erased->status, 200) << erased->body;
  EXPECT_EQ(json::parse(erased->body)["erasure"]["recordings_erased"], 1);

  for (const auto& [path, content] : ReadAllFiles(data_dir())) {
    for (const std::string& needle :
         {pcm_probe, victim, std::string("SERIAL-ERASE-1"), std::string("tangerine")}) {
      EXPECT_EQ(content.find(needle), std::string::npos) << path << " holds a trace";
    }
  }
  EXPECT_EQ(Client().Get("/api/v1/me/recordings", Bearer(token))->status, 401);
  // Only the bystander's recording and clip remain as blobs.
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), 2u);
  for (const auto& b : *blobs) EXPECT_NE(b.name, r1);
  auto other =
      Client().Get("/api/v1/me/recordings/" + kept + "/audio", Bearer(SubjectToken("acct-stays")));
  EXPECT_EQ(other->status, 200) << "other subjects' data still decrypts";
  auto metrics = Client().Get("/metrics");
  EXPECT_NE(metrics->body.find("earshot_erasures_total{scope=\"subject\"} 1"), std::string::npos);
}

// --- issue 11, item 4 -----------------------------------------------------------

// English words for the clock and the calendar, to say a time as people do.
std::string HourWords(int h24) {
  static const char* kHours[] = {"twelve", "one",   "two",   "three", "four", "five",
                                 "six",    "seven", "eight", "nine",  "ten",  "eleven"};
  return kHours[h24 % 12];
}

std::string MinuteWords(int m) {
  static const char* kUnits[] = {"",     "one", "two",   "three", "four",
                                 "five", "six", "seven", "eight", "nine"};
  static const char* kTeens[] = {"ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                 "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static const char* kTens[] = {"", "", "twenty", "thirty", "forty", "fifty"};
  if (m < 10) return std::string("oh ") + kUnits[m];
  if (m < 20) return kTeens[m - 10];
  return std::string(kTens[m / 10]) + (m % 10 ? std::string(" ") + kUnits[m % 10] : "");
}

std::string DayWords(int d) {
  static const char* kOrdinals[] = {"",
                                    "first",
                                    "second",
                                    "third",
                                    "fourth",
                                    "fifth",
                                    "sixth",
                                    "seventh",
                                    "eighth",
                                    "ninth",
                                    "tenth",
                                    "eleventh",
                                    "twelfth",
                                    "thirteenth",
                                    "fourteenth",
                                    "fifteenth",
                                    "sixteenth",
                                    "seventeenth",
                                    "eighteenth",
                                    "nineteenth",
                                    "twentieth",
                                    "twenty first",
                                    "twenty second",
                                    "twenty third",
                                    "twenty fourth",
                                    "twenty fifth",
                                    "twenty sixth",
                                    "twenty seventh",
                                    "twenty eighth",
                                    "twenty ninth",
                                    "thirtieth",
                                    "thirty first"};
  return kOrdinals[d];
}

std::string MonthWords(int m) {
  static const char* kMonths[] = {"january",   "february", "march",    "april",
                                  "may",       "june",     "july",     "august",
                                  "september", "october",  "november", "december"};
  return kMonths[m - 1];
}

// Issue 11, item 4: the product's hypothesis said the recording's own account
// id, serial and capture time, and POST /review/next showed them all in
// masked_hypothesis. The server's own worker runs the real chain here.
TEST_F(HttpPrivacyTest, Regression11ProductHypothesisIdentifiersNeverReachTheReviewer) {
  const std::string account = "acct-3141592";
  const std::string serial = "DEV-77-QZ";
  PutConsent(account, true, true);
  // Captured a second from now at UTC-05:00, the device's local time.
  const int64_t captured_ms = SystemClock().NowMs() + 1000;
  const int64_t local_ms = captured_ms - 5 * 3'600'000;
  std::string captured = FormatRfc3339(local_ms);
  captured.replace(captured.size() - 1, 1, "-05:00");
  const std::string local = FormatRfc3339(local_ms), utc = FormatRfc3339(captured_ms);
  const int hour = std::stoi(local.substr(11, 2)), minute = std::stoi(local.substr(14, 2));
  const std::string hh_mm = local.substr(11, 5), utc_hh_mm = utc.substr(11, 5);
  const std::string spoken_time =
      HourWords(hour) + (minute ? " " + MinuteWords(minute) : "") + (hour >= 12 ? " p m" : " a m");
  const std::string spoken_date =
      MonthWords(std::stoi(local.substr(5, 2))) + " " + DayWords(std::stoi(local.substr(8, 2)));
  const std::string spelled_account = "a c c t three one four one five nine two";
  const std::string spelled_serial = "d e v seven seven q z";
  const std::string text = "my account is " + account + " that is " + spelled_account +
                           " and my serial is " + serial + " or " + spelled_serial + " it is " +
                           hh_mm + " or " + utc_hh_mm + " or " + spoken_time + " on " +
                           local.substr(0, 10) + " or " + spoken_date;
  json words = json::array();
  double t = 0.1;
  for (const std::string& w : privacy::pii::SplitWords(text)) {
    words.push_back({{"w", w}, {"start", t}, {"end", t + 0.12}});
    t += 0.15;
  }
  const json meta = {{"account", account},
                     {"device_serial", serial},
                     {"captured_at", captured},
                     {"locale", "en-US"},
                     {"hypothesis", {{"text", text}, {"words", words}}}};
  auto posted = PostRecording(
      env_.api_key,
      EncodeAs(Signal(static_cast<int64_t>(t * 1000) + 300, 77), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
      meta.dump());
  ASSERT_TRUE(posted && posted->status == 201) << (posted ? posted->body : "no response");

  // No fake stages: wait for the server's worker to publish the clip.
  const httplib::Headers reviewer = StaffSession("ida");
  std::string body;
  for (int i = 0; i < 120 && body.empty(); ++i) {
    auto next = Client().Post("/api/v1/review/next", reviewer, "", "application/json");
    ASSERT_TRUE(next);
    ASSERT_EQ(next->status, 200) << next->body;
    if (!json::parse(next->body)["task"].is_null()) {
      body = next->body;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  ASSERT_FALSE(body.empty()) << "the worker published no clip within a minute";
  const std::string masked = json::parse(body)["task"]["masked_hypothesis"];
  EXPECT_NE(masked.find("my account is"), std::string::npos) << masked;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const std::string& identifier :
       {account, std::string("3141592"), serial, spelled_account, spelled_serial,
        std::string("seven seven"), hh_mm, utc_hh_mm, spoken_time, local.substr(0, 10), spoken_date,
        captured, utc.substr(0, 16)}) {
    EXPECT_EQ(lower(body).find(lower(identifier)), std::string::npos)
        << "the reviewer read " << identifier << " in " << body;
  }
  server_->Stop();
  const std::string log = server_->Log();
  for (const std::string& identifier : {account, serial, text}) {
    EXPECT_EQ(log.find(identifier), std::string::npos) << "the log holds " << identifier;
  }
}

}  // namespace
}  // namespace earshot::testing
