// The subject's export is streamed (rights/export.h, issue 11 item 8): read
// back with libarchive it holds every recording byte for byte; its buffer
// keeps to the stated bound; a recording erased while it runs is whole or
// absent; a failure after the first byte cuts the archive short.
#include "rights/export.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "review/queue.h"
#include "rights/erasure.h"
#include "rights/export_html.h"
#include "rights/subject_data.h"
#include "support/test_util.h"
#include "support/untar.h"

namespace earshot {
namespace {

using namespace earshot::testing;
using nlohmann::json;

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(0.0);
    GrantConsent(*env_.ctx, kAccount, true, false);
    GrantConsent(*env_.ctx, kOther, true, false);
  }

  std::string Ingest(const std::string& account, uint32_t seed, int64_t ms = 500) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta(account, env_.clock.NowMs(), "SERIAL-" + account),
        EncodeAs(Signal(ms, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->recording_id : "";
  }

  std::string Subject(const std::string& account) { return SubjectIdOf(*env_.ctx, account); }

  // `n` recordings of the subject, id → the WAV the subject's own API serves.
  std::map<std::string, std::string> IngestMany(int n, int64_t ms = 500) {
    std::map<std::string, std::string> wavs;
    for (int i = 0; i < n; ++i) {
      const std::string id = Ingest(kAccount, 1000 + i, ms);
      auto wav = rights::RecordingAudioWav(*env_.ctx, Subject(kAccount), id);
      EXPECT_TRUE(wav.ok());
      if (wav.ok()) wavs[id] = *wav;
    }
    return wavs;
  }

  std::string QueryText(const std::string& sql, const std::string& param) {
    std::string out;
    EXPECT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, sql, {param}, "row"));
      out = row.Text(0);
      return Status::Ok();
    }));
    return out;
  }

  static void ExpectWhole(const Untarred& t, const std::string& id, const std::string& wav) {
    const ArchiveFile* audio = t.Find("recordings/" + id + ".wav");
    ASSERT_NE(audio, nullptr) << id;
    EXPECT_TRUE(audio->bytes == wav) << id << ": the audio differs";
    const ArchiveFile* meta = t.Find("recordings/" + id + ".json");
    ASSERT_NE(meta, nullptr) << id;
    const json doc = json::parse(meta->bytes);
    EXPECT_EQ(doc["id"], id);
    EXPECT_EQ(doc["audio_file"], "recordings/" + id + ".wav");
    EXPECT_EQ(doc["device_serial"], std::string("SERIAL-") + kAccount);
  }

  static void ExpectAbsent(const Untarred& t, const std::string& id) {
    EXPECT_EQ(t.Find("recordings/" + id + ".wav"), nullptr) << id;
    EXPECT_EQ(t.Find("recordings/" + id + ".json"), nullptr) << id;
  }

  static json Summary(const Untarred& t) {
    const ArchiveFile* s = t.Find("summary.json");
    return s ? json::parse(s->bytes) : json();
  }

  static constexpr const char* kAccount = "acct-exporter-4242";
  static constexpr const char* kOther = "acct-someone-else-77";
  Env env_;
};

// Crosses two page boundaries of the keyset pagination.
TEST_F(ExportTest, EveryRecordingReadsBackWithLibarchiveByteForByte) {
  const int n = 2 * static_cast<int>(rights::ExportStream::kPageSize) + 5;
  const auto wavs = IngestMany(n);
  const std::string others = Ingest(kOther, 7);
  auto tar = ExportToString(*env_.ctx, Subject(kAccount));
  ASSERT_TRUE(tar.ok()) << tar.status().ToString();
  const Untarred t = Untar(*tar);
  ASSERT_TRUE(t.complete) << t.error;
  // Two files a recording, a page of HTML per kPageSize of them, index.html.
  ASSERT_EQ(t.files.size(), 2u * n + 2 + 3 + 1);
  EXPECT_EQ(t.files.front().name, "data.json");
  EXPECT_EQ(t.files.back().name, "summary.json");
  const json data = json::parse(t.files.front().bytes);
  EXPECT_EQ(data["format"], "earshot-export/2");
  EXPECT_EQ(data["account"], kAccount);
  EXPECT_FALSE(data["consent_history"].empty());
  for (const auto& [id, wav] : wavs) ExpectWhole(t, id, wav);
  ExpectAbsent(t, others);
  EXPECT_EQ(tar->find("SERIAL-acct-someone"), std::string::npos);
  const json summary = Summary(t);
  EXPECT_TRUE(summary["complete"].get<bool>());
  EXPECT_EQ(summary["recordings"], n);
  EXPECT_EQ(summary["audio_files"], n);
  // Audited once, as before.
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'subject.export'"), 1);
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_exports_total"), 1);
}

