#pragma once
// Boost.Beast HTTP/1.1 server: keep-alive, per-phase timeouts, header and body
// limits, streaming ingest, a worker pool so I/O threads never block on SQL
// or password hashing, and a graceful stop on SIGTERM/SIGINT.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "http/handlers/ingest_handler.hpp"
#include "http/router.hpp"

namespace rqwatch::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8480;
    int io_threads = 2;
    int worker_threads = 2;
    int read_timeout_seconds = 30;
    int write_timeout_seconds = 30;
    int idle_timeout_seconds = 60;
    std::uint32_t max_header_bytes = 256 * 1024;
    std::uint64_t max_body_bytes = 50ull << 20;
    std::uint64_t max_api_body_bytes = 1 << 20;
    std::size_t max_connections = 1024;
    bool access_log = true;
    int shutdown_grace_seconds = 10;
};

class Session;

class Server {
  public:
    Server(ServerOptions options, Router& router, IngestHandler& ingest);
    ~Server();

    // Binds and listens; kUnavailable when the address is in use.
    [[nodiscard]] Result<void> Listen();
    [[nodiscard]] std::uint16_t Port() const { return port_; }
    // Serves until SIGTERM/SIGINT or Stop(); returns after in-flight requests finished.
    void Run();
    void Stop();

    // Internal, for sessions.
    const ServerOptions& Options() const { return options_; }
    Router& GetRouter() { return router_; }
    IngestHandler& Ingest() { return ingest_; }
    boost::asio::thread_pool& Workers() { return workers_; }
    void Register(const std::shared_ptr<Session>& s);
    void Unregister(Session* s);
    bool Draining() const { return draining_.load(); }

  private:
    void Accept();

    ServerOptions options_;
    Router& router_;
    IngestHandler& ingest_;
    boost::asio::io_context ioc_;
    // On a strand of its own: closing it at shutdown (from the signal's
    // handler, on any I/O thread) while an accept is in flight on another was
    // a data race that could hand a closed socket to a new Session.
    boost::asio::basic_socket_acceptor<boost::asio::ip::tcp,
                                       boost::asio::strand<boost::asio::io_context::executor_type>>
        acceptor_;
    boost::asio::thread_pool workers_;
    std::uint16_t port_ = 0;
    std::atomic<bool> draining_{false};
    std::mutex sessions_mu_;
    std::set<Session*> sessions_;
    std::vector<std::weak_ptr<Session>> weak_sessions_;
    std::function<void()> stop_;  // set while Run() is running
};

}  // namespace rqwatch::http
