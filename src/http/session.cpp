#include "http/session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>

#include "http/error_mapping.hpp"
#include "http/response_head.hpp"
#include "http/server.hpp"
#include "util/ids.hpp"

namespace rqwatch::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using beast::error_code;

namespace {

constexpr auto kLingerTime = std::chrono::seconds(2);

bool IsQuietDisconnect(const error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
           ec == net::error::connection_reset || ec == net::error::operation_aborted ||
           ec == beast::error::timeout || ec == net::error::broken_pipe;
}

// A client-supplied X-Request-Id is kept only when it is short and harmless in a log line.
std::string RequestIdFrom(std::string_view given) {
    if (given.empty() || given.size() > 64) return util::NewRequestId();
    for (char c : given) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            return util::NewRequestId();
    }
    return std::string(given);
}

// Splits the request target into a decoded path and query parameters.
bool ParseTarget(std::string_view target, Request& req) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return false;
    req.path = url->path();
    if (req.path.empty()) req.path = "/";
    for (auto param : url->params()) {
        req.query[param.key] = param.value;
        req.query_list.emplace_back(param.key, param.value);
    }
    return true;
}

}  // namespace

Session::Session(ConnectionSocket socket, Server& server)
    : stream_(std::move(socket)), server_(server) {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        auto addr = ep.address();
        client_ip_ = (addr.is_v6() && addr.to_v6().is_v4_mapped())
                         ? net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6()).to_string()
                         : addr.to_string();
    }
    // An empty flat_buffer reads 512 bytes at a time; ingest bodies are ~50 KB.
    buffer_.reserve(64 * 1024);
}

Session::~Session() { server_.Unregister(this); }

void Session::Start() {
    server_.Register(shared_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Session::CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (self->idle_) {
            error_code ec;
            self->stream_.socket().close(ec);
        }
    });
}

void Session::ReadHeader() {
    idle_ = true;
    const auto& o = server_.Options();
    header_parser_.emplace();
    header_parser_->header_limit(o.max_header_bytes);
    // The body limit is checked after the header (ingest: 413 before any body
    // byte is read); a limit here would turn a large Content-Length into a parse error.
    header_parser_->body_limit(boost::none);
    stream_.expires_after(
        std::chrono::seconds(first_request_ ? o.read_timeout_seconds : o.idle_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *header_parser_,
                             [self = shared_from_this()](error_code ec, std::size_t n) {
                                 self->bytes_in_ = n;
                                 self->OnHeader(ec);
                             });
}

void Session::OnHeader(error_code ec) {
    idle_ = false;
    first_request_ = false;
    started_ = std::chrono::steady_clock::now();
    request_ = Request{};
    request_.client_ip = client_ip_;
    if (ec && IsQuietDisconnect(ec)) return Close();
    if (ec == bhttp::error::body_limit) {
        request_.request_id = util::NewRequestId();
        Response r = Response::Text(bhttp::status::payload_too_large, "request body too large\n");
        r.close = true;
        return Send(std::move(r));
    }
    if (ec == bhttp::error::header_limit) {
        request_.request_id = util::NewRequestId();
        Response r = Response::Text(bhttp::status::request_header_fields_too_large,
                                    "request header larger than server.max_header_bytes\n");
        r.close = true;
        return Send(std::move(r));
    }
    if (ec) {
        request_.request_id = util::NewRequestId();
        Response r = Response::Text(bhttp::status::bad_request, "malformed HTTP request\n");
        r.close = true;
        return Send(std::move(r));
    }
    const auto& h = header_parser_->get();
    keep_alive_ = h.keep_alive();
    request_.method = h.method();
    request_.request_id = RequestIdFrom(h["X-Request-Id"]);
    if (!ParseTarget(h.target(), request_)) {
        request_.path = std::string(h.target().substr(0, 200));
        Response r = Response::Text(bhttp::status::bad_request, "malformed request target\n");
        r.close = true;
        return Send(std::move(r));
    }
    if (IngestHandler::IsIngestPath(request_.path)) {
        if (request_.method != bhttp::verb::post) {
            Response r = Response::Text(bhttp::status::method_not_allowed, "use POST\n");
            r.headers.emplace_back("Allow", "POST");
            r.close = true;
            return Send(std::move(r));
        }
        return StartIngest();
    }
    ReadBufferedBody(false);
}

void Session::SendContinueThen(std::function<void()> next) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    stream_.expires_after(std::chrono::seconds(server_.Options().write_timeout_seconds));
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, next = std::move(next)](error_code ec, std::size_t) {
            if (ec) {
                self->ingest_plan_.reset();
                return self->Close();
            }
            next();
        });
}

