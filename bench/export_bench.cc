// The subject export (GET /api/v1/me/export, rights/export.h) streamed to
// /dev/null, side by side with its limit and a peer on the same input:
//
//   limit:   the same blobs read and decrypted, their WAVs written to
//            /dev/null, with no database page, JSON or archive
//   peer:    GNU tar archiving as many plaintext WAV files of the same size
//            (`tar -cf - DIR` into a pipe we drain)
//
// Reports time, throughput and peak resident memory (VmHWM, reset before
// each run via /proc/self/clear_refs; tar's from /usr/bin/time). The growth
// column is the peak over the RSS the run started with.
//
//   build/bin/export_bench [--recordings N] [--ms MS] [--ingest-threads T] [--rounds R]
//                          [--dir DIR [--only export]]
//
// Defaults: 10,000 recordings of 500 ms (16 kHz mono: 16 KB of WAV each),
// one subject, 2 ingest threads, 2 rounds (the best time of each is shown).
// --dir DIR keeps the data there, and a later run with the same DIR reuses
// it; with --only export that run does nothing but the export, so its peak
// RSS is the export's plus the program's own.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "audio/decode.h"
#include "crypto/seal.h"
#include "ingest/intake.h"
#include "ingest/streams.h"
#include "rights/export.h"
#include "rights/subject_data.h"
#include "rights/subjects.h"
#include "util/log.h"

namespace {

using namespace earshot;
using Steady = std::chrono::steady_clock;

struct Options {
  int recordings = 10'000;
  int ms = 500;
  int ingest_threads = 2;
  int rounds = 2;
  std::string dir;   // kept, and reused when it already holds the recordings
  std::string only;  // "export": only the export, in this fresh process
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--recordings") o.recordings = std::stoi(argv[i + 1]);
    if (flag == "--ms") o.ms = std::stoi(argv[i + 1]);
    if (flag == "--ingest-threads") o.ingest_threads = std::stoi(argv[i + 1]);
    if (flag == "--rounds") o.rounds = std::stoi(argv[i + 1]);
    if (flag == "--dir") o.dir = argv[i + 1];
    if (flag == "--only") o.only = argv[i + 1];
  }
  return o;
}

double Since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS").
long StatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0).
void ResetPeakRss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

struct Run {
  double seconds = 1e30;
  int64_t bytes = 0;
  long rss_before_kb = 0;
  long peak_kb = 0;
  long growth_kb = 0;  // peak_kb - rss_before_kb of the same run
};

void Keep(Run& best, const Run& r) {
  if (r.seconds < best.seconds) {
    best.seconds = r.seconds;
    best.bytes = r.bytes;
  }
  best.rss_before_kb = std::max(best.rss_before_kb, r.rss_before_kb);
  best.peak_kb = std::max(best.peak_kb, r.peak_kb);
  best.growth_kb = std::max(best.growth_kb, r.growth_kb);
}

std::string ClipWav(int ms) {
  audio::Pcm16 pcm;
  const int n = 16 * ms;
  for (int i = 0; i < n; ++i) {
    pcm.samples.push_back(
        static_cast<int16_t>(6000 * std::sin(i * 0.05) + 2000 * std::sin(i * 0.37 + ms)));
  }
  return audio::EncodeWav(pcm);
}

// The subject "bench-account" with `o.recordings` recordings of `o.ms`.
std::string Populate(Context& ctx, const Options& o) {
  ingest::StreamSpec spec;
  spec.name = "bench";
  spec.sample_rate = 0.0;  // no review jobs to draw
  auto stream = ingest::CreateStream(ctx, spec);
  std::string subject;
  (void)ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject,
                     rights::EnsureSubject(tx, ctx, rights::kDefaultTenant, "bench-account"));
    return Status::Ok();
  });
  (void)rights::UpdateConsents(ctx, subject, {{rights::Purpose::kStore, true}}, "bench", "bench");
  const std::string wav = ClipWav(o.ms);
  ingest::RecordingMetadata meta;
  meta.account = "bench-account";
  meta.device_serial = "B-1";
  meta.captured_at_ms = 1767225600000;
  meta.locale = "en-US";
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < o.ingest_threads; ++t) {
    threads.emplace_back([&] {
      while (next++ < o.recordings) {
        if (!ingest::IngestRecording(ctx, stream->stream, meta, wav).ok()) failed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed > 0) std::fprintf(stderr, "setup: %d ingests failed\n", failed.load());
  return subject;
}

Run ExportToDevNull(Context& ctx, const std::string& subject, int devnull) {
  Run r;
  ResetPeakRss();
  r.rss_before_kb = StatusKb("VmRSS");
  const auto start = Steady::now();
  auto stream = rights::StartExport(ctx, subject);
  if (!stream.ok()) {
    std::fprintf(stderr, "export: %s\n", stream.status().ToString().c_str());
    return r;
  }
  std::string chunk;
  for (bool more = true; more;) {
    auto next = (*stream)->Next(chunk);
    if (!next.ok()) {
      std::fprintf(stderr, "export: %s\n", next.status().ToString().c_str());
      return r;
    }
    more = *next;
    r.bytes += static_cast<int64_t>(chunk.size());
    if (write(devnull, chunk.data(), chunk.size()) < 0) return r;
  }
  r.seconds = Since(start);
  r.peak_kb = StatusKb("VmHWM");
  r.growth_kb = r.peak_kb - r.rss_before_kb;
  return r;
}

struct BlobRef {
  std::string recording_id;
  std::string blob_name;
};

// Up to 1000 of the subject's blobs after `after_id`, in id order.
std::vector<BlobRef> BlobPage(Context& ctx, const std::string& subject, const std::string& after) {
  std::vector<BlobRef> page;
  (void)ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, blob_name FROM recordings WHERE "
                                         "subject_id = ? AND id > ? ORDER BY id LIMIT 1000",
                                         {subject, after}));
    for (const auto& row : rows) page.push_back({row.Text(0), row.Text(1)});
    return Status::Ok();
  });
  return page;
}

