#include "review/product_quality.h"

#include <algorithm>
#include <map>

#include "ingest/streams.h"
#include "review/double_review.h"
#include "util/encoding.h"

namespace earshot::review {
namespace {

constexpr const char* kAll = "all";

// One clip's consensus as the figures need it.
struct ClipScore {
  std::string locale;
  int64_t day = 0;
  std::optional<std::pair<int64_t, int64_t>> words;  // machine errors, consensus words
  std::optional<bool> heard, responded;
  bool single = false;
};

// The stream's consensus clips whose recordings arrived in [first, last] days.
Result<std::vector<ClipScore>> Scores(Context& ctx, const std::string& stream_name,
                                      int64_t first_day, int64_t last_day) {
  std::vector<ClipScore> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(ingest::Stream stream, ingest::FindStreamByName(tx, stream_name));
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT r.locale, r.received_at / 86400000, k.hyp_errors, "
                              "k.ref_words, k.heard_accurately, k.responded_appropriately, "
                              "k.reviews, k.adjudicated FROM consensus k JOIN clips c ON "
                              "c.id = k.clip_id JOIN recordings r ON r.id = c.recording_id "
                              "WHERE c.stream_id = ? AND r.received_at >= ? AND r.received_at < ?",
                              {stream.id, first_day * kDayMs, (last_day + 1) * kDayMs}));
    for (const auto& r : rows) {
      ClipScore s;
      s.locale = r.Text(0).empty() ? "unknown" : r.Text(0);
      s.day = r.Int(1);
      if (!r.IsNull(2) && !r.IsNull(3)) s.words = std::pair{r.Int(2), r.Int(3)};
      s.heard = StoredAnswer(r, 4);
      s.responded = StoredAnswer(r, 5);
      s.single = r.Int(6) < 2 && r.Int(7) == 0;
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

struct Tally {
  int64_t clips = 0, single = 0;
  std::vector<std::pair<int64_t, int64_t>> words;
  int64_t heard_yes = 0, heard_n = 0, responded_yes = 0, responded_n = 0;
  void Add(const ClipScore& s) {
    ++clips;
    single += s.single ? 1 : 0;
    if (s.words) words.push_back(*s.words);
    if (s.heard) ++heard_n, heard_yes += *s.heard ? 1 : 0;
    if (s.responded) ++responded_n, responded_yes += *s.responded ? 1 : 0;
  }
  QualitySlice Slice(uint64_t seed) const {
    QualitySlice q;
    q.clips = clips;
    q.single_review = single;
    q.wer = RatioInterval(words, seed);
    q.heard_accurately = WilsonInterval(heard_yes, heard_n);
    q.responded_appropriately = WilsonInterval(responded_yes, responded_n);
    return q;
  }
};

// Tallies per locale ("all" too), and per day within each.
struct Tallies {
  std::map<std::string, Tally> overall;
  std::map<std::string, std::map<int64_t, Tally>> per_day;
  explicit Tallies(const std::vector<ClipScore>& scores) {
    overall[kAll];
    for (const auto& s : scores) {
      for (const std::string& locale : {std::string(kAll), s.locale}) {
        overall[locale].Add(s);
        per_day[locale][s.day].Add(s);
      }
    }
  }
  // "all" first, then by name.
  std::vector<std::string> Locales() const {
    std::vector<std::string> out = {kAll};
    for (const auto& [l, t] : overall) {
      if (l != kAll) out.push_back(l);
    }
    return out;
  }
};

Result<int64_t> DayOf(const std::string& date, const std::string& what) {
  if (date.size() != 10) return InvalidArgument("bad_range", what + ": dates are YYYY-MM-DD");
  const auto ms = ParseRfc3339(date + "T00:00:00Z");
  if (!ms) return InvalidArgument("bad_range", what + ": " + date + " is not a date");
  return *ms / kDayMs;
}

}  // namespace

Result<ProductReport> ProductQuality(Context& ctx, const std::string& stream_name, int days) {
  ProductReport report;
  report.stream = stream_name;
  ASSIGN_OR_RETURN(report.days, LastDays(ctx, days, kMaxProductDays));
  ASSIGN_OR_RETURN(auto scores, Scores(ctx, stream_name, report.days.front(), report.days.back()));
  const Tallies t(scores);
  for (const std::string& locale : t.Locales()) {
    LocaleQuality q;
    q.locale = locale;
    const auto& by_day =
        t.per_day.count(locale) ? t.per_day.at(locale) : std::map<int64_t, Tally>();
    for (int64_t d : report.days) {
      auto it = by_day.find(d);
      q.per_day.push_back(it == by_day.end() ? Tally().Slice(0)
                                             : it->second.Slice(StableSeed(stream_name, d)));
    }
    // Seeded by the stream and slice, not the locale: one set of clips (a
    // stream with one locale, say) gives one interval under both names.
    q.overall = t.overall.at(locale).Slice(StableSeed(stream_name, -days));
    report.locales.push_back(std::move(q));
  }
  return report;
}

Result<DayRange> ParseDayRange(const std::string& text, const std::string& what) {
  const size_t dots = text.find("..");
  DayRange r;
  ASSIGN_OR_RETURN(r.first, DayOf(text.substr(0, dots), what));
  if (dots == std::string::npos) {
    r.last = r.first;
  } else {
    ASSIGN_OR_RETURN(r.last, DayOf(text.substr(dots + 2), what));
  }
  if (r.last < r.first)
    return InvalidArgument("bad_range", what + ": the range ends before it starts");
  if (r.last - r.first + 1 > kMaxProductDays) {
    return InvalidArgument("bad_range",
                           what + ": at most " + std::to_string(kMaxProductDays) + " days");
  }
  return r;
}

Result<Comparison> CompareRanges(Context& ctx, const std::string& stream_name, DayRange a,
                                 DayRange b) {
  ASSIGN_OR_RETURN(auto scores_a, Scores(ctx, stream_name, a.first, a.last));
  ASSIGN_OR_RETURN(auto scores_b, Scores(ctx, stream_name, b.first, b.last));
  const Tallies ta(scores_a), tb(scores_b);
  std::vector<std::string> locales = ta.Locales();
  for (const auto& l : tb.Locales()) {
    if (std::find(locales.begin(), locales.end(), l) == locales.end()) locales.push_back(l);
  }
  std::sort(locales.begin() + 1, locales.end());
  Comparison out;
  out.stream = stream_name;
  out.a = a;
  out.b = b;
  for (const auto& locale : locales) {
    const Tally empty;
    const Tally& x = ta.overall.count(locale) ? ta.overall.at(locale) : empty;
    const Tally& y = tb.overall.count(locale) ? tb.overall.at(locale) : empty;
    const uint64_t seed = StableSeed(stream_name, a.first * 100003 + b.first);
    LocaleComparison c;
    c.locale = locale;
    c.a = x.Slice(seed);
    c.b = y.Slice(seed + 1);
    c.wer_change = RatioDifferenceInterval(x.words, y.words, seed + 2);
    c.heard_accurately_change = ShareDifference(x.heard_yes, x.heard_n, y.heard_yes, y.heard_n);
    c.responded_appropriately_change =
        ShareDifference(x.responded_yes, x.responded_n, y.responded_yes, y.responded_n);
    out.locales.push_back(std::move(c));
  }
  return out;
}

}  // namespace earshot::review