void Session::StartIngest() {
    const auto& h = header_parser_->get();
    ingest_plan_ = server_.Ingest().Begin(h, request_.query, client_ip_);
    if (ingest_plan_->reject) {
        Response r = std::move(*ingest_plan_->reject);
        ingest_plan_.reset();
        return Send(std::move(r));
    }
    auto next = [self = shared_from_this()] { self->ReadBufferedBody(true); };
    if (beast::iequals(h[bhttp::field::expect], "100-continue"))
        return SendContinueThen(std::move(next));
    next();
}

void Session::ReadBufferedBody(bool ingest) {
    const auto& o = server_.Options();
    const std::uint64_t limit = ingest ? o.max_body_bytes : o.max_api_body_bytes;
    // Beast compares Content-Length with the body limit only while parsing
    // the header, which ran without one: a declared length over the limit
    // is answered here, before any body byte is read. (Chunked bodies are
    // checked chunk by chunk against the limit set below.)
    if (const auto length = header_parser_->content_length(); length && *length > limit) {
        ingest_plan_.reset();
        Error too_large{ErrorCode::kTooLarge, "request body too large", {}};
        Response r = ingest ? TextError(too_large) : JsonError(too_large, request_.request_id);
        r.close = true;
        return Send(std::move(r));
    }
    string_parser_.emplace(std::move(*header_parser_));
    header_parser_.reset();
    string_parser_->body_limit(limit);
    stream_.expires_after(std::chrono::seconds(o.read_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *string_parser_,
                      [self = shared_from_this(), ingest](error_code ec, std::size_t n) {
                          self->bytes_in_ += n;
                          self->OnBufferedBody(ec, ingest);
                      });
}

void Session::OnBufferedBody(error_code ec, bool ingest) {
    if (ec) {
        ingest_plan_.reset();
        if (ec == bhttp::error::body_limit) {
            Response r =
                Response::Text(bhttp::status::payload_too_large, "request body too large\n");
            r.close = true;
            return Send(std::move(r));
        }
        return Close();
    }
    if (!ingest) return Dispatch();
    auto plan = std::move(*ingest_plan_);
    ingest_plan_.reset();
    auto executor = stream_.get_executor();
    server_.Ingest().Finish(
        std::move(plan), std::move(string_parser_->get().body()),
        [self = shared_from_this(), executor](Response r) {
            net::post(executor, [self, r = std::move(r)]() mutable { self->Send(std::move(r)); });
        });
}

void Session::Dispatch() {
    request_.raw = &string_parser_->get();
    // Routing is a few string compares: done here, so that a route's
    // FastHandler can answer without the hop to a worker and back.
    Handler handler;
    FastHandler fast;
    const Router::Match match = server_.GetRouter().Find(request_, handler, &fast);
    if (match == Router::Match::kFound && fast) {
        std::optional<Response> r;
        Guarded([&] { r = fast(request_); }, r);
        if (r) {
            DropChallengeForBrowsers(*r);
            return Send(std::move(*r));
        }
    }
    net::post(server_.Workers(), [self = shared_from_this(), match, handler = std::move(handler)] {
        std::optional<Response> r;
        self->Guarded(
            [&] {
                switch (match) {
                    case Router::Match::kFound:
                        r = handler(self->request_);
                        break;
                    case Router::Match::kNotFound:
                        r = JsonError(Error{ErrorCode::kNotFound, "no such endpoint", {}},
                                      self->request_.request_id);
                        break;
                    case Router::Match::kMethodNotAllowed:
                        r = Response::Json(
                            bhttp::status::method_not_allowed,
                            R"({"error":"method_not_allowed","message":"method not allowed"})");
                        break;
                }
            },
            r);
        self->DropChallengeForBrowsers(*r);
        net::post(self->stream_.get_executor(),
                  [self, r = std::move(*r)]() mutable { self->Send(std::move(r)); });
    });
}

void Session::Guarded(const std::function<void()>& run, std::optional<Response>& out) const {
    try {
        run();
    } catch (const std::exception& e) {
        // The one top-level catch for handlers: log the detail, answer generically.
        spdlog::error("http: request_id={} unhandled error: {}", request_.request_id, e.what());
        out = JsonError(Error{ErrorCode::kInternal, "internal error", {}}, request_.request_id);
    }
}

void Session::DropChallengeForBrowsers(Response& r) const {
    // Browsers answer a Basic challenge with a password dialog, even to
    // fetch(): requests of the UI (a cookie, or X-Requested-With) get the
    // 401 without it. Scripts and curl keep it.
    if (r.status != bhttp::status::unauthorized || request_.raw == nullptr) return;
    const auto& raw = *request_.raw;
    if (raw[bhttp::field::cookie].empty() && raw["X-Requested-With"].empty()) return;
    std::erase_if(r.headers,
                  [](const auto& h) { return beast::iequals(h.first, "WWW-Authenticate"); });
}

void Session::Send(Response r) {
    const bool close = r.close || !keep_alive_ || server_.Draining();
    // Unread request bytes exist only when we answered before reading the body.
    linger_on_close_ = r.close;
    const std::size_t body_size = r.body.size();
    out_head_ = ResponseHead(r, HeadFraming{body_size, close, request_.request_id});
    out_body_.clear();
    if (request_.method != bhttp::verb::head && !StatusHasNoBody(r.status)) {
        out_body_ = std::move(r.body);  // HEAD: Content-Length stays that of GET
    }
    LogAccess(static_cast<unsigned>(r.status), body_size);
    stream_.expires_after(std::chrono::seconds(server_.Options().write_timeout_seconds));
    const std::array<net::const_buffer, 2> buffers{net::buffer(out_head_), net::buffer(out_body_)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), close](error_code ec, std::size_t) {
                         self->OnWritten(ec, close);
                     });
}

void Session::OnWritten(error_code ec, bool close) {
    out_body_ = std::string();  // a mail download's body is not kept for the next request
    string_parser_.reset();
    if (ec) return Close();
    if (!close) return ReadHeader();
    if (!linger_on_close_) return Close();
    // Lingering close: stop sending, then read and drop what the client is
    // still sending for a moment, so that closing with unread data does not
    // turn into a TCP reset that destroys the response we just sent.
    error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    linger_buffer_ = std::make_unique<std::array<char, 16384>>();
    Linger();
}

void Session::Linger() {
    stream_.async_read_some(net::buffer(*linger_buffer_),
                            [self = shared_from_this()](error_code ec, std::size_t) {
                                if (ec) return self->Close();
                                self->Linger();
                            });
}

void Session::Close() {
    error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.close();
}

void Session::LogAccess(unsigned status, std::size_t bytes_out) {
    if (!server_.Options().access_log) return;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    spdlog::info(
        "access request_id={} client={} method={} path={} status={} in={} out={} ms={:.2f}",
        request_.request_id, client_ip_, std::string(bhttp::to_string(request_.method)),
        request_.path, status, bytes_in_, bytes_out, ms);
}

}  // namespace rqwatch::http
