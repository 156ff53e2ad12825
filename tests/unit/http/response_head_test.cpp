#include "http/response_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch::http {
namespace {

using namespace std::string_literals;

std::size_t Count(const std::string& s, std::string_view what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

TEST(ResponseHead, WritesStatusDefaultsLengthAndEndsWithABlankLine) {
    const auto head = ResponseHead(Response::Json(bhttp::status::ok, R"({"a":1})"),
                                   HeadFraming{7, false, "req-1"});
    EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\nServer: rqwatch\r\nX-Request-Id: req-1\r\n"))
        << head;
    EXPECT_NE(head.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(head.find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos);
    EXPECT_NE(head.find("\r\nContent-Security-Policy: default-src 'none'; frame-ancestors "
                        "'none'\r\n"),
              std::string::npos);
    EXPECT_NE(head.find("\r\nContent-Length: 7\r\n"), std::string::npos);
    EXPECT_EQ(head.find("Connection"), std::string::npos);  // HTTP/1.1 keeps alive by default
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
    EXPECT_EQ(Count(head, "\r\n\r\n"), 1U);
}

TEST(ResponseHead, ANotModifiedCarriesOnlyTheHandlersValidators) {
    Response r;
    r.status = bhttp::status::not_modified;
    r.headers = {{"ETag", "\"abc\""}, {"Cache-Control", "no-cache"}};
    const auto head = ResponseHead(r, HeadFraming{0, false, "x"});
    EXPECT_EQ(head,
              "HTTP/1.1 304 Not Modified\r\nServer: rqwatch\r\nX-Request-Id: x\r\n"
              "ETag: \"abc\"\r\nCache-Control: no-cache\r\n\r\n");
}

TEST(ResponseHead, AHeadAnswerAnnouncesTheGetLengthAndCloseIsSaid) {
    const auto head =
        ResponseHead(Response::Text(bhttp::status::ok, ""), HeadFraming{1423123, true, "x"});
    EXPECT_NE(head.find("\r\nContent-Length: 1423123\r\n"), std::string::npos);
    EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos);
    const auto no_content =
        ResponseHead(Response::Text(bhttp::status::no_content, ""), HeadFraming{0, false, "x"});
    EXPECT_EQ(no_content.find("Content-Length"), std::string::npos);
}

TEST(ResponseHead, HandlerHeadersReplaceDefaultsAndEachOtherButCookiesRepeat) {
    Response r = Response::Text(bhttp::status::ok, "x");
    r.headers = {{"content-security-policy", "default-src 'self'"},
                 {"Content-Type", "text/html"},
                 {"Set-Cookie", "a=1"},
                 {"Set-Cookie", "b=2"},
                 {"Vary", "Cookie"},
                 {"vary", "Accept-Encoding"}};
    const auto head = ResponseHead(r, HeadFraming{1, false, "x"});
    EXPECT_NE(head.find("content-security-policy: default-src 'self'\r\n"), std::string::npos);
    EXPECT_EQ(Count(head, "default-src 'none'"), 0U);
    EXPECT_EQ(Count(head, "\r\nContent-Type:"), 1U);
    EXPECT_NE(head.find("Content-Type: text/html\r\n"), std::string::npos);
    EXPECT_EQ(head.find("text/plain"), std::string::npos);
    EXPECT_NE(head.find("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"), std::string::npos);
    EXPECT_EQ(head.find("Vary: Cookie"), std::string::npos);
    EXPECT_NE(head.find("vary: Accept-Encoding\r\n"), std::string::npos);
}

TEST(ResponseHead, FramingIsOursAndHostileValuesCannotSplitTheHead) {
    Response r = Response::Text(bhttp::status::ok, "abc");
    r.headers = {
        {"Content-Length", "999"},
        {"Transfer-Encoding", "chunked"},
        {"connection", "keep-alive"},
        {"Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: evil=1\r\n\r\nx\0y\""s},
        {"Bad Name", "v"},
        {"", "v"},
        {"X-Ok\r\nInjected", "v"}};
    const auto head = ResponseHead(r, HeadFraming{3, false, "x"});
    EXPECT_EQ(Count(head, "Content-Length"), 1U);
    EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos);
    EXPECT_EQ(head.find("chunked"), std::string::npos);
    EXPECT_EQ(head.find("onnection"), std::string::npos);
    EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos);
    EXPECT_EQ(head.find("Bad Name"), std::string::npos);
    EXPECT_EQ(head.find("Injected"), std::string::npos);
    EXPECT_EQ(head.find('\0'), std::string::npos);
    EXPECT_EQ(Count(head, "\r\n\r\n"), 1U);
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
}

TEST(ResponseHead, AnUnknownStatusStillHasAStatusLine) {
    Response r = Response::Text(static_cast<bhttp::status>(599), "");
    const auto head = ResponseHead(r, HeadFraming{0, true, "x"});
    EXPECT_TRUE(head.starts_with("HTTP/1.1 599 ")) << head;
    EXPECT_GT(head.find("\r\n"), 13U);
    EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos);
}

}  // namespace
}  // namespace rqwatch::http
