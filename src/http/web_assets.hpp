#pragma once
// The web UI's files (the Vite build): embedded in the binary at build time
// (cmake/embed_web.cmake), or read from `web.assets_dir` while developing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rqwatch::http {

// One file of the embedded build: gzip (-9 -n) bytes, ETag = SHA-256 of the
// original bytes (lower-case hex).
struct EmbeddedAsset {
    std::string_view name;  // relative to the build folder: "index.html", "assets/index-Ab12.js"
    std::string_view sha256;
    std::string_view gzip;
};

// Defined by the generated web_embedded.cpp (an empty list with RQWATCH_WEB=OFF).
const std::vector<EmbeddedAsset>& EmbeddedWebAssets();

struct AssetBody {
    std::string bytes;
    bool gzipped = false;
    std::string sha256;
};

class WebAssets {
  public:
    // Serves the given embedded files (kept by reference: static data).
    static WebAssets Embedded(const std::vector<EmbeddedAsset>& files);
    // Reads each file from `dir` when asked (a rebuild shows without a restart).
    static WebAssets FromDirectory(std::string dir);

    // `name` as in EmbeddedAsset::name; nullopt when there is no such file or
    // the name could leave the folder ("..", "//", a backslash, a NUL).
    [[nodiscard]] std::optional<AssetBody> Find(std::string_view name) const;
    [[nodiscard]] bool Empty() const;

  private:
    const std::vector<EmbeddedAsset>* embedded_ = nullptr;
    std::string dir_;
};

// "text/javascript; charset=utf-8" etc. by the name's extension.
[[nodiscard]] std::string AssetContentType(std::string_view name);
// Vite names everything under assets/ by a hash of its content: cacheable forever.
[[nodiscard]] bool IsImmutableAsset(std::string_view name);
// gunzip for clients that do not accept gzip; nullopt when the data is not gzip.
[[nodiscard]] std::optional<std::string> Gunzip(std::string_view gz);

}  // namespace rqwatch::http
