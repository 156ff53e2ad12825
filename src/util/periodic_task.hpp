#pragma once
// A thread of its own that runs a function at once and then every `interval`
// until Stop() (or destruction), which wakes it without waiting for the
// interval to end. For housekeeping inside `rqwatch serve` that must not wait
// for a cron job.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rqwatch::util {

class PeriodicTask {
  public:
    // `name`: the thread's name (at most 15 characters).
    PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> run);
    ~PeriodicTask();
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    void Stop();

  private:
    void Loop();

    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> run_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace rqwatch::util
