#pragma once
// A thread of its own that runs a function at once and then again after the
// pause the function returns (or every `interval`), until Stop() (or
// destruction), which wakes it without waiting for the pause to end. For the
// housekeeping inside `rqwatch serve` that must not wait for a cron job.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rqwatch::util {

class PeriodicTask {
  public:
    using Round = std::function<std::chrono::milliseconds()>;  // returns the pause after it
    // `name`: the thread's name (at most 15 characters).
    PeriodicTask(std::string name, Round round);
    PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> run);
    ~PeriodicTask();
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    void Stop();

  private:
    void Loop();

    std::string name_;
    Round round_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace rqwatch::util
