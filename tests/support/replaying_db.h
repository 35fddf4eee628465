// A Db decorator for tests of the contract's "a callback may be re-run"
// rule (store/db.h): every Write and Read runs its callback once in a
// transaction that is then rolled back, and once more for real, as a
// backend does after a serialization conflict or a broken connection. A
// callback that accumulates into a captured result, counts a metric or
// keeps a flag from its first run shows it twice. BetweenRunsOnce lets a
// test change the database between the two runs, as a concurrent writer
// would between a conflict and its retry.
#pragma once

#include <functional>
#include <memory>

#include "store/db.h"

namespace earshot::testing {

class ReplayingDb : public store::Db {
 public:
  explicit ReplayingDb(std::unique_ptr<store::Db> inner) : inner_(std::move(inner)) {}

  Status Write(const std::function<Status(store::Tx&)>& fn) override {
    RETURN_IF_ERROR(RolledBack(inner_->Write([&](store::Tx& tx) { return FirstRun(fn, tx); })));
    Between();
    return inner_->Write(fn);
  }
  Status Read(const std::function<Status(store::Tx&)>& fn) override {
    RETURN_IF_ERROR(RolledBack(inner_->Read([&](store::Tx& tx) { return FirstRun(fn, tx); })));
    Between();
    return inner_->Read(fn);
  }
  Status WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) override {
    return inner_->WithExclusiveLock(name, fn);
  }
  Status Checkpoint() override { return inner_->Checkpoint(); }
  store::Dialect dialect() const override { return inner_->dialect(); }
  int64_t replays() const { return replays_; }
  // Runs `change` (which may use this Db) after the first run of the next
  // transaction, before its second.
  void BetweenRunsOnce(std::function<void()> change) { between_ = std::move(change); }

 private:
  void Between() {
    if (!between_) return;
    auto change = std::move(between_);
    between_ = nullptr;
    change();
  }
  // Whatever the first run returns, its transaction is rolled back.
  Status FirstRun(const std::function<Status(store::Tx&)>& fn, store::Tx& tx) {
    (void)fn(tx);
    ++replays_;
    return Internal("replay", "the first run of a replayed transaction");
  }
  // The first run's own outcome is expected; anything else (the database
  // failing) is passed on.
  static Status RolledBack(const Status& st) { return st.reason() == "replay" ? Status::Ok() : st; }
  std::unique_ptr<store::Db> inner_;
  int64_t replays_ = 0;
  std::function<void()> between_;
};

}  // namespace earshot::testing
