#include "util/periodic_task.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "util/thread_name.hpp"

namespace rqwatch::util {

PeriodicTask::PeriodicTask(std::string name, Round round)
    : name_(std::move(name)), round_(std::move(round)) {
    thread_ = std::thread([this] { Loop(); });
}

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval,
                           std::function<void()> run)
    : PeriodicTask(std::move(name), [interval, run = std::move(run)] {
          run();
          return interval;
      }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
    SetThreadName(name_.c_str());
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        std::chrono::milliseconds pause = std::chrono::minutes(1);
        // Housekeeping must never take the mail server down with it: a round
        // that throws is logged and tried again a minute later.
        try {
            pause = round_();
        } catch (const std::exception& e) {
            spdlog::error("{}: {}", name_, e.what());
        }
        lock.lock();
        cv_.wait_for(lock, pause, [this] { return stop_; });
    }
}

}  // namespace rqwatch::util
