// One description per route of routes.cc, in the same order: what the
// OpenAPI document says beyond the route table (openapi.h). docs/api.md has
// the prose and curl examples; this is the machine-readable contract.
#include "http/openapi.h"

namespace earshot::http {
namespace {

using json = nlohmann::json;

json Str() { return {{"type", "string"}}; }
json Str(const char* description) { return {{"type", "string"}, {"description", description}}; }
json Int() { return {{"type", "integer"}}; }
json Num() { return {{"type", "number"}}; }
json Bool() { return {{"type", "boolean"}}; }
json OneOf(std::initializer_list<const char*> values) {
  return {{"type", "string"}, {"enum", std::vector<std::string>(values.begin(), values.end())}};
}
json Nullable(json schema) {
  schema["type"] = {schema["type"], "null"};
  return schema;
}
json Arr(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
// An object with these properties, of which `required` must be present.
json Obj(std::initializer_list<std::pair<const char*, json>> props,
         std::initializer_list<const char*> required = {}) {
  json out = {{"type", "object"}, {"properties", json::object()}};
  for (const auto& [name, schema] : props) out["properties"][name] = schema;
  if (required.size() > 0) out["required"] = std::vector<std::string>(required.begin(), required.end());
  return out;
}
json Status(const char* value) { return Obj({{"status", OneOf({value})}}, {"status"}); }

json Task() {
  return Obj({{"id", Str()},
              {"stream", Str()},
              {"duration_ms", Int()},
              {"masked_hypothesis", Str("the machine's words, personal data masked")},
              {"lease_expires_in_s", Int()},
              {"audio_url", Str()}},
             {"id", "audio_url"});
}
// A grading answer: yes, no, or "cant_tell" (stored as no answer).
json Answer() {
  return {{"oneOf", json::array({Bool(), OneOf({"cant_tell"})})},
          {"description", "true, false or \"cant_tell\""}};
}
json Shift() {
  return Obj({{"done", Int()},
              {"cap", Int()},
              {"distress_heard", Int()},
              {"distress_cap", Int()},
              {"on_break_for_s", Int()}});
}
json Purposes() {
  return Obj({{"store", Bool()}, {"human_review", Bool()}, {"training", Bool()}});
}
json Consents() {
  return Obj({{"purposes", Purposes()}, {"policy_version", Str()}}, {"purposes"});
}
json Receipt() {
  return Obj({{"id", Str()}, {"scope", Str()}, {"state", Str()}, {"requested_at", Str()},
              {"completed_at", Nullable(Str())}});
}
json StreamFields(bool with_name_required) {
  json s = Obj({{"name", Str()},
                {"region", Str()},
                {"sample_rate", Num()},
                {"wake_word", Str()},
                {"max_clip_s", Num()},
                {"retention_default", OneOf({"3m", "18m", "never"})},
                {"anonymize_chain", Str()}});
  if (with_name_required) s["required"] = {"name"};
  return s;
}
json Case() {
  return Obj({{"id", Str()},
              {"state", OneOf({"open", "disclosure_requested", "disclosed"})},
              {"opened_at", Str()},
              {"due_at", Str()},
              {"overdue", Bool()},
              {"note", Str()},
              {"masked_hypothesis", Str()},
              {"duration_ms", Int()},
              {"disclosure_requested_by", Nullable(Str())},
              {"audio_url", Str()}});
}
const json kNone = nullptr;

}  // namespace

const std::vector<RouteDoc>& RouteDocs() {
  static const std::vector<RouteDoc> kDocs = {
      {"web.index", "The staff sign-in page", {}, kNone, 200, "text/html", kNone},
      {"web.review", "The reviewer workstation", {}, kNone, 200, "text/html", kNone},
      {"web.privacy", "The privacy dashboard of the person recorded (token in the fragment)", {},
       kNone, 200, "text/html", kNone},
      {"web.console", "The staff console", {}, kNone, 200, "text/html", kNone},
      {"web.asset", "A script, style sheet or font of the pages", {"file"}, kNone, 200,
       "application/octet-stream", kNone},
      {"openapi", "This document", {}, kNone, 200, "application/json", {{"type", "object"}}},
      {"healthz", "Liveness", {}, kNone, 200, "application/json", Status("ok")},
      {"metrics", "Prometheus metrics (counts only)", {}, kNone, 200, "text/plain", kNone},

      {"recordings.create",
       "Send a recording (201; 200 with discarded true when the wake word was not heard)",
       {},
       Obj({{"audio", {{"type", "string"}, {"contentMediaType", "audio/*"}}},
            {"metadata", {{"type", "string"},
                          {"contentMediaType", "application/json"},
                          {"description", "account, device_serial, captured_at (RFC 3339), "
                                          "locale, optional hypothesis"}}}},
           {"audio", "metadata"}),
       201,
       "application/json",
       Obj({{"id", Nullable(Str())},
            {"duration_ms", Int()},
            {"discarded", Bool()},
            {"reason", Str()}}),
       "multipart/form-data"},
      {"consents.put",
       "Record an account's consent (human_review and training need store)",
       {},
       Obj({{"account", Str()}, {"purposes", Purposes()}, {"policy_version", Str()}},
           {"account", "purposes", "policy_version"}),
       200,
       "application/json",
       Consents()},
      {"subject_tokens.create",
       "Mint a link token for the person recorded",
       {},
       Obj({{"account", Str()}, {"ttl_seconds", Int()}}, {"account"}),
       201,
       "application/json",
       Obj({{"token", Str()}, {"expires_in", Int()}}, {"token"})},

      {"staff.enrol",
       "Complete enrolment: a password and the first TOTP code",
       {},
       Obj({{"name", Str()}, {"enrolment_secret", Str()}, {"password", Str()}, {"code", Str()}},
           {"name", "enrolment_secret", "password", "code"}),
       200,
       "application/json",
       Status("enrolled")},
      {"staff.sign_in",
       "Sign in with a password and a TOTP or recovery code (spaces and dashes allowed)",
       {},
       Obj({{"name", Str()}, {"password", Str()}, {"code", Str()}}, {"name", "password", "code"}),
       200,
       "application/json",
       Obj({{"role", Str()}, {"pseudonym", Str()}, {"csrf_token", Str()}})},
      {"staff.me", "The signed-in member and their CSRF token", {}, kNone, 200,
       "application/json", Obj({{"role", Str()}, {"pseudonym", Str()}, {"csrf_token", Str()}})},
      {"staff.sign_out", "End this session", {}, kNone, 200, "application/json",
       Status("signed_out")},
      {"staff.password",
       "Change the password (ends every session)",
       {},
       Obj({{"old_password", Str()}, {"new_password", Str()}}, {"old_password", "new_password"}),
       200,
       "application/json",
       Obj({{"status", OneOf({"changed"})}, {"next", Str()}})},

      {"review.next", "Lease the next clip (null when none waits)", {}, kNone, 200,
       "application/json", Obj({{"task", Nullable(Task())}}, {"task"})},
      {"review.audio", "The leased clip's audio: each play from byte 0 is a listen", {"task_id"},
       kNone, 200, "audio/wav", kNone},
      {"review.leases", "The tasks this reviewer holds live leases on", {}, kNone, 200,
       "application/json", Obj({{"tasks", Arr(Task())}})},
      {"review.renew", "Extend a live lease", {"task_id"}, kNone, 200, "application/json",
       Obj({{"lease_expires_in_s", Int()}})},
      {"review.peaks",
       "The clip's waveform and where it was bleeped",
       {"task_id"},
       kNone,
       200,
       "application/json",
       Obj({{"peaks", Arr(Num())}, {"bleeps", Arr(Arr(Int()))}, {"duration_ms", Int()}})},
      {"review.annotate",
       "Submit the transcript, the three answers and flags",
       {"task_id"},
       Obj({{"transcript", Str()},
            {"intended", Answer()},
            {"heard_accurately", Answer()},
            {"responded_appropriately", Answer()},
            {"note", Str()},
            {"flags", Arr(OneOf({"distress", "intimate", "pii_audible", "not_speech"}))}},
           {"transcript", "intended", "heard_accurately", "responded_appropriately"}),
       200,
       "application/json",
       Obj({{"status", OneOf({"done"})}, {"break_offered", Bool()}, {"shift", Shift()}})},
      {"review.skip", "Return the task to the queue, never to be offered to this reviewer again",
       {"task_id"}, kNone, 200, "application/json", Status("skipped")},
      {"review.shift", "Clips reviewed in the rolling shift against the caps", {}, kNone, 200,
       "application/json", Obj({{"shift", Shift()}})},
      {"review.break", "Take a 15-minute break (leases go back to the queue)", {}, kNone, 200,
       "application/json", Obj({{"shift", Shift()}})},
      {"review.break_end", "End the break early", {}, kNone, 200, "application/json",
       Obj({{"shift", Shift()}})},

      {"quality.series",
       "Per stream and hour: word error rate, answers, bleeped share, counts",
       {},
       kNone,
       200,
       "application/json",
       Obj({{"hours", Arr(Int())}, {"streams", Arr({{"type", "object"}})}})},
      {"audit.status",
       "The audit chain recomputed now, checked against its anchored heads",
       {},
       kNone,
       200,
       "application/json",
       Obj({{"ok", Bool()},
            {"events", Int()},
            {"head_seq", Int()},
            {"head_hash", Str()},
            {"anchor", {{"type", "object"}}}})},
      {"erasures.list", "Erasure receipts, newest first", {}, kNone, 200, "application/json",
       Obj({{"erasures", Arr(Receipt())}})},

      {"admin.staff", "Staff accounts", {}, kNone, 200, "application/json",
       Obj({{"staff", Arr(Obj({{"name", Str()},
                               {"role", Str()},
                               {"pseudonym", Str()},
                               {"enrolled", Bool()},
                               {"disabled", Bool()}}))}})},
      {"admin.jobs_quarantined", "De-identification jobs set aside after repeated failures", {},
       kNone, 200, "application/json", Obj({{"jobs", Arr({{"type", "object"}})}})},
      {"admin.staff_add",
       "Add a reviewer or lead (enrolment secret, TOTP and recovery codes shown once)",
       {},
       Obj({{"name", Str()}, {"role", OneOf({"reviewer", "lead"})}}, {"name", "role"}),
       201,
       "application/json",
       Obj({{"name", Str()},
            {"role", Str()},
            {"pseudonym", Str()},
            {"enrolment_secret", Str()},
            {"totp_uri", Str()},
            {"totp_secret", Str()},
            {"totp_qr_svg", Str()},
            {"recovery_codes", Arr(Str())}})},
      {"admin.staff_disable",
       "Disable an account and end its sessions (never yourself, the last admin, or an officer "
       "when fewer than two would remain)",
       {},
       Obj({{"name", Str()}}, {"name"}),
       200,
       "application/json",
       Status("disabled")},
      {"admin.staff_enable", "Enable a disabled reviewer or lead", {},
       Obj({{"name", Str()}}, {"name"}), 200, "application/json", Status("enabled")},
      {"admin.streams", "Product streams", {}, kNone, 200, "application/json",
       Obj({{"streams", Arr(StreamFields(false))}})},
      {"admin.streams_put", "Create a stream (201, with its API key shown once) or change one",
       {}, StreamFields(true), 200, "application/json", StreamFields(false)},
      {"admin.regions", "Regions whose review is paused", {}, kNone, 200, "application/json",
       Obj({{"paused", Arr(Str())}})},
      {"admin.region_pause", "Pause review in a region", {}, Obj({{"region", Str()}}, {"region"}),
       200, "application/json", Obj({{"paused", Arr(Str())}})},
      {"admin.region_resume", "Resume review in a region", {},
       Obj({{"region", Str()}}, {"region"}), 200, "application/json",
       Obj({{"paused", Arr(Str())}})},

      {"escalations.list", "Open distress cases, oldest first", {}, kNone, 200,
       "application/json", Obj({{"cases", Arr(Case())}})},
      {"escalations.audio", "A case's anonymized clip (a listen, audited)", {"case_id"}, kNone,
       200, "audio/wav", kNone},
      {"escalations.disclosure_request", "Request disclosure of the account: the first officer",
       {"case_id"}, Obj({{"reason", Str()}}, {"reason"}), 200, "application/json",
       Obj({{"state", OneOf({"disclosure_requested"})}})},
      {"escalations.disclosure_approve",
       "Approve the disclosure: a second officer receives the account once",
       {"case_id"},
       kNone,
       200,
       "application/json",
       Obj({{"state", OneOf({"disclosed"})}, {"tenant", Str()}, {"account", Str()}})},
      {"escalations.close", "Close a case", {"case_id"}, kNone, 200, "application/json",
       Obj({{"state", OneOf({"closed"})}})},

      {"me.recordings",
       "The recordings held, with every listen",
       {},
       kNone,
       200,
       "application/json",
       Obj({{"recordings",
             Arr(Obj({{"id", Str()},
                      {"stream", Str()},
                      {"captured_at", Str()},
                      {"duration_ms", Int()},
                      {"audio_available", Bool()},
                      {"transcript", Nullable(Str("the machine's words, to this person only"))},
                      {"clips", Arr(Obj({{"id", Str()},
                                         {"masked_text", Str("what the reviewer saw")},
                                         {"duration_ms", Int()},
                                         {"audio_url", Str()}}))},
                      {"heard_by_person", Bool()},
                      {"listens", Arr(Obj({{"reviewer", Str("a pseudonym")},
                                           {"at", Str()},
                                           {"purpose", Str()}}))}}))}})},
      {"me.recording_audio", "One stored recording's audio", {"recording_id"}, kNone, 200,
       "audio/wav", kNone},
      {"me.clip_audio",
       "A de-identified clip exactly as a reviewer hears it (not counted as a listen)",
       {"clip_id"},
       kNone,
       200,
       "audio/wav",
       kNone},
      {"me.recording_delete", "Delete one recording and everything made from it",
       {"recording_id"}, kNone, 200, "application/json", Receipt()},
      {"me.erase", "Delete everything held about the person", {}, kNone, 200,
       "application/json", Receipt()},
      {"me.export",
       "Everything held, streamed: ?format=tar (default) or zip, with readable HTML pages",
       {},
       kNone,
       200,
       "application/x-tar",
       kNone},
      {"me.consents", "The person's consents and retention", {}, kNone, 200, "application/json",
       Obj({{"purposes", Purposes()},
            {"policy_version", Str()},
            {"retention", OneOf({"3m", "18m", "never", "default"})}})},
      {"me.consents_put",
       "Change consents (review and training need store)",
       {},
       Obj({{"purposes", Purposes()}, {"policy_version", Str()}}, {"purposes", "policy_version"}),
       200,
       "application/json",
       Consents()},
      {"me.retention_put", "Choose how long original recordings are kept", {},
       Obj({{"retention", OneOf({"3m", "18m", "never"})}}, {"retention"}), 200,
       "application/json", Obj({{"retention", Str()}})},
  };
  return kDocs;
}

}  // namespace earshot::http
