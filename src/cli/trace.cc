// `earshot trace FILE`: which listen a leaked recording came from
// (review/trace.h). For the host's operator; privacy officers run it there.
#include "review/trace.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "cli/commands.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::cli {
namespace {

struct TraceArgs {
  std::string data, file;
};

// A leak may be a whole recording of a review session: up to two hours.
constexpr int64_t kMaxTraceMs = 2 * 3600 * 1000;

void RunTrace(const TraceArgs& a) {
  auto bytes = ReadFile(a.file);
  if (!bytes.ok()) Fail(bytes.status());
  auto pcm = audio::DecodeToCanonical(*bytes, audio::DecodeLimits{kMaxTraceMs});
  if (!pcm.ok()) Fail(pcm.status());
  auto ctx = OpenOrExit(a.data);
  auto traced = review::TraceLeak(*ctx, *pcm, "operator");
  if (!traced.ok()) Fail(traced.status());
  const auto& d = traced->detection;
  nlohmann::json out = {{"found", d.found},
                        {"z", d.z},
                        {"threshold_z", d.threshold_z},
                        {"false_alarm", d.false_alarm},
                        {"inverted", d.inverted},
                        {"seconds", d.seconds}};
  std::string verdict;
  if (!d.found) {
    verdict = "no watermark of this deployment was found";
  } else if (!d.payload) {
    verdict =
        "a watermark of this deployment is present but its listen could not be read (a mixture "
        "of copies, or too little audio)";
  } else if (!traced->listen) {
    out["mark"] = *d.payload;  // the decoder's best reading
    verdict = "the watermark names no listen this deployment knows";
  } else {
    auto listen_json = [](const review::TracedListen& l) {
      return nlohmann::json{
          {"mark", l.mark},
          {"reviewer", l.reviewer},
          {"purpose", l.purpose},
          {"target", l.target},
          {"at", FormatRfc3339(l.at_ms)},
          {"stream", l.stream.empty() ? nlohmann::json(nullptr) : nlohmann::json(l.stream)},
          {"erased", l.erased}};
    };
    out["listen"] = listen_json(*traced->listen);
    verdict = "the recording came from a listen by " + traced->listen->reviewer;
    if (!traced->also.empty()) {
      out["also"] = nlohmann::json::array();
      for (const auto& l : traced->also) {
        out["also"].push_back(listen_json(l));
        verdict += " and one by " + l.reviewer;
      }
      verdict += " (copies of several listens: mixed, or spliced one after another)";
    }
  }
  out["verdict"] = verdict;
  std::printf("%s\n", out.dump().c_str());
}

}  // namespace

void AddTraceCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "trace", "Find the watermark in a leaked recording and name the listen it came from");
  auto args = std::make_shared<TraceArgs>();
  cmd->add_option("file", args->file, "The leaked recording (WAV, FLAC, Ogg, Opus or MP3)")
      ->required();
  cmd->add_option("--data", args->data, "Data directory");
  AddStoreOptions(*cmd);
  cmd->callback([=] {
    if (args->data.empty()) Fail(InvalidArgument("missing_option", "trace needs --data"));
    RunTrace(*args);
  });
}

}  // namespace earshot::cli
