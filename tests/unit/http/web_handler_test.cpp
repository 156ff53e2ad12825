#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "http/handlers/api_handlers.hpp"
#include "http/web_assets.hpp"

namespace rqwatch::http {
namespace {

std::string Gzip(const std::string& plain) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    zs.avail_in = static_cast<uInt>(plain.size());
    std::string out;
    std::array<char, 4096> buf{};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        rc = deflate(&zs, Z_FINISH);
        out.append(buf.data(), buf.size() - zs.avail_out);
    }
    deflateEnd(&zs);
    return out;
}

const std::string kIndex = "<!doctype html><title>rqwatch</title>";
const std::string kScript = "console.log('ui');";
const std::string kIndexGz = Gzip(kIndex);
const std::string kScriptGz = Gzip(kScript);
const std::vector<EmbeddedAsset> kFiles = {
    {"index.html", "aaaa", kIndexGz},
    {"assets/index-Ab12.js", "bbbb", kScriptGz},
};

std::string Header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return "";
}

class WebHandlerTest : public ::testing::Test {
  protected:
    WebHandlerTest() : assets_(WebAssets::Embedded(kFiles)) {
        router_.Add(bhttp::verb::get, "/healthz",
                    [](Request&) { return Response::Text(bhttp::status::ok, "healthy"); });
        AddWebRoutes(router_, assets_);
    }

    Response Get(const std::string& path, const std::map<std::string, std::string>& headers = {},
                 bhttp::verb method = bhttp::verb::get) {
        raw_ = {};
        raw_.method(method);
        raw_.target(path);
        for (const auto& [k, v] : headers) raw_.set(k, v);
        req_ = Request{};
        req_.method = method;
        req_.path = path;
        req_.raw = &raw_;
        Handler h;
        switch (router_.Find(req_, h)) {
            case Router::Match::kFound:
                return h(req_);
            case Router::Match::kNotFound:
                return Response::Text(bhttp::status::not_found, "router 404");
            case Router::Match::kMethodNotAllowed:
                return Response::Text(bhttp::status::method_not_allowed, "router 405");
        }
        return {};
    }

    WebAssets assets_;
    Router router_;
    bhttp::request<bhttp::string_body> raw_;
    Request req_;
};