// The limit: every blob read and decrypted, its WAV to /dev/null; the blob
// names are read 1000 at a time (what that costs is in the timing: 0.1% of it).
Run DecryptReadToDevNull(Context& ctx, const std::string& subject, int devnull) {
  std::string key;
  (void)ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(key, rights::SubjectKey(tx, ctx, subject));
    return Status::Ok();
  });
  Run r;
  ResetPeakRss();
  r.rss_before_kb = StatusKb("VmRSS");
  const auto start = Steady::now();
  std::string after;
  for (auto page = BlobPage(ctx, subject, after); !page.empty();
       page = BlobPage(ctx, subject, after)) {
    for (const auto& b : page) {
      auto sealed = ctx.blobs().Get(b.blob_name);
      if (!sealed.ok()) return r;
      auto plain = crypto::Open(key, *sealed, "rec:" + b.recording_id);
      if (!plain.ok()) return r;
      const std::string wav = audio::EncodeWav(audio::PcmFromBytes(*plain));
      r.bytes += static_cast<int64_t>(wav.size());
      if (write(devnull, wav.data(), wav.size()) < 0) return r;
    }
    after = page.back().recording_id;
  }
  r.seconds = Since(start);
  r.peak_kb = StatusKb("VmHWM");
  r.growth_kb = r.peak_kb - r.rss_before_kb;
  return r;
}

// `n` plaintext copies of `wav` in `dir`, in page cache like the blobs.
void WritePlainFiles(const std::string& dir, int n, const std::string& wav) {
  std::filesystem::create_directories(dir);
  for (int i = 0; i < n; ++i) {
    std::ofstream(dir + "/rec_" + std::to_string(i) + ".wav", std::ios::binary) << wav;
  }
}

// tar's peak RSS in KiB as GNU time wrote it to `path` ("maxrss_kb=N"), or 0.
long TimedMaxRssKb(const std::string& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("maxrss_kb=", 0) == 0) return std::stol(line.substr(10));
  }
  return 0;
}

// The peer: `tar -cf - -C dir .` into a pipe drained here (tar would skip
// reading the files if its output were /dev/null itself). Its peak RSS comes
// from /usr/bin/time when installed: getrusage of our own children would
// count the RSS a forked child inherits from this process.
Run TarToPipe(const std::string& dir, const std::string& rss_file) {
  Run r;
  const bool timed = access("/usr/bin/time", X_OK) == 0;
  const std::string tar = "tar -cf - -C '" + dir + "' .";
  const std::string cmd =
      timed ? "/usr/bin/time -f maxrss_kb=%M -o '" + rss_file + "' " + tar : tar;
  const auto start = Steady::now();
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::vector<char> buf(1 << 16);
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) r.bytes += n;
  if (pclose(p) != 0) return r;
  r.seconds = Since(start);
  r.peak_kb = timed ? TimedMaxRssKb(rss_file) : 0;
  r.growth_kb = r.peak_kb;
  return r;
}

void PrintRow(const char* name, const Run& r, int n) {
  std::printf("%-34s %9.2f %11.0f %9.1f %12ld %12ld\n", name, r.seconds, n / r.seconds,
              r.bytes / r.seconds / 1e6, r.peak_kb, r.growth_kb);
}

struct Bench {
  std::string root;
  std::unique_ptr<Context> ctx;
  std::string subject;
  int recordings = 0;
};

std::string FindBenchSubject(Context& ctx) {
  std::string subject;
  (void)ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(
        subject, rights::FindSubjectByAccount(tx, ctx, rights::kDefaultTenant, "bench-account"));
    return Status::Ok();
  });
  return subject;
}