// Read a page at a time, each recording still gets its own listens and
// annotations, and no other's.
TEST_F(ExportTest, ListensAndAnnotationsGoWithTheirRecording) {
  GrantConsent(*env_.ctx, kAccount, true, true);
  ingest::StreamSpec spec;
  spec.name = "reviewed-stream";
  spec.sample_rate = 1.0;
  auto reviewed = ingest::CreateStream(*env_.ctx, spec);
  ASSERT_TRUE(reviewed.ok());
  std::vector<std::string> ids;
  for (uint32_t seed : {31u, 32u, 33u}) {
    auto out = ingest::IngestRecording(
        *env_.ctx, reviewed->stream, Meta(kAccount, env_.clock.NowMs(), "SERIAL-R"),
        EncodeAs(Signal(1500, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ids.push_back(out->recording_id);
  }
  const std::string unreviewed = Ingest(kAccount, 34);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 3);
  const auto reviewer = Reviewer(*env_.ctx, "reviewer-export");
  std::map<std::string, std::string> typed;  // recording id → transcript
  for (int i = 0; i < 3; ++i) {
    auto task = review::LeaseNext(*env_.ctx, reviewer);
    ASSERT_TRUE(task.ok() && task->has_value());
    ASSERT_TRUE(review::TaskAudio(*env_.ctx, reviewer, (*task)->task_id).ok());
    review::AnnotationInput in;
    in.transcript = "typed for task " + (*task)->task_id;
    ASSERT_OK(review::Annotate(*env_.ctx, reviewer, (*task)->task_id, in));
    const std::string rec = QueryText(
        "SELECT c.recording_id FROM tasks t JOIN clips c ON c.id = t.clip_id WHERE t.id = ?",
        (*task)->task_id);
    typed[rec] = in.transcript;
  }
  auto tar = ExportToString(*env_.ctx, Subject(kAccount));
  ASSERT_TRUE(tar.ok()) << tar.status().ToString();
  const Untarred t = Untar(*tar);
  ASSERT_TRUE(t.complete) << t.error;
  for (const auto& id : ids) {
    const ArchiveFile* f = t.Find("recordings/" + id + ".json");
    ASSERT_NE(f, nullptr);
    const json doc = json::parse(f->bytes);
    EXPECT_EQ(doc["stream"], "reviewed-stream");
    ASSERT_EQ(doc["listens"].size(), 1u) << id;
    EXPECT_EQ(doc["listens"][0]["purpose"], "review");
    ASSERT_EQ(doc["annotations"].size(), 1u) << id;
    EXPECT_EQ(doc["annotations"][0]["transcript"], typed.at(id));
  }
  const json other = json::parse(t.Find("recordings/" + unreviewed + ".json")->bytes);
  EXPECT_TRUE(other["listens"].empty());
  EXPECT_TRUE(other["annotations"].empty());
}

TEST_F(ExportTest, EveryChunkKeepsToTheStatedBound) {
  // 20 s recordings: each WAV (640 KB) is ten times a chunk.
  const auto wavs = IngestMany(4, 20'000);
  auto stream = rights::StartExport(*env_.ctx, Subject(kAccount));
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  std::string tar, chunk;
  int chunks = 0;
  for (bool more = true; more;) {
    auto next = (*stream)->Next(chunk);
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    more = *next;
    EXPECT_LE(chunk.size(), rights::ExportStream::kMaxBufferedBytes);
    EXPECT_TRUE(!chunk.empty()) << "a piece before the end is never empty";
    tar += chunk;
    ++chunks;
  }
  EXPECT_LE((*stream)->peak_buffered_bytes(), rights::ExportStream::kMaxBufferedBytes);
  EXPECT_GE(chunks, static_cast<int>(tar.size() / rights::ExportStream::kMaxBufferedBytes));
  EXPECT_GT(tar.size(), 4u * 640'000);
  // After the end: nothing more, and no error.
  auto after = (*stream)->Next(chunk);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*after);
  EXPECT_TRUE(chunk.empty());
  const Untarred t = Untar(tar);
  ASSERT_TRUE(t.complete) << t.error;
  for (const auto& [id, wav] : wavs) ExpectWhole(t, id, wav);
}

TEST_F(ExportTest, ARecordingErasedWhileTheExportRunsIsWholeOrAbsent) {
  const int n = static_cast<int>(rights::ExportStream::kPageSize) + 10;
  const auto wavs = IngestMany(n);
  std::vector<std::string> ids;
  for (const auto& [id, wav] : wavs) ids.push_back(id);  // id order: the export's order
  const std::string subject = Subject(kAccount);
  auto stream = rights::StartExport(*env_.ctx, subject);
  ASSERT_TRUE(stream.ok());
  std::string tar, chunk;
  while ((*stream)->counts().recordings < 3) {
    auto next = (*stream)->Next(chunk);
    ASSERT_TRUE(next.ok() && *next);
    tar += chunk;
  }
  const size_t read = static_cast<size_t>((*stream)->counts().recordings);
  ASSERT_LT(read + 2, static_cast<size_t>(rights::ExportStream::kPageSize));
  const std::string written = ids[0];         // already in the archive
  const std::string in_page = ids[read + 2];  // its row read, its audio not yet
  const std::string later = ids.back();       // on a page not yet read
  for (const auto& id : {written, in_page, later}) {
    ASSERT_TRUE(rights::EraseRecording(*env_.ctx, subject, id).ok()) << id;
  }
  auto rest = ReadRest(**stream);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  tar += *rest;
  const Untarred t = Untar(tar);
  ASSERT_TRUE(t.complete) << t.error;
  ExpectWhole(t, written, wavs.at(written));
  ExpectAbsent(t, in_page);
  ExpectAbsent(t, later);
  for (const auto& [id, wav] : wavs) {
    if (id != in_page && id != later) ExpectWhole(t, id, wav);
  }
  const json summary = Summary(t);
  EXPECT_EQ(summary["recordings"], n - 2);
  EXPECT_EQ(summary["erased_during_export"], 1) << "the one whose row was read first";
}

TEST_F(ExportTest, ARecordingErasedWhileItsAudioIsBeingSentStaysWhole) {
  const auto wavs = IngestMany(3, 20'000);
  auto stream = rights::StartExport(*env_.ctx, Subject(kAccount));
  ASSERT_TRUE(stream.ok());
  std::string tar, chunk;
  // The first chunks: data.json, then the first recording's JSON and a
  // part of its WAV (ten chunks long).
  while (tar.find(".wav") == std::string::npos) {
    ASSERT_TRUE((*stream)->Next(chunk).ok());
    tar += chunk;
  }
  const std::string first = wavs.begin()->first;
  ASSERT_NE(tar.find("recordings/" + first + ".wav"), std::string::npos);
  ASSERT_LT(tar.size(), wavs.begin()->second.size()) << "its audio is not sent in full yet";
  ASSERT_TRUE(rights::EraseRecording(*env_.ctx, Subject(kAccount), first).ok());
  auto rest = ReadRest(**stream);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  tar += *rest;
  const Untarred t = Untar(tar);
  ASSERT_TRUE(t.complete) << t.error;
  for (const auto& [id, wav] : wavs) ExpectWhole(t, id, wav);
}

TEST_F(ExportTest, TheSubjectErasedWhileTheExportRunsEndsItWithWholeRecordings) {
  const auto wavs = IngestMany(static_cast<int>(rights::ExportStream::kPageSize) + 6);
  const std::string subject = Subject(kAccount);
  auto stream = rights::StartExport(*env_.ctx, subject);
  ASSERT_TRUE(stream.ok());
  std::string tar, chunk;
  ASSERT_TRUE((*stream)->Next(chunk).ok());
  tar += chunk;
  ASSERT_TRUE(rights::EraseSubject(*env_.ctx, subject).ok());
  auto rest = ReadRest(**stream);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  tar += *rest;
  const Untarred t = Untar(tar);
  ASSERT_TRUE(t.complete) << t.error;
  const json summary = Summary(t);
  EXPECT_LT(summary["recordings"].get<int64_t>(), static_cast<int64_t>(wavs.size()));
  int whole = 0;
  for (const auto& [id, wav] : wavs) {
    if (t.Find("recordings/" + id + ".json") == nullptr) {
      ExpectAbsent(t, id);
      continue;
    }
    ExpectWhole(t, id, wav);
    ++whole;
  }
  EXPECT_EQ(whole, summary["recordings"].get<int>());
  // Nothing new starts once the subject is gone.
  EXPECT_EQ(rights::StartExport(*env_.ctx, subject).status().reason(), "unknown_subject");
}

TEST_F(ExportTest, ABlobThatFailsToDecryptCutsTheArchiveShort) {
  const auto wavs = IngestMany(5);
  const std::string bad = std::next(wavs.begin(), 3)->first;
  std::string blob;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT blob_name FROM recordings WHERE id = ?",
                                               {bad}, "recording"));
    blob = row.Text(0);
    return Status::Ok();
  }));
  // Garbage in its place, through the store (files or the database).
  ASSERT_OK(env_.ctx->blobs().Delete(blob));
  ASSERT_OK(env_.ctx->blobs().Put(blob, std::string(4096, 'x')));
  auto stream = rights::StartExport(*env_.ctx, Subject(kAccount));
  ASSERT_TRUE(stream.ok()) << "the failure lies after the first byte";
  std::string tar, chunk;
  Status failure;
  for (;;) {
    auto next = (*stream)->Next(chunk);
    if (!next.ok()) {
      failure = next.status();
      break;
    }
    ASSERT_TRUE(*next) << "the export must not end as if complete";
    tar += chunk;
  }
  EXPECT_EQ(failure.code(), Code::kCorruption) << failure.ToString();
  EXPECT_FALSE((*stream)->Next(chunk).ok()) << "a failed export stays failed";
  const Untarred t = Untar(tar);
  EXPECT_EQ(t.Find("summary.json"), nullptr);
  EXPECT_EQ(t.Find("recordings/" + bad + ".wav"), nullptr);
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_export_failures_total"), 1);
}

