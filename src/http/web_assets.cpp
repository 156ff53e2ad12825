#include "http/web_assets.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace rqwatch::http {
namespace {

bool SafeName(std::string_view name) {
    if (name.empty() || name.size() > 256 || name.front() == '/') return false;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u >= 0x7f || c == '\\') return false;
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('/', start);
        if (end == std::string_view::npos) end = name.size();
        const auto seg = name.substr(start, end - start);
        if (seg.empty() || seg == "." || seg == "..") return false;
        start = end + 1;
    }
    return true;
}

std::string Sha256Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

}  // namespace

WebAssets WebAssets::Embedded(const std::vector<EmbeddedAsset>& files) {
    WebAssets w;
    w.embedded_ = &files;
    return w;
}

WebAssets WebAssets::FromDirectory(std::string dir) {
    WebAssets w;
    w.dir_ = std::move(dir);
    return w;
}

bool WebAssets::Empty() const { return dir_.empty() && (!embedded_ || embedded_->empty()); }

std::optional<AssetBody> WebAssets::Find(std::string_view name) const {
    if (!SafeName(name)) return std::nullopt;
    if (!dir_.empty()) {
        const std::filesystem::path path = std::filesystem::path(dir_) / std::string(name);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        AssetBody body;
        body.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        body.sha256 = Sha256Hex(body.bytes);
        return body;
    }
    if (embedded_ == nullptr) return std::nullopt;
    for (const auto& a : *embedded_) {
        if (a.name == name) return AssetBody{std::string(a.gzip), true, std::string(a.sha256)};
    }
    return std::nullopt;
}

std::string AssetContentType(std::string_view name) {
    const auto dot = name.rfind('.');
    const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    if (ext == "txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

bool IsImmutableAsset(std::string_view name) { return name.starts_with("assets/"); }

std::optional<std::string> Gunzip(std::string_view gz) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    zs.avail_in = static_cast<uInt>(gz.size());
    std::string out;
    std::array<char, 65536> buf{};
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;
        out.append(buf.data(), buf.size() - zs.avail_out);
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

}  // namespace rqwatch::http
