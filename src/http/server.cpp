#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <thread>

#include "http/session.hpp"
#include "util/thread_name.hpp"

namespace rqwatch::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Server::Server(ServerOptions options, Router& router, IngestHandler& ingest)
    : options_(std::move(options)),
      router_(router),
      ingest_(ingest),
      ioc_(options_.io_threads),
      acceptor_(net::make_strand(ioc_)),
      workers_(static_cast<std::size_t>(options_.worker_threads)) {}

Server::~Server() { workers_.join(); }

Result<void> Server::Listen() {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(options_.host, ec);
    if (ec) return Fail(ErrorCode::kInvalidArgument, "bad listen address " + options_.host);
    const tcp::endpoint endpoint(address, options_.port);
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Fail(ErrorCode::kUnavailable, "cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    return {};
}

void Server::Accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_), [this](boost::system::error_code ec, ConnectionSocket socket) {
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                std::size_t active = 0;
                {
                    std::lock_guard lock(sessions_mu_);
                    active = sessions_.size();
                }
                if (active >= options_.max_connections) {
                    spdlog::warn("http: connection limit ({}) reached, refusing a client",
                                 options_.max_connections);
                    socket.close(ec);
                } else {
                    std::make_shared<Session>(std::move(socket), *this)->Start();
                }
            }
            if (acceptor_.is_open()) Accept();
        });
}

void Server::Register(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mu_);
    sessions_.insert(s.get());
    weak_sessions_.push_back(s);
    if (weak_sessions_.size() > 2 * sessions_.size() + 64) {
        std::erase_if(weak_sessions_, [](const auto& w) { return w.expired(); });
    }
}

void Server::Unregister(Session* s) {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(s);
}

void Server::Run() {
    auto guard = net::make_work_guard(ioc_);
    net::signal_set signals(ioc_, SIGINT, SIGTERM);
    net::steady_timer drain_timer(ioc_);
    std::chrono::steady_clock::time_point deadline;

    std::function<void()> wait_drained = [&] {
        drain_timer.expires_after(std::chrono::milliseconds(50));
        drain_timer.async_wait([&](boost::system::error_code) {
            std::size_t active = 0;
            {
                std::lock_guard lock(sessions_mu_);
                active = sessions_.size();
            }
            if (active == 0 || std::chrono::steady_clock::now() >= deadline) {
                if (active > 0)
                    spdlog::warn("http: stopping with {} connections still open", active);
                guard.reset();
                ioc_.stop();
                return;
            }
            wait_drained();
        });
    };
    auto shutdown = [&] {
        if (draining_.exchange(true)) return;
        spdlog::info("http: stopping: no new connections, finishing requests in progress");
        net::dispatch(acceptor_.get_executor(), [this] {
            boost::system::error_code ignored;
            acceptor_.close(ignored);
        });
        boost::system::error_code ec;
        signals.cancel(ec);
        std::vector<std::weak_ptr<Session>> sessions;
        {
            std::lock_guard lock(sessions_mu_);
            sessions = weak_sessions_;
        }
        for (auto& w : sessions) {
            if (auto s = w.lock()) s->CloseIfIdle();
        }
        deadline = std::chrono::steady_clock::now() +
                   std::chrono::seconds(options_.shutdown_grace_seconds);
        wait_drained();
    };
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (!ec) {
            spdlog::info("received signal {}", sig);
            shutdown();
        }
    });
    stop_ = [&] { net::post(ioc_, shutdown); };
    Accept();
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) {
        threads.emplace_back([this] {
            util::SetThreadName("rqw-http");
            ioc_.run();
        });
    }
    util::SetThreadName("rqw-http");
    ioc_.run();
    for (auto& t : threads) t.join();
    stop_ = nullptr;
}

void Server::Stop() {
    if (stop_) stop_();
}

}  // namespace rqwatch::http
