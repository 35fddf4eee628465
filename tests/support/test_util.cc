#include "support/test_util.h"

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/jobs.h"
#include "rights/export.h"
#include "rights/subject_data.h"
#include "staff/totp.h"

namespace earshot::testing {

std::string TestPostgresUrl() {
  if (const char* url = std::getenv("EARSHOT_TEST_POSTGRES"); url && *url) return url;
  const char* file = std::getenv("EARSHOT_TEST_POSTGRES_FILE");
  if (file == nullptr || *file == '\0') return "";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    ADD_FAILURE() << "EARSHOT_TEST_POSTGRES_FILE=" << file << " holds no URL: did the "
                  << "Postgres.Start fixture run?";
  }
  return url;
}

std::string TestDbUrl(const std::string& data_dir) {
  const std::string base = TestPostgresUrl();
  if (base.empty()) return "";
  std::error_code ec;
  std::string dir = std::filesystem::weakly_canonical(data_dir, ec).string();
  if (ec) dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  char schema[32];
  std::snprintf(schema, sizeof schema, "t_%016zx", std::hash<std::string>{}(dir));
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

Config TestConfig(const std::string& data_dir) {
  Config config = DefaultConfig(data_dir);
  config.db_url = TestDbUrl(data_dir);
  return config;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-test-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void Env::Open(double rate, const std::string& region) {
  Config config = TestConfig(dir.path() + "/data");
  config.master_key_file = dir.path() + "/data/master.key";
  auto opened = Context::Open(config, real_clock ? nullptr : &clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ctx = std::move(opened).value();
  ingest::StreamSpec spec;
  spec.name = "assistant-en-US";
  spec.region = region;
  spec.sample_rate = rate;
  // One task per clip, so counts do not depend on the draw; the double-review
  // tests set their own share.
  spec.double_review = 0.0;
  auto created = ingest::CreateStream(*ctx, spec);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  stream = created->stream;
  api_key = created->api_key;
}

audio::Pcm16 Signal(int64_t ms, uint32_t seed, int rate) {
  audio::Pcm16 pcm;
  pcm.sample_rate = rate;
  const size_t n = static_cast<size_t>(ms * rate / 1000);
  uint32_t state = seed * 2654435761u + 1;
  const double f1 = 180.0 + (seed % 97) * 3.0;
  for (size_t i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    const double noise = (static_cast<int>(state >> 16) % 2000 - 1000) / 1000.0;
    const double t = static_cast<double>(i) / rate;
    const double v =
        0.5 * std::sin(2 * M_PI * f1 * t) + 0.2 * std::sin(2 * M_PI * 3.1 * f1 * t) + 0.1 * noise;
    pcm.samples.push_back(static_cast<int16_t>(v * 20000));
  }
  return pcm;
}

namespace {
struct MemoryFile {
  std::string data;
  sf_count_t pos = 0;
};
sf_count_t MLen(void* u) {
  return static_cast<MemoryFile*>(u)->data.size();
}
sf_count_t MSeek(sf_count_t off, int whence, void* u) {
  auto* m = static_cast<MemoryFile*>(u);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->data.size();
  m->pos = base + off;
  return m->pos;
}
sf_count_t MRead(void* p, sf_count_t n, void* u) {
  auto* m = static_cast<MemoryFile*>(u);
  sf_count_t left = std::max<sf_count_t>(0, static_cast<sf_count_t>(m->data.size()) - m->pos);
  n = std::min(n, left);
  std::memcpy(p, m->data.data() + m->pos, n);
  m->pos += n;
  return n;
}
sf_count_t MWrite(const void* p, sf_count_t n, void* u) {
  auto* m = static_cast<MemoryFile*>(u);
  if (static_cast<size_t>(m->pos + n) > m->data.size()) m->data.resize(m->pos + n);
  std::memcpy(m->data.data() + m->pos, p, n);
  m->pos += n;
  return n;
}
sf_count_t MTell(void* u) {
  return static_cast<MemoryFile*>(u)->pos;
}
}  // namespace

std::string EncodeAs(const audio::Pcm16& pcm, int format) {
  MemoryFile mem;
  SF_VIRTUAL_IO vio{MLen, MSeek, MRead, MWrite, MTell};
  SF_INFO info{};
  info.samplerate = pcm.sample_rate;
  info.channels = 1;
  info.format = format;
  SNDFILE* f = sf_open_virtual(&vio, SFM_WRITE, &info, &mem);
  if (f == nullptr) {
    ADD_FAILURE() << "libsndfile cannot write format " << std::hex << format << ": "
                  << sf_strerror(nullptr);
    return "";
  }
  sf_write_short(f, pcm.samples.data(), static_cast<sf_count_t>(pcm.samples.size()));
  sf_close(f);
  return mem.data;
}

std::string SubjectIdOf(Context& ctx, const std::string& account) {
  std::string id;
  EXPECT_OK(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(id, rights::FindSubjectByAccount(tx, ctx, rights::kDefaultTenant, account));
    return Status::Ok();
  }));
  return id;
}

void GrantConsent(Context& ctx, const std::string& account, bool store, bool human_review,
                  bool training) {
  std::string subject_id;
  ASSERT_OK(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject_id, rights::EnsureSubject(tx, ctx, rights::kDefaultTenant, account));
    return Status::Ok();
  }));
  ASSERT_OK(rights::UpdateConsents(ctx, subject_id,
                                   {{rights::Purpose::kStore, store},
                                    {rights::Purpose::kHumanReview, human_review},
                                    {rights::Purpose::kTraining, training}},
                                   "test-policy", "test"));
}

