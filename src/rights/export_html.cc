#include "rights/export_html.h"

#include <cstdio>

namespace earshot::rights {
namespace {

using nlohmann::json;

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1b1f24;line-height:1.45}table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left;vertical-align:top}"
    ".muted{color:#57606a}";

std::string Head(const std::string& title) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         HtmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>\n";
}

std::string Answer(const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return "can't tell";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string ExportPageName(int number) {
  char name[48];
  std::snprintf(name, sizeof name, "recordings/page-%04d.html", number);
  return name;
}

std::string ExportRecordingRow(const json& r) {
  const std::string id = Text(r.value("id", json()));
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s",
                static_cast<double>(r.value("duration_ms", int64_t{0})) / 1000.0);
  std::string out = "<tr><td>" + HtmlEscape(Text(r.value("captured_at", json()))) + "</td><td>" +
                    seconds + "</td><td>";
  const json audio = r.value("audio_file", json());
  if (audio.is_string()) {
    // Pages live in recordings/, beside the files.
    const std::string file = HtmlEscape(id) + ".wav";
    out += "<audio controls preload=\"none\" src=\"" + file + "\"></audio><br><a href=\"" + file +
           "\">" + file + "</a>";
  } else {
    out += "<span class=\"muted\">audio deleted under your retention setting</span>";
  }
  out += "<br><a href=\"" + HtmlEscape(id) + ".json\">details (JSON)</a></td><td>";
  const json hyp = r.value("hypothesis", json());
  const std::string said = hyp.is_object() ? Text(hyp.value("text", json())) : "";
  out += said.empty() ? "<span class=\"muted\">no transcript sent</span>"
                      : "&ldquo;" + HtmlEscape(said) + "&rdquo;";
  out += "</td><td>";
  const json listens = r.value("listens", json::array());
  if (listens.empty()) out += "<span class=\"muted\">no person</span>";
  for (const json& l : listens) {
    out += HtmlEscape(Text(l.value("reviewer", json()))) + " on " +
           HtmlEscape(Text(l.value("at", json()))) + " (" +
           HtmlEscape(Text(l.value("purpose", json()))) + ")<br>";
  }
  out += "</td><td>";
  const json notes = r.value("annotations", json::array());
  if (notes.empty()) out += "<span class=\"muted\">nothing</span>";
  for (const json& a : notes) {
    out += "&ldquo;" + HtmlEscape(Text(a.value("transcript", json()))) +
           "&rdquo;<br><span class=\"muted\">intended: " + Answer(a.value("intended", json())) +
           "; heard accurately: " + Answer(a.value("heard_accurately", json())) +
           "; responded appropriately: " + Answer(a.value("responded_appropriately", json()));
    const std::string flags = Text(a.value("flags", json()));
    if (!flags.empty()) out += "; flags: " + HtmlEscape(flags);
    out += "</span><br>";
  }
  return out + "</td></tr>\n";
}

std::string ExportPage(int number, const std::vector<std::string>& rows) {
  std::string out = Head("Your voice recordings, page " + std::to_string(number));
  out += "<p><a href=\"../index.html\">Back to the overview</a></p><h1>Your recordings, page " +
         std::to_string(number) +
         "</h1>\n<table><thead><tr><th>When</th><th>Length</th><th>Audio</th>"
         "<th>What the assistant understood</th><th>Who listened</th>"
         "<th>What reviewers wrote</th></tr></thead><tbody>\n";
  for (const std::string& row : rows) out += row;
  return out + "</tbody></table></body></html>\n";
}

std::string ExportIndex(const json& data, int pages, int64_t recordings, int64_t audio_files) {
  std::string out = Head("Your voice recordings: everything held");
  out += "<h1>Everything held about you</h1>\n<p>Exported " +
         HtmlEscape(Text(data.value("exported_at", json()))) + " for the account <strong>" +
         HtmlEscape(Text(data.value("account", json()))) + "</strong>. " +
         std::to_string(recordings) + " recordings (" + std::to_string(audio_files) +
         " with their audio). Keep this file private: it holds your voice.</p>\n";
  const json retention = data.value("retention", json());
  out += "<p>Original recordings are kept for: <strong>" +
         (retention.is_string() ? HtmlEscape(retention.get<std::string>())
                                : std::string("the service's default")) +
         "</strong>.</p>\n<h2>Your recordings</h2>\n<ul>\n";
  for (int p = 1; p <= pages; ++p) {
    const std::string name = ExportPageName(p);
    out += "<li><a href=\"" + name + "\">Page " + std::to_string(p) + "</a></li>\n";
  }
  if (pages == 0) out += "<li class=\"muted\">none are held</li>\n";
  out += "</ul>\n<h2>Your consent history</h2>\n<table><thead><tr><th>When</th><th>What</th>"
         "<th>Choice</th><th>Policy</th><th>Changed by</th></tr></thead><tbody>\n";
  for (const json& e : data.value("consent_history", json::array())) {
    out += "<tr><td>" + HtmlEscape(Text(e.value("at", json()))) + "</td><td>" +
           HtmlEscape(Text(e.value("purpose", json()))) + "</td><td>" +
           (e.value("granted", false) ? "granted" : "withdrawn") + "</td><td>" +
           HtmlEscape(Text(e.value("policy_version", json()))) + "</td><td>" +
           HtmlEscape(Text(e.value("source", json()))) + "</td></tr>\n";
  }
  out += "</tbody></table>\n<h2>Recordings you deleted</h2>\n<ul>\n";
  const json tombs = data.value("tombstones", json::array());
  if (tombs.empty()) out += "<li class=\"muted\">none</li>\n";
  for (const json& t : tombs) {
    out += "<li>" + HtmlEscape(Text(t.value("recording_id", json()))) + ", deleted " +
           HtmlEscape(Text(t.value("erased_at", json()))) + "</li>\n";
  }
  out += "</ul>\n<p class=\"muted\">The same data, for programs: data.json, recordings/*.json, "
         "summary.json.</p></body></html>\n";
  return out;
}

}  // namespace earshot::rights
