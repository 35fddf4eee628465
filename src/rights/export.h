// The subject's export ("takeout"): everything held about them, as a tar
// archive produced while it is read, so an export of any number of
// recordings passes through bounded memory (issue 11, item 8). Format
// earshot-export/2 (docs/privacy-model.md, "The export"), in this order:
//
//   data.json               account, retention, consent history, tombstones
//                           of erased recordings
//   recordings/<id>.json    one per recording: its metadata, who listened
//                           (pseudonymously) and reviewers' annotations
//   recordings/<id>.wav     its audio, unless retention already deleted it
//   recordings/page-NNNN.html  the page's recordings, readable (export_html.h),
//                           after each page of recordings
//   index.html              the overview, linking the pages
//   summary.json            last: {"complete": true} and the counts. An
//                           archive without it was cut short.
// As a zip, the archive's central directory (about 100 bytes a file) is
// held until the end and written last, past kMaxBufferedBytes.
//
// Memory: the archive bytes buffered at any time never exceed
// ExportStream::kMaxBufferedBytes. Besides them the stream holds one page of
// recording rows (kPageSize, with their listens and annotations), one
// recording's audio (its sealed blob, PCM and WAV: under 1 MB each at the 30 s
// limit), and data.json, which grows with the consent history and tombstones
// but not with the recordings held.
//
// Consistency: the database is read in pages (keyset on recording id), one
// short read transaction each; none is held between calls, so a slow client
// never holds a snapshot open. A recording is read in full (row, listens,
// annotations, audio) before any byte of it is written, so it is in the
// archive whole or not at all: one whose erasure began before its page was
// read is absent; one whose row was read but whose audio was erased before it
// was sent is absent too (counted as erased_during_export); one erased after
// it was read stays whole in what the subject receives.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "app/context.h"
#include "rights/archive_stream.h"

namespace earshot::rights {

// One export being produced. Not thread-safe: one caller drains it (an HTTP
// connection), one Next at a time. REQUIRES: the Context outlives it.
class ExportStream {
 public:
  // Archive bytes are handed out once at least this many are buffered (or
  // at the end); an entry's data is written in slices that keep to it.
  static constexpr size_t kChunkBytes = 64 << 10;
  // The bound on buffered archive bytes: kChunkBytes plus what one step adds
  // past it (a header, a pax extension, padding, the two end blocks).
  static constexpr size_t kMaxBufferedBytes = kChunkBytes + (8 << 10);
  // Recordings read per database page.
  static constexpr int64_t kPageSize = 64;

  virtual ~ExportStream() = default;

  // Sets `chunk` to the next piece of the archive, at most
  // kMaxBufferedBytes long (empty only after the end). Returns true while
  // more follows, false once `chunk` holds the last piece (and after). An
  // error (storage failure, a blob that fails to decrypt) ends the export:
  // the archive is cut short, and every later call fails too.
  virtual Result<bool> Next(std::string& chunk) = 0;

  // The most archive bytes held at once so far (tests hold it to the bound).
  virtual size_t peak_buffered_bytes() const = 0;
  struct Counts {
    int64_t recordings = 0;            // recordings/<id>.json written
    int64_t audio_files = 0;           // recordings/<id>.wav written
    int64_t erased_during_export = 0;  // left out: erased after its row was read
  };
  virtual Counts counts() const = 0;
};

// Reads the subject-level data (data.json), appends "subject.export" to the
// audit log and counts earshot_exports_total, all before the first byte:
// an error here is a normal error reply. NotFound("unknown_subject") when no
// data is held (or the subject was erased).
// `format`: tar (the API's default, for programs) or zip (what the dashboard
// downloads, for people: any desktop opens it).
Result<std::unique_ptr<ExportStream>> StartExport(Context& ctx, const std::string& subject_id,
                                                  ArchiveFormat format = ArchiveFormat::kTar);

}  // namespace earshot::rights
