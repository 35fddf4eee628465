// Clang's thread-safety analysis (-Wthread-safety): GUARDED_BY names the
// mutex that must be held to touch a member, REQUIRES a mutex a function
// must be called with. Under GCC the macros expand to nothing.
//
// libstdc++'s std::mutex carries no annotations, so annotated code locks an
// earshot::Mutex (a std::mutex that says it is a capability) through
// MutexLock, and waits with std::condition_variable_any on it.
#pragma once

#include <mutex>

#if defined(__clang__)
#define EARSHOT_THREAD_ATTR(x) __attribute__((x))
#else
#define EARSHOT_THREAD_ATTR(x)
#endif

#define CAPABILITY(x) EARSHOT_THREAD_ATTR(capability(x))
#define SCOPED_CAPABILITY EARSHOT_THREAD_ATTR(scoped_lockable)
#define GUARDED_BY(x) EARSHOT_THREAD_ATTR(guarded_by(x))
#define PT_GUARDED_BY(x) EARSHOT_THREAD_ATTR(pt_guarded_by(x))
#define REQUIRES(...) EARSHOT_THREAD_ATTR(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) EARSHOT_THREAD_ATTR(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) EARSHOT_THREAD_ATTR(acquire_capability(__VA_ARGS__))
#define RELEASE(...) EARSHOT_THREAD_ATTR(release_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS EARSHOT_THREAD_ATTR(no_thread_safety_analysis)

namespace earshot {

class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// Holds `mu` for its scope. Also what std::condition_variable_any::wait
// takes (it unlocks and relocks it while waiting).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() RELEASE() { mu_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  // For condition_variable_any: the analysis sees the lock held throughout.
  void lock() NO_THREAD_SAFETY_ANALYSIS { mu_.lock(); }
  void unlock() NO_THREAD_SAFETY_ANALYSIS { mu_.unlock(); }

 private:
  Mutex& mu_;
};

}  // namespace earshot