ingest::RecordingMetadata Meta(const std::string& account, int64_t captured_at_ms,
                               const std::string& serial, const std::string& hypothesis) {
  ingest::RecordingMetadata meta;
  meta.account = account;
  meta.device_serial = serial;
  meta.captured_at_ms = captured_at_ms;
  meta.locale = "en-US";
  if (!hypothesis.empty()) meta.hypothesis = ingest::Hypothesis{hypothesis, {}};
  return meta;
}

pipeline::StageSet AllStages() {
  return pipeline::RequiredStages();
}

int64_t RunFakeStages(Context& ctx, const pipeline::StageSet& stages) {
  int64_t queued = 0;
  for (;;) {
    auto job = pipeline::ClaimNextJob(ctx, 60'000);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    if (!job.ok() || !job->has_value()) break;
    auto input = pipeline::LoadJobInput(ctx, **job);
    EXPECT_TRUE(input.ok()) << input.status().ToString();
    if (!input.ok()) break;
    pipeline::ClipDraft draft;
    draft.audio = input->audio;
    draft.masked_text = input->meta.hypothesis ? input->meta.hypothesis->text : "";
    draft.stages_passed = stages;
    auto n = pipeline::PublishClips(ctx, **job, {draft});
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (n.ok()) queued += *n;
  }
  return queued;
}

staff::StaffMember Member(Context& ctx, const std::string& name, const std::string& role) {
  auto added = staff::AddUser(ctx, name, role);
  EXPECT_TRUE(added.ok()) << added.status().ToString();
  return added.ok() ? added->member : staff::StaffMember{};
}

staff::StaffMember Reviewer(Context& ctx, const std::string& name) {
  return Member(ctx, name, "reviewer");
}

staff::Session SignedIn(Context& ctx, const std::string& name, const std::string& role) {
  auto added = staff::AddUser(ctx, name, role);
  EXPECT_TRUE(added.ok()) << added.status().ToString();
  if (!added.ok()) return {};
  const std::string password = "password of " + name + " long enough";
  const auto secret = staff::TotpSecretFromUri(added->totp_uri);
  EXPECT_TRUE(secret.has_value());
  const int64_t step = ctx.clock().NowMs() / staff::kTotpStepMs;
  Status enrolled = staff::CompleteEnrolment(ctx, name, added->enrolment_secret, password,
                                             staff::TotpCode(secret.value_or(""), step));
  EXPECT_TRUE(enrolled.ok()) << enrolled.ToString();
  auto session = staff::SignIn(ctx, name, password, added->recovery_codes[0], "127.0.0.1");
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return session.ok() ? *session : staff::Session{};
}

std::vector<std::pair<std::string, std::string>> ReadAllFiles(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.emplace_back(entry.path().string(), ss.str());
  }
  return out;
}

Result<std::string> ExportToString(Context& ctx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(auto stream, rights::StartExport(ctx, subject_id));
  return ReadRest(*stream);
}

Result<std::string> ReadRest(rights::ExportStream& stream) {
  std::string out, chunk;
  for (bool more = true; more;) {
    ASSIGN_OR_RETURN(more, stream.Next(chunk));
    out += chunk;
  }
  return out;
}

int64_t QueryInt(Context& ctx, const std::string& sql, const std::vector<store::Value>& params) {
  int64_t n = -1;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    if (!rows.empty()) n = rows[0].Int(0);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return n;
}

std::string StorageFingerprint(Context& ctx, const std::string& data_dir) {
  std::string out;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    for (const char* table : {"subjects", "recordings", "deid_jobs", "clips", "tasks",
                              "consent_events", "vault_accounts"}) {
      ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT COUNT(*) FROM ") + table, {}));
      out += std::string(table) + "=" + rows[0].Text(0) + ";";
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::vector<std::string> blobs;
  if (std::filesystem::exists(data_dir + "/blobs")) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir + "/blobs")) {
      if (e.is_regular_file()) blobs.push_back(e.path().filename().string());
    }
  }
  std::sort(blobs.begin(), blobs.end());
  for (const auto& b : blobs) out += b + ",";
  return out;
}

}  // namespace earshot::testing
