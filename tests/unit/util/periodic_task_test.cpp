#include "util/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace rqwatch::util {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicTask, RunsAtOnceAndStopsWithoutWaitingForTheInterval) {
    std::atomic<int> runs{0};
    const auto started = std::chrono::steady_clock::now();
    {
        PeriodicTask task("test-task", 1h, [&runs] { ++runs; });
        for (int i = 0; i < 500 && runs.load() == 0; ++i) std::this_thread::sleep_for(2ms);
        task.Stop();
        task.Stop();  // twice is harmless, as is the destructor after it
    }
    EXPECT_EQ(runs.load(), 1);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(PeriodicTask, RunsAgainEveryInterval) {
    std::atomic<int> runs{0};
    PeriodicTask task("test-task", 5ms, [&runs] { ++runs; });
    for (int i = 0; i < 1000 && runs.load() < 3; ++i) std::this_thread::sleep_for(2ms);
    task.Stop();
    EXPECT_GE(runs.load(), 3);
}

TEST(PeriodicTask, ARoundThatThrowsIsLoggedAndTheThreadGoesOn) {
    std::atomic<int> runs{0};
    PeriodicTask task("test-task", [&runs]() -> std::chrono::milliseconds {
        if (++runs == 1) throw std::runtime_error("database gone");
        return 1h;
    });
    // The pause after a throw is a minute: only the first round runs here,
    // and the process is still alive to stop the task.
    for (int i = 0; i < 500 && runs.load() == 0; ++i) std::this_thread::sleep_for(2ms);
    task.Stop();
    EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace rqwatch::util