TEST_F(ExportTest, NoExportForASubjectWithNoData) {
  auto stream = rights::StartExport(*env_.ctx, "sub_doesnotexist");
  EXPECT_EQ(stream.status().code(), Code::kNotFound);
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'subject.export'"), 0);
}

// /proc/self/status's VmHWM (peak resident memory), in KiB.
long PeakRssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Issue 11, item 8: the export was built in memory (1,581 recordings made
// +540 MB of RSS; 48,691 ended in bad_alloc). Now the first bytes leave
// before most recordings are read, and memory does not grow with the archive.
TEST(ExportRegression11, TheArchiveLeavesWhileItIsReadNotAfter) {
  Env env;
  env.Open(0.0);
  GrantConsent(*env.ctx, "acct-many", true, false);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(
        ingest::IngestRecording(*env.ctx, env.stream, Meta("acct-many", kEpoch),
                                EncodeAs(Signal(20'000, 500 + i), SF_FORMAT_WAV | SF_FORMAT_PCM_16))
            .ok());
  }
  std::string subject;
  ASSERT_OK(env.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(
        subject, rights::FindSubjectByAccount(tx, *env.ctx, rights::kDefaultTenant, "acct-many"));
    return Status::Ok();
  }));
  const long rss_before = PeakRssKb();
  auto stream = rights::StartExport(*env.ctx, subject);
  ASSERT_TRUE(stream.ok());
  std::string chunk;
  ASSERT_TRUE((*stream)->Next(chunk).ok());
  EXPECT_LE((*stream)->counts().recordings, 1) << "the first piece waits for one recording at most";
  size_t total = chunk.size();
  for (bool more = true; more;) {
    auto next = (*stream)->Next(chunk);
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    more = *next;
    total += chunk.size();
  }
  EXPECT_EQ((*stream)->counts().audio_files, 40);
  EXPECT_GT(total, 25'000'000u);
  const long grown_kb = PeakRssKb() - rss_before;
  // Under ASan every freed buffer waits in its quarantine (up to 256 MB), so
  // the peak follows the bytes made, not the bytes held: the bound is the
  // normal build's (and bench/export_bench's) to check.
  if (kAddressSanitizer) return;
  EXPECT_LT(grown_kb, 10 * 1024) << "peak RSS grew by " << grown_kb << " KiB for an archive of "
                                 << total / 1024 << " KiB";
}

// The export people can open (issue 13): as a zip, the same files plus
// index.html and a page of HTML per page of recordings, linking the audio
// and JSON beside them, with every database text escaped.
TEST_F(ExportTest, TheZipHasReadablePagesThatLinkItsFiles) {
  const std::string id = Ingest(kAccount, 31);
  auto started = rights::StartExport(*env_.ctx, Subject(kAccount), rights::ArchiveFormat::kZip);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  std::string zip, chunk;
  for (bool more = true; more;) {
    auto next = (*started)->Next(chunk);
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    more = *next;
    zip += chunk;
  }
  ASSERT_EQ(zip.rfind("PK\x03\x04", 0), 0u) << "a zip archive";
  const Untarred z = Untar(zip);
  ASSERT_TRUE(z.complete) << z.error;
  const ArchiveFile* index = z.Find("index.html");
  const ArchiveFile* page = z.Find("recordings/page-0001.html");
  ASSERT_NE(index, nullptr);
  ASSERT_NE(page, nullptr);
  EXPECT_NE(index->bytes.find("href=\"recordings/page-0001.html\""), std::string::npos);
  EXPECT_NE(index->bytes.find(kAccount), std::string::npos) << "the account is the person's own";
  EXPECT_NE(index->bytes.find("granted"), std::string::npos) << "the consent history";
  // Links from the page (in recordings/) resolve to files of the archive.
  for (const std::string& link : {id + ".wav", id + ".json"}) {
    EXPECT_NE(page->bytes.find("href=\"" + link + "\""), std::string::npos) << link;
    EXPECT_NE(z.Find("recordings/" + link), nullptr) << link;
  }
  EXPECT_NE(z.Find("summary.json"), nullptr);
  EXPECT_EQ(rights::HtmlEscape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

// A hypothesis written as markup stays text in the page.
TEST(ExportHtml, EveryDatabaseTextIsEscaped) {
  const json recording = {
      {"id", "rec_1"},
      {"captured_at", "2026-12-02T10:00:00.000Z"},
      {"duration_ms", 1500},
      {"hypothesis", {{"text", "<img src=x onerror=alert(1)>"}}},
      {"listens", json::array({{{"reviewer", "<b>r</b>"}, {"at", "t"}, {"purpose", "review"}}})},
      {"annotations", json::array({{{"transcript", "</td><script>"},
                                    {"intended", true},
                                    {"heard_accurately", nullptr},
                                    {"responded_appropriately", false},
                                    {"flags", ""}}})},
      {"audio_file", "recordings/rec_1.wav"}};
  const std::string row = rights::ExportRecordingRow(recording);
  EXPECT_EQ(row.find("<img"), std::string::npos) << row;
  EXPECT_EQ(row.find("<script>"), std::string::npos) << row;
  EXPECT_EQ(row.find("<b>"), std::string::npos) << row;
  EXPECT_NE(row.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << row;
  EXPECT_NE(row.find("1.5 s"), std::string::npos) << row;
  EXPECT_NE(row.find("heard accurately: can't tell"), std::string::npos) << row;
}

}  // namespace
}  // namespace earshot
