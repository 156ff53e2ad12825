#pragma once
// One HTTP connection. A request goes through: read header -> decide (ingest
// plan or route) -> read body (bounded by the body limits) -> handle (ingest: spool commit; API: on
// the worker pool) -> write response -> next request or close.

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "http/handlers/ingest_handler.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

class Server;

// A connection runs on a strand of the I/O context, named by its type rather
// than type-erased (Beast's tcp_stream uses any_io_executor): copying,
// moving and querying the erased executor was ~4 % of a map poll's CPU.
using ConnectionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using ConnectionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, ConnectionExecutor>;

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(ConnectionSocket socket, Server& server);
    ~Session();
    void Start();
    // Called on shutdown: closes the connection if it is waiting for a request.
    void CloseIfIdle();

  private:
    void ReadHeader();
    void OnHeader(boost::beast::error_code ec);
    void StartIngest();
    void ReadBufferedBody(bool ingest);
    void OnBufferedBody(boost::beast::error_code ec, bool ingest);
    void Dispatch();
    // Runs a handler; an exception becomes a logged 500 in `out`.
    void Guarded(const std::function<void()>& run, std::optional<Response>& out) const;
    void SendContinueThen(std::function<void()> next);
    void Send(Response response);
    void DropChallengeForBrowsers(Response& r) const;
    void OnWritten(boost::beast::error_code ec, bool close);
    void Linger();
    void Close();
    void LogAccess(unsigned status, std::size_t bytes_out);

    boost::beast::basic_stream<boost::asio::ip::tcp, ConnectionExecutor> stream_;
    Server& server_;
    boost::beast::flat_buffer buffer_;
    std::string client_ip_;
    std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
    std::optional<bhttp::request_parser<bhttp::string_body>> string_parser_;
    std::string out_head_;  // of the response being written
    std::string out_body_;
    std::unique_ptr<std::array<char, 16384>> linger_buffer_;
    Request request_;
    std::optional<IngestPlan> ingest_plan_;
    bool keep_alive_ = false;
    bool linger_on_close_ = false;  // the response went out before the request was fully read
    bool idle_ = true;
    bool first_request_ = true;
    std::size_t bytes_in_ = 0;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace rqwatch::http
