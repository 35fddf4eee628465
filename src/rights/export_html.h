// The readable side of the subject's export (issue 13: "an export people can
// open"): plain HTML pages beside the WAVs and JSON, like the large
// providers' data takeouts, openable from the unpacked archive with no
// network and no script.
//   index.html                  what is held, the consent history, erased
//                               recordings, and a link to each page below
//   recordings/page-0001.html   one table per page of recordings: when, how
//                               long, the audio, what the assistant
//                               understood, who listened and when, and what
//                               reviewers wrote
// Everything from the database is HTML-escaped (a transcript is the
// person's words, not markup). Pages are written as the export streams, one
// page of recordings at a time, so memory stays bounded (rights/export.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace earshot::rights {

// `text` with & < > " ' escaped.
std::string HtmlEscape(const std::string& text);

// The name of page `number` (1-based): "recordings/page-0001.html".
std::string ExportPageName(int number);

// One table row for a recording, from its recordings/<id>.json document
// (the fields LoadRecording writes: id, captured_at, duration_ms,
// hypothesis, listens, annotations, audio_file).
std::string ExportRecordingRow(const nlohmann::json& recording);

// A page of rows made by ExportRecordingRow.
std::string ExportPage(int number, const std::vector<std::string>& rows);

// index.html, from data.json's document, the number of pages and the counts.
std::string ExportIndex(const nlohmann::json& data, int pages, int64_t recordings,
                        int64_t audio_files);

}  // namespace earshot::rights
