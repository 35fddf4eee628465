// Fuzzes subject-token verification (rights/subject_tokens.h) on a real
// data directory (a temp dir, a fake clock): arbitrary strings, and edits
// of real tokens (bytes flipped, cut, extended, at any time). The invariant:
// a token verifies only if it is, byte for byte, one that was minted, names
// the subject it was minted for, is not expired, and that subject still
// exists.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "app/context.h"
#include "fuzz_check.h"
#include "rights/erasure.h"
#include "rights/subject_tokens.h"
#include "rights/subjects.h"

namespace {

constexpr int64_t kStart = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kTtl = 60'000;

struct Minted {
  std::string token;
  std::string subject;
  bool erased = false;
};

struct World {
  std::string dir;
  earshot::FakeClock clock{kStart};
  earshot::SeededRandom rng{11};
  std::unique_ptr<earshot::Context> ctx;
  Minted live, erased, other_tenant;
};

Minted Mint(World& w, const std::string& tenant, const std::string& account) {
  auto token = earshot::rights::MintSubjectToken(*w.ctx, tenant, account, kTtl);
  FUZZ_CHECK(token.ok());
  auto subject = earshot::rights::VerifySubjectToken(*w.ctx, *token);
  FUZZ_CHECK(subject.ok());
  return {*token, *subject};
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr);
    w->dir = tmpl;
    auto ctx = earshot::Context::Open(earshot::DefaultConfig(w->dir), &w->clock, &w->rng);
    FUZZ_CHECK(ctx.ok());
    w->ctx = std::move(ctx).value();
    w->live = Mint(*w, earshot::rights::kDefaultTenant, "acct-live");
    w->other_tenant = Mint(*w, "tenant-b", "acct-live");
    w->erased = Mint(*w, earshot::rights::kDefaultTenant, "acct-erased");
    FUZZ_CHECK(earshot::rights::EraseSubject(*w->ctx, w->erased.subject).ok());
    w->erased.erased = true;
    std::atexit([] { std::filesystem::remove_all(TheWorld().dir); });
    return w;
  }();
  return *world;
}

// A minted token with the edits the input asks for.
std::string Edited(FuzzedDataProvider& in, std::string token) {
  const int edits = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < edits && !token.empty(); ++i) {
    const size_t at = in.ConsumeIntegralInRange<size_t>(0, token.size() - 1);
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0: token[at] = static_cast<char>(in.ConsumeIntegral<uint8_t>()); break;
      case 1: token.erase(at, 1); break;
      case 2: token.insert(at, 1, static_cast<char>(in.ConsumeIntegral<uint8_t>())); break;
      case 3: token.resize(at); break;
    }
  }
  return token + in.ConsumeRandomLengthString(16);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  FuzzedDataProvider in(data, size);
  const int64_t now = kStart + in.ConsumeIntegralInRange<int64_t>(-kTtl, 2 * kTtl);
  std::string token;
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: token = in.ConsumeRemainingBytesAsString(); break;
    case 1: token = Edited(in, w.live.token); break;
    case 2: token = Edited(in, w.erased.token); break;
    case 3: token = Edited(in, w.other_tenant.token); break;
  }
  w.clock.Set(now);
  auto subject = earshot::rights::VerifySubjectToken(*w.ctx, token);
  if (!subject.ok()) {
    const std::string& reason = subject.status().reason();
    FUZZ_CHECK(reason == "bad_subject_token" || reason == "expired_subject_token" ||
               reason == "unknown_subject");
    return 0;
  }
  const bool is_live = token == w.live.token, is_other = token == w.other_tenant.token;
  FUZZ_CHECK(is_live || is_other);
  FUZZ_CHECK(*subject == (is_live ? w.live.subject : w.other_tenant.subject));
  FUZZ_CHECK(now <= kStart + kTtl);
  return 0;
}