TEST_F(WebHandlerTest, IndexGzippedWhenAccepted) {
    const auto r = Get("/", {{"Accept-Encoding", "br, gzip, deflate"}});
    EXPECT_EQ(r.status, bhttp::status::ok);
    EXPECT_EQ(r.body, kIndexGz);
    EXPECT_EQ(Header(r, "Content-Encoding"), "gzip");
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(Header(r, "ETag"), "\"aaaa\"");
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(Header(r, "Vary"), "Accept-Encoding");
    EXPECT_NE(Header(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_NE(Header(r, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
}

TEST_F(WebHandlerTest, InflatedForClientsWithoutGzip) {
    for (const std::string ae : {"", "identity", "gzip;q=0", "deflate, br"}) {
        const auto r = ae.empty() ? Get("/") : Get("/", {{"Accept-Encoding", ae}});
        EXPECT_EQ(r.status, bhttp::status::ok) << ae;
        EXPECT_EQ(r.body, kIndex) << ae;
        EXPECT_EQ(Header(r, "Content-Encoding"), "") << ae;
    }
    EXPECT_EQ(Get("/", {{"Accept-Encoding", "GZIP;q=0.5"}}).body, kIndexGz);
}

TEST_F(WebHandlerTest, EveryPagePathServesIndex) {
    for (const std::string p : {"/mails", "/today", "/mail", "/day", "/profile", "/a-b-9"}) {
        const auto r = Get(p);
        EXPECT_EQ(r.status, bhttp::status::ok) << p;
        EXPECT_EQ(r.body, kIndex) << p;
    }
}

TEST_F(WebHandlerTest, OtherSingleSegmentsAre404) {
    for (const std::string& p : std::vector<std::string>
         {"/api", "/assets", "/maps", "/favicon.ico", "/Mails", "/9lives", "/a_b", "/x%3Cy",
          fmt::format("/{}", std::string(33, 'a')), "/index.html", "/.env"}) {
        const auto r = Get(p);
        EXPECT_EQ(r.status, bhttp::status::not_found) << p;
        EXPECT_EQ(r.content_type, "application/json") << p;
    }
}

TEST_F(WebHandlerTest, LiteralRoutesWinOverPages) {
    EXPECT_EQ(Get("/healthz").body, "healthy");
}

TEST_F(WebHandlerTest, HashedAssetsAreImmutable) {
    const auto r = Get("/assets/index-Ab12.js", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(r.status, bhttp::status::ok);
    EXPECT_EQ(r.body, kScriptGz);
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(Header(r, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(Header(r, "Content-Security-Policy"), "");  // the session's default stays
}

TEST_F(WebHandlerTest, MissingOrHostileAssetNamesAre404) {
    for (const std::string& p : std::vector<std::string>{"/assets/nope.js", "/assets/..", "/assets/.", "/assets/a\\b",
                                fmt::format("/assets/{}", std::string(300, 'a'))}) {
        const auto r = Get(p);
        EXPECT_EQ(r.status, bhttp::status::not_found) << p;
    }
    EXPECT_EQ(Get("/assets/x/y.js").status, bhttp::status::not_found);  // two segments: router
}

TEST_F(WebHandlerTest, NotModifiedOnMatchingEtag) {
    for (const std::string inm : {"\"aaaa\"", "W/\"aaaa\"", "\"zzz\", \"aaaa\"", "*"}) {
        const auto r = Get("/", {{"If-None-Match", inm}});
        EXPECT_EQ(r.status, bhttp::status::not_modified) << inm;
        EXPECT_TRUE(r.body.empty()) << inm;
        EXPECT_EQ(Header(r, "ETag"), "\"aaaa\"");
    }
    EXPECT_EQ(Get("/", {{"If-None-Match", "\"bbbb\""}}).status, bhttp::status::ok);
    EXPECT_EQ(Get("/", {{"If-None-Match", "aaaa"}}).status, bhttp::status::ok);
}

TEST_F(WebHandlerTest, MalformedConditionalAndEncodingHeaders) {
    const std::string junk(16 * 1024, ',');
    for (const std::string& inm : {junk, std::string("W/"), std::string("\"aaaa"), std::string(" , ")}) {
        EXPECT_EQ(Get("/", {{"If-None-Match", inm}}).status, bhttp::status::ok) << inm.size();
    }
    for (const std::string& ae : {junk, std::string(";"), std::string("gzipx"), std::string(";q=1")}) {
        const auto r = Get("/", {{"Accept-Encoding", ae}});
        EXPECT_EQ(r.status, bhttp::status::ok);
        EXPECT_EQ(r.body, kIndex) << ae.size();
    }
    EXPECT_EQ(Get("/", {{"Accept-Encoding", "*"}}).body, kIndexGz);
}

TEST_F(WebHandlerTest, HeadIsServedLikeGet) {
    const auto r = Get("/mails", {}, bhttp::verb::head);
    EXPECT_EQ(r.status, bhttp::status::ok);  // the session drops the body of a HEAD answer
    EXPECT_EQ(Get("/mails", {}, bhttp::verb::post).status, bhttp::status::method_not_allowed);
}

TEST(WebAssetsTest, WithoutAnyUiTheIndexIs404) {
    static const std::vector<EmbeddedAsset> none;
    const auto assets = WebAssets::Embedded(none);
    EXPECT_TRUE(assets.Empty());
    Router router;
    AddWebRoutes(router, assets);
    Request req;
    req.path = "/";
    Handler h;
    ASSERT_EQ(router.Find(req, h), Router::Match::kFound);
    EXPECT_EQ(h(req).status, bhttp::status::not_found);
}

TEST(WebAssetsTest, DirectoryModeReadsFilesAndHashesThem) {
    const auto dir = std::filesystem::temp_directory_path() /
                     fmt::format("rqwatch-web-{}", ::getpid());
    std::filesystem::create_directories(dir / "assets");
    std::ofstream(dir / "index.html", std::ios::binary) << "abc";
    std::ofstream(dir / "assets" / "a.css", std::ios::binary) << "body{}";
    std::ofstream(dir.parent_path() / "rqwatch-web-secret.txt") << "secret";
    const auto assets = WebAssets::FromDirectory(dir.string());
    auto index = assets.Find("index.html");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->bytes, "abc");
    EXPECT_FALSE(index->gzipped);
    // sha256("abc")
    EXPECT_EQ(index->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(assets.Find("assets/a.css"));
    EXPECT_FALSE(assets.Find("../rqwatch-web-secret.txt"));
    EXPECT_FALSE(assets.Find("assets/../../rqwatch-web-secret.txt"));
    EXPECT_FALSE(assets.Find("/etc/passwd"));
    EXPECT_FALSE(assets.Find("assets"));  // a folder
    EXPECT_FALSE(assets.Find(std::string("index.html\0x", 12)));
    std::filesystem::remove_all(dir);
    std::filesystem::remove(dir.parent_path() / "rqwatch-web-secret.txt");
}

TEST(WebAssetsTest, GunzipRefusesGarbage) {
    EXPECT_FALSE(Gunzip("not gzip"));
    EXPECT_FALSE(Gunzip(kIndexGz.substr(0, kIndexGz.size() / 2)));
    EXPECT_EQ(Gunzip(kIndexGz), kIndex);
}

TEST(WebAssetsTest, ContentTypes) {
    EXPECT_EQ(AssetContentType("a.css"), "text/css; charset=utf-8");
    EXPECT_EQ(AssetContentType("a.svg"), "image/svg+xml");
    EXPECT_EQ(AssetContentType("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace rqwatch::http
