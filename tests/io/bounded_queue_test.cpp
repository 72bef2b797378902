#include "io/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace sparkify::io {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, HandsItemsOverInOrderUntilClosed) {
  BoundedQueue<int> queue(4);
  std::thread producer([&] {
    for (int item = 0; item < 100; ++item) ASSERT_TRUE(queue.push(item));
    queue.close();
  });
  int expected = 0;
  while (auto item = queue.pop()) EXPECT_EQ(*item, expected++);
  producer.join();
  EXPECT_EQ(expected, 100);
}

TEST(BoundedQueue, PushWaitsWhileTheWeightBudgetIsSpent) {
  BoundedQueue<std::string> queue(10, 8, [](const std::string& text) { return text.size(); });
  ASSERT_TRUE(queue.push("12345"));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    queue.push("6789");  // 5 + 4 > 8: waits for the first to leave
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed);
  EXPECT_EQ(queue.pop().value(), "12345");
  producer.join();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(queue.pop().value(), "6789");
}

TEST(BoundedQueue, AnItemOverTheWholeBudgetStillPassesAlone) {
  BoundedQueue<std::string> queue(10, 4, [](const std::string& text) { return text.size(); });
  EXPECT_TRUE(queue.push("far over four"));
  EXPECT_EQ(queue.pop().value(), "far over four");
}

TEST(BoundedQueue, CancelWakesAWaitingProducerAndEmptiesTheQueue) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = queue.push(2) ? 1 : 0; });
  std::this_thread::sleep_for(20ms);
  queue.cancel();
  producer.join();
  EXPECT_EQ(result, 0);
  EXPECT_TRUE(queue.cancelled());
  EXPECT_FALSE(queue.pop().has_value());
}

}  // namespace
}  // namespace sparkify::io
