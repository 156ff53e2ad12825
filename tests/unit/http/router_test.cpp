#include "http/router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch::http {
namespace {

Handler Named(std::string name) {
    return [name](Request&) { return Response::Text(bhttp::status::ok, name); };
}

class RouterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        router_.Add(bhttp::verb::get, "/api/v1/health", Named("health"));
        router_.Add(bhttp::verb::get, "/api/v1/mails", Named("list"));
        router_.Add(bhttp::verb::get, "/api/v1/mails/{id}", Named("get"));
        router_.Add(bhttp::verb::delete_, "/api/v1/mails/{id}", Named("delete"));
        router_.Add(bhttp::verb::post, "/api/v1/mails/{id}/release", Named("release"));
        router_.Add(bhttp::verb::post, "/api/import", Named("import"));
        router_.Add(bhttp::verb::get, "/maps/{list}/{format}", Named("map"));
    }

    // The body of the handler that served the request, or "404"/"405".
    std::string Serve(bhttp::verb method, const std::string& path) {
        last_ = Request{};
        last_.method = method;
        last_.path = path;
        Handler h;
        switch (router_.Find(last_, h)) {
            case Router::Match::kFound:
                return h(last_).body;
            case Router::Match::kNotFound:
                return "404";
            case Router::Match::kMethodNotAllowed:
                return "405";
        }
        return "?";
    }

    Router router_;
    Request last_;
};

TEST_F(RouterTest, ExactPath) {
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/health"), "health");
    EXPECT_TRUE(last_.path_params.empty());
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/mails"), "list");
    EXPECT_EQ(Serve(bhttp::verb::post, "/api/import"), "import");
}

TEST_F(RouterTest, PathParameter) {
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/mails/42"), "get");
    EXPECT_EQ(last_.path_params.at("id"), "42");
    EXPECT_EQ(last_.path_params.size(), 1u);

    EXPECT_EQ(Serve(bhttp::verb::delete_, "/api/v1/mails/7"), "delete");
    EXPECT_EQ(last_.path_params.at("id"), "7");

    EXPECT_EQ(Serve(bhttp::verb::post, "/api/v1/mails/0123456789ab-0123456789abcdef/release"),
              "release");
    EXPECT_EQ(last_.path_params.at("id"), "0123456789ab-0123456789abcdef");

    EXPECT_EQ(Serve(bhttp::verb::get, "/maps/mail_from/txt"), "map");
    EXPECT_EQ(last_.path_params.at("list"), "mail_from");
    EXPECT_EQ(last_.path_params.at("format"), "txt");
}

TEST_F(RouterTest, EmptyParameterDoesNotMatch) {
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/mails/"), "404");
    EXPECT_EQ(Serve(bhttp::verb::post, "/api/v1/mails//release"), "404");
}

TEST_F(RouterTest, NotFound) {
    EXPECT_EQ(Serve(bhttp::verb::get, "/"), "404");
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/healthz"), "404");
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/health/"), "404");
    EXPECT_EQ(Serve(bhttp::verb::get, "/API/v1/health"), "404");
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/mails/42/release/x"), "404");
    EXPECT_EQ(Serve(bhttp::verb::post, "/nope"), "404");
}

TEST_F(RouterTest, MethodNotAllowed) {
    EXPECT_EQ(Serve(bhttp::verb::post, "/api/v1/health"), "405");
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/import"), "405");
    EXPECT_EQ(Serve(bhttp::verb::put, "/api/v1/mails/42"), "405");
    EXPECT_EQ(Serve(bhttp::verb::get, "/api/v1/mails/42/release"), "405");
}

TEST_F(RouterTest, HeadMatchesGet) {
    EXPECT_EQ(Serve(bhttp::verb::head, "/api/v1/health"), "health");
    EXPECT_EQ(Serve(bhttp::verb::head, "/maps/rcpt/txt"), "map");
    EXPECT_EQ(last_.path_params.at("list"), "rcpt");
    // HEAD is not accepted where only POST is.
    EXPECT_EQ(Serve(bhttp::verb::head, "/api/import"), "405");
}

TEST_F(RouterTest, HasPath) {
    EXPECT_TRUE(router_.HasPath("/api/v1/health"));
    EXPECT_TRUE(router_.HasPath("/api/v1/mails/99"));
    EXPECT_TRUE(router_.HasPath("/api/import"));
    EXPECT_FALSE(router_.HasPath("/api/v1/nothing"));
    EXPECT_FALSE(router_.HasPath("/api/v1/mails/"));
}

TEST(RouterEmptyTest, NothingMatches) {
    Router r;
    Request req;
    req.path = "/api/v1/health";
    Handler h;
    EXPECT_EQ(r.Find(req, h), Router::Match::kNotFound);
    EXPECT_FALSE(r.HasPath("/"));
}

TEST(RouterFirstMatchTest, LiteralRegisteredFirstWins) {
    Router r;
    r.Add(bhttp::verb::get, "/mails/count", Named("count"));
    r.Add(bhttp::verb::get, "/mails/{id}", Named("get"));
    Request req;
    req.path = "/mails/count";
    Handler h;
    ASSERT_EQ(r.Find(req, h), Router::Match::kFound);
    EXPECT_EQ(h(req).body, "count");
    EXPECT_TRUE(req.path_params.empty());
    req.path = "/mails/5";
    ASSERT_EQ(r.Find(req, h), Router::Match::kFound);
    EXPECT_EQ(h(req).body, "get");
    EXPECT_EQ(req.path_params.at("id"), "5");
}

}  // namespace
}  // namespace rqwatch::http
