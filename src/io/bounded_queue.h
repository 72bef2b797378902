// A blocking multi-producer queue of bounded size, so that fast producers
// cannot run ahead of slow consumers by more than `capacity` items (and, when
// a weight is given, by more than `max_weight` of the items' summed weight,
// e.g. their bytes). An item heavier than the whole budget is still admitted
// into an empty queue, so that nothing waits forever.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>

namespace sparkify::io {

template <typename T>
class BoundedQueue {
 public:
  using Weigh = std::function<size_t(const T&)>;

  explicit BoundedQueue(size_t capacity, size_t max_weight = std::numeric_limits<size_t>::max(),
                        Weigh weigh = nullptr)
      : capacity_(capacity), max_weight_(max_weight), weigh_(std::move(weigh)) {}

  // Blocks while full. Returns false (dropping `item`) once cancelled.
  bool push(T item) {
    const size_t weight = weigh_ ? weigh_(item) : 0;
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] {
      return cancelled_ || items_.empty() || (items_.size() < capacity_ && weight_ + weight <= max_weight_);
    });
    if (cancelled_) return false;
    weight_ += weight;
    items_.push_back(Entry{std::move(item), weight});
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item comes or the producers are done; nullopt then, or
  // once cancelled.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_ || cancelled_; });
    if (items_.empty() || cancelled_) return std::nullopt;
    Entry entry = std::move(items_.front());
    items_.pop_front();
    weight_ -= entry.weight;
    not_full_.notify_one();
    return std::move(entry.item);
  }

  // No more pushes will come.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

  // Wakes everyone; pending and future pushes fail.
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    items_.clear();
    weight_ = 0;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

 private:
  struct Entry {
    T item;
    size_t weight;
  };

  const size_t capacity_;
  const size_t max_weight_;
  const Weigh weigh_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Entry> items_;  // GUARDED_BY(mutex_)
  size_t weight_ = 0;        // GUARDED_BY(mutex_)
  bool closed_ = false;      // GUARDED_BY(mutex_)
  bool cancelled_ = false;   // GUARDED_BY(mutex_)
};

}  // namespace sparkify::io