int CountRecordings(Context& ctx, const std::string& subject) {
  int n = 0;
  (void)ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT COUNT(*) FROM recordings WHERE subject_id = ?", {subject}));
    n = static_cast<int>(rows[0].Int(0));
    return Status::Ok();
  });
  return n;
}

// Opens (and, the first time, fills) the bench's data directory.
bool OpenBench(const Options& o, Bench& b) {
  b.root = o.dir;
  if (b.root.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-export-XXXXXX").string();
    b.root = ::mkdtemp(tmpl.data());
  }
  auto ctx = Context::Open(DefaultConfig(b.root + "/data"));
  if (!ctx.ok()) {
    std::fprintf(stderr, "%s\n", ctx.status().ToString().c_str());
    return false;
  }
  b.ctx = std::move(*ctx);
  b.subject = FindBenchSubject(*b.ctx);
  if (!b.subject.empty()) {
    b.recordings = CountRecordings(*b.ctx, b.subject);
    std::printf("setup: reusing %d recordings in %s\n", b.recordings, b.root.c_str());
    return true;
  }
  auto start = Steady::now();
  b.subject = Populate(*b.ctx, o);
  b.recordings = CountRecordings(*b.ctx, b.subject);
  std::printf("setup: %d recordings of %d ms ingested in %.1f s (%d threads)\n", b.recordings, o.ms,
              Since(start), o.ingest_threads);
  start = Steady::now();
  const std::string wav = ClipWav(o.ms);
  WritePlainFiles(b.root + "/plain", b.recordings, wav);
  std::printf("setup: %d plaintext files of %zu bytes written in %.1f s\n", b.recordings,
              wav.size(), Since(start));
  return true;
}

void RunAll(Bench& b, const Options& o, int devnull) {
  Run limit, exported, tar;
  for (int round = 0; round < o.rounds; ++round) {
    Keep(limit, DecryptReadToDevNull(*b.ctx, b.subject, devnull));
    Keep(exported, ExportToDevNull(*b.ctx, b.subject, devnull));
    Keep(tar, TarToPipe(b.root + "/plain", b.root + "/tar.rss"));
  }
  std::printf("\n%-34s %9s %11s %9s %12s %12s\n", "target", "seconds", "recs/s", "MB/s",
              "peak RSS KiB", "growth KiB");
  PrintRow("limit: read + decrypt blobs", limit, b.recordings);
  PrintRow("earshot export (tar, streamed)", exported, b.recordings);
  PrintRow("peer: GNU tar of plaintext files", tar, b.recordings);
  std::printf("(tar: a process of its own; its peak RSS is all of it, 0 without /usr/bin/time)\n");
  std::printf("archive: %.1f MB; buffer bound %zu bytes\n", exported.bytes / 1e6,
              rights::ExportStream::kMaxBufferedBytes);
  std::printf("ratio earshot export / decrypt-read limit: %.3f (throughput)\n",
              limit.seconds / exported.seconds);
  std::printf("ratio earshot export / GNU tar:            %.3f (throughput)\n",
              tar.seconds / exported.seconds);
  std::printf("peak RSS growth during the export: %ld KiB for a %.0f MB archive\n",
              exported.growth_kb, exported.bytes / 1e6);
}

// The export alone, in a process that did nothing else since it opened the
// data directory: its peak is the program (libraries, Context) plus the export.
void RunExportOnly(Bench& b, int devnull) {
  ResetPeakRss();
  const long rss_start = StatusKb("VmRSS");
  Run r;
  const auto start = Steady::now();
  auto stream = rights::StartExport(*b.ctx, b.subject);
  std::string chunk;
  for (bool more = stream.ok(); more;) {
    auto next = (*stream)->Next(chunk);
    more = next.ok() && *next;
    r.bytes += static_cast<int64_t>(chunk.size());
    if (write(devnull, chunk.data(), chunk.size()) < 0) break;
  }
  r.seconds = Since(start);
  std::printf("export only: %d recordings, %.1f MB in %.2f s (%.0f recordings/s)\n", b.recordings,
              r.bytes / 1e6, r.seconds, b.recordings / r.seconds);
  std::printf("process RSS before the export %ld KiB; peak during it (VmHWM) %ld KiB\n", rss_start,
              StatusKb("VmHWM"));
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  SetLogLevel(LogLevel::kWarn);
  Bench b;
  if (!OpenBench(o, b)) return 1;
  const int devnull = open("/dev/null", O_WRONLY);
  if (o.only == "export") {
    RunExportOnly(b, devnull);
  } else {
    RunAll(b, o, devnull);
  }
  close(devnull);
  b.ctx.reset();
  if (o.dir.empty()) std::filesystem::remove_all(b.root);
  return 0;
}
