#include "config/load_config.hpp"

#include <toml++/toml.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config/config_keys.hpp"
#include "core/database_url.hpp"
#include "core/redis_url.hpp"
#include "core/time_zone.hpp"

namespace rqwatch::config {
namespace {

namespace fs = std::filesystem;

// Flattens the TOML tree into dotted paths of leaves.
void Flatten(const toml::table& t, const std::string& prefix,
             std::vector<std::pair<std::string, const toml::node*>>& out) {
    for (auto&& [key, node] : t) {
        std::string path =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = node.as_table()) {
            Flatten(*sub, path, out);
        } else {
            out.emplace_back(path, &node);
        }
    }
}

std::optional<toml::table> ParseFile(const std::string& path, std::vector<std::string>& errors) {
    try {
        return toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
            << e.description();
        errors.push_back(msg.str());
    }
    return std::nullopt;
}

std::string ReadSecretFile(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read " + path;
        return {};
    }
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

class Loader {
  public:
    Loader(LoadOutcome& out, const EnvLookup& env, std::string base_dir)
        : out_(out), env_(env), base_dir_(std::move(base_dir)) {}

    void Apply(const toml::table& root, const std::string& origin) {
        std::vector<std::pair<std::string, const toml::node*>> leaves;
        Flatten(root, "", leaves);
        std::map<std::string, const KeyDef*> by_path;
        for (const auto& k : ConfigKeys()) by_path[k.path] = &k;
        for (const auto& [path, node] : leaves) {
            if (auto it = by_path.find(path); it != by_path.end()) {
                Set(*it->second, *node, origin);
            } else if (!ApplySecretIndirection(path, *node, by_path, origin)) {
                Error(origin, path, "unknown key");
            }
        }
    }

  private:
    void Error(const std::string& origin, const std::string& path, const std::string& msg) {
        out_.errors.push_back(origin + ": " + path + ": " + msg);
    }

    bool ApplySecretIndirection(const std::string& path, const toml::node& node,
                                const std::map<std::string, const KeyDef*>& by_path,
                                const std::string& origin) {
        for (const char* suffix : {"_env", "_file"}) {
            const std::string sfx(suffix);
            if (path.size() <= sfx.size() ||
                path.compare(path.size() - sfx.size(), sfx.size(), sfx) != 0) {
                continue;
            }
            auto it = by_path.find(path.substr(0, path.size() - sfx.size()));
            if (it == by_path.end() || !it->second->secret) return false;
            const auto* name = node.as_string();
            if (!name || name->get().empty()) {
                Error(origin, path, "must be a non-empty string");
                return true;
            }
            std::string& target = std::get<StringRef>(it->second->ref)(out_.config);
            if (sfx == "_env") {
                auto value = env_(name->get());
                if (!value) {
                    Error(origin, path, "environment variable " + name->get() + " is not set");
                } else {
                    target = *value;
                }
            } else {
                std::string err;
                const std::string& file = name->get();
                target = ReadSecretFile(
                    file.front() == '/' ? file
                                        : (fs::path(base_dir_) / file).lexically_normal().string(),
                    err);
                if (!err.empty()) Error(origin, path, err);
            }
            return true;
        }
        return false;
    }

    void Set(const KeyDef& key, const toml::node& node, const std::string& origin) {
        Config& c = out_.config;
        if (auto* r = std::get_if<StringRef>(&key.ref)) {
            const auto* v = node.as_string();
            if (!v) return Error(origin, key.path, "must be a string");
            if (!CheckChoice(key, v->get(), origin)) return;
            (*r)(c) = v->get();
        } else if (auto* r = std::get_if<IntRef>(&key.ref)) {
            const auto* v = node.as_integer();
            if (!v) return Error(origin, key.path, "must be an integer");
            if (v->get() < key.min || v->get() > key.max) {
                return Error(origin, key.path,
                             "must be between " + std::to_string(key.min) + " and " +
                                 std::to_string(key.max) + " (got " + std::to_string(v->get()) +
                                 ")");
            }
            (*r)(c) = v->get();
        } else if (auto* r = std::get_if<BoolRef>(&key.ref)) {
            const auto* v = node.as_boolean();
            if (!v) return Error(origin, key.path, "must be true or false");
            (*r)(c) = v->get();
        } else if (auto* r = std::get_if<ListRef>(&key.ref)) {
            const auto* arr = node.as_array();
            if (!arr) return Error(origin, key.path, "must be an array of strings");
            std::vector<std::string> values;
            for (const auto& item : *arr) {
                const auto* s = item.as_string();
                if (!s) return Error(origin, key.path, "must be an array of strings");
                if (!CheckChoice(key, s->get(), origin)) return;
                values.push_back(s->get());
            }
            (*r)(c) = std::move(values);
        }
    }

    bool CheckChoice(const KeyDef& key, const std::string& v, const std::string& origin) {
        if (key.choices.empty()) return true;
        for (const auto& ch : key.choices) {
            if (ch == v) return true;
        }
        std::string allowed;
        for (const auto& ch : key.choices)
            allowed += (allowed.empty() ? "" : ", ") + ("\"" + ch + "\"");
        Error(origin, key.path, "\"" + v + "\" is not one of " + allowed);
        return false;
    }

    LoadOutcome& out_;
    const EnvLookup& env_;
    std::string base_dir_;  // relative secret files are resolved against it
};

std::string Resolve(const std::string& base, const std::string& p) {
    if (p.empty() || p.front() == '/') return p;
    return (fs::path(base) / p).lexically_normal().string();
}

bool ParseListen(const std::string& listen, std::string& host, std::uint16_t& port) {
    std::string port_text;
    if (!listen.empty() && listen.front() == '[') {
        const auto close = listen.find(']');
        if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
            return false;
        }
        host = listen.substr(1, close - 1);
        port_text = listen.substr(close + 2);
    } else {
        const auto colon = listen.rfind(':');
        if (colon == std::string::npos || listen.find(':') != colon) return false;
        host = listen.substr(0, colon);
        port_text = listen.substr(colon + 1);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port_text.empty() ||
        value > 65535) {
        return false;
    }
    port = static_cast<std::uint16_t>(value);
    return !host.empty() && ParseIp(host).has_value();
}

// The [redis] keys: their form always (check-config catches a typo before
// session.store is switched), what session.store = "redis" needs only then.
// Messages never hold the URL, which may carry the password.
void ValidateRedis(const Config& c,
                   const std::function<void(const std::string&, const std::string&)>& error) {
    const RedisConfig& r = c.redis;
    std::optional<RedisUrl> url;
    if (!r.url.empty()) {
        if (auto parsed = ParseRedisUrl(r.url)) {
            url = *parsed;
        } else {
            error("redis.url", parsed.error().public_msg);
        }
    }
    for (const auto& s : r.sentinels) {
        if (auto at = ParseHostPort(s); !at) error("redis.sentinels", at.error().public_msg);
    }
    if (r.key_prefix.empty()) {
        error("redis.key_prefix", "must not be empty (rqwatch's keys must be told apart)");
    }
    if (url && !url->password.empty() && !r.password.empty()) {
        error("redis.password", "the password is in redis.url already; set it in one place");
    }
    if (url && url->db && r.db != 0) {
        error("redis.db", "the database is in redis.url already (/DB); set it in one place");
    }
    if (!r.url.empty() && !r.sentinels.empty()) {
        error("redis.url",
              "set either redis.url (one server) or redis.sentinels (Sentinel), not both");
    }
    if (!r.sentinels.empty() && r.master_name.empty()) {
        error("redis.master_name", "needed with redis.sentinels: the name the Sentinels monitor");
    }
    if (r.sentinels.empty() && !r.master_name.empty()) {
        error("redis.master_name", "only used with redis.sentinels, which is empty");
    }
    if (r.sentinels.empty() && !r.sentinel_password.empty()) {
        error("redis.sentinel_password", "only used with redis.sentinels, which is empty");
    }
    if (c.session.store == "redis" && r.url.empty() && r.sentinels.empty()) {
        error("session.store",
              "\"redis\" needs redis.url (one server) or redis.sentinels and redis.master_name "
              "(Sentinel)");
    }
}

// "NAME=http(s)://HOST[:PORT]" entries (node_api.peers, rspamd.controllers)
// as name -> base URL without a trailing slash.
std::map<std::string, std::string> NamedUrls(
    const std::vector<std::string>& entries, const std::string& key,
    const std::function<void(const std::string&, const std::string&)>& error) {
    std::map<std::string, std::string> out;
    for (const auto& p : entries) {
        const auto eq = p.find('=');
        std::string url = eq == std::string::npos ? std::string() : p.substr(eq + 1);
        while (url.ends_with('/')) url.pop_back();
        if (eq == 0 || eq == std::string::npos ||
            !(url.starts_with("https://") || url.starts_with("http://")) || url.size() < 9 ||
            url.find_first_of(" \t\r\n?#") != std::string::npos) {
            error(key, "\"" + p + "\" is not NAME=http(s)://HOST[:PORT]");
            continue;
        }
        out[p.substr(0, eq)] = url;
    }
    return out;
}

void Validate(LoadOutcome& out, const std::string& origin) {
    Config& c = out.config;
    auto error = [&](const std::string& key, const std::string& msg) {
        out.errors.push_back(origin + ": " + key + ": " + msg);
    };
    if (!ParseListen(c.server.listen, c.listen_host, c.listen_port)) {
        error("server.listen", "\"" + c.server.listen +
                                   "\" is not host:port with a numeric IPv4/IPv6 address "
                                   "(e.g. 127.0.0.1:8480 or [::1]:8480)");
    }
    c.ingest_allow.clear();
    for (const auto& s : c.ingest.allow_from) {
        if (auto cidr = ParseCidr(s)) {
            c.ingest_allow.push_back(*cidr);
        } else {
            error("ingest.allow_from", "\"" + s + "\" is not an IP address or CIDR range");
        }
    }
    c.node_api_allow.clear();
    for (const auto& s : c.node_api.allow_from) {
        if (auto cidr = ParseCidr(s)) {
            c.node_api_allow.push_back(*cidr);
        } else {
            error("node_api.allow_from", "\"" + s + "\" is not an IP address or CIDR range");
        }
    }
    c.maps_reader_allow.clear();
    for (const auto& s : c.maps.reader_allow_from) {
        if (auto cidr = ParseCidr(s)) {
            c.maps_reader_allow.push_back(*cidr);
        } else {
            error("maps.reader_allow_from", "\"" + s + "\" is not an IP address or CIDR range");
        }
    }
    if (!c.node_api.secret.empty() && c.node_api.secret.size() < 16) {
        error("node_api.secret", "must be at least 16 characters");
    }
    c.node_api_peers = NamedUrls(c.node_api.peers, "node_api.peers", error);
    if (!c.node_api.peers.empty() && c.node_api.secret.empty()) {
        error("node_api.peers", "needs node_api.secret (the nodes sign their requests)");
    }
    c.rspamd_controllers = NamedUrls(c.rspamd.controllers, "rspamd.controllers", error);
    if (c.rspamd.fuzzy_flag != 0 && c.rspamd.controllers.empty()) {
        error("rspamd.fuzzy_flag", "needs rspamd.controllers (the hashes go through them)");
    }
    if (!c.release.smtp_host.empty()) {
        const auto& r = c.release;
        if (r.from.empty() || r.from.find('@') == std::string::npos ||
            r.from.find_first_of("<> \t\r\n") != std::string::npos) {
            error("release.from", "must be a plain address local@domain when release.smtp_host is set");
        }
        if (r.smtp_host.find_first_of("/ \t\r\n@") != std::string::npos) {
            error("release.smtp_host", "must be a host name or IP address");
        }
        if (r.helo_name.empty() || r.helo_name.find_first_of("/ \t\r\n") != std::string::npos) {
            error("release.helo_name", "must be a host name");
        }
    }
    if (const auto& b = c.release.bypass_header; !b.empty()) {
        const auto colon = b.find(':');
        bool ok = colon != std::string::npos && colon > 0 && colon + 1 < b.size();
        for (std::size_t i = 0; ok && i < b.size(); ++i) {
            const auto u = static_cast<unsigned char>(b[i]);
            if (u < 0x20 || u >= 0x7f) ok = false;  // one printable ASCII line
            if (i < colon && (u <= 0x20 || u == ':')) ok = false;  // a header field name
        }
        if (!ok) error("release.bypass_header", "must be one header line \"Name: value\"");
    }
    if (c.release.user_release == "request" && c.release.smtp_host.empty()) {
        error("release.user_release", "\"request\" needs release.smtp_host (approved requests "
                                      "are released through that relay)");
    }
    for (const std::string& a : c.release.request_notify) {
        if (a.empty() || a.find('@') == std::string::npos ||
            a.find_first_of("<>\" \t\r\n,") != std::string::npos) {
            error("release.request_notify", "\"" + a + "\" is not a plain address local@domain");
        }
    }
    if (c.notify.enabled) {
        const auto& n = c.notify;
        if (c.release.smtp_host.empty()) {
            error("notify.enabled", "needs release.smtp_host (digests go through that relay)");
        }
        if (n.from.empty() || n.from.find('@') == std::string::npos ||
            n.from.find_first_of("<> \t\r\n\"") != std::string::npos) {
            error("notify.from", "must be a plain address local@domain when notify is enabled");
        }
        const bool web = n.base_url.starts_with("https://") || n.base_url.starts_with("http://");
        if (!web || n.base_url.find_first_of("<>\"' \t\r\n") != std::string::npos) {
            error("notify.base_url", "must be an http(s):// URL when notify is enabled");
        }
    }
    if (!TimeZone::Find(c.notify.default_time_zone)) {
        error("notify.default_time_zone", "must be an IANA time zone name such as Europe/Berlin");
    }
    if (!c.notify.token_secret.empty() && c.notify.token_secret.size() < 32) {
        error("notify.token_secret", "must be at least 32 characters");
    }
    if (c.ingest.username.empty() != c.ingest.password.empty()) {
        error("ingest.username", "set both ingest.username and ingest.password, or neither");
    }
    // Rows must outlive their files: a row is what says a file was purged.
    if (c.retention.database_days <= c.retention.quarantine_days) {
        error("retention.database_days", "must be greater than retention.quarantine_days (" +
                                             std::to_string(c.retention.database_days) + " <= " +
                                             std::to_string(c.retention.quarantine_days) + ")");
    }
    if (c.data_dir.empty()) error("data_dir", "must not be empty");
    c.data_dir = Resolve(c.config_dir, c.data_dir);
    auto derive = [&](std::string& p, const char* leaf) {
        p = p.empty() ? (fs::path(c.data_dir) / leaf).string() : Resolve(c.config_dir, p);
    };
    if (c.database.url.empty()) {
        c.database.url = "sqlite:" + (fs::path(c.data_dir) / "rqwatch.db").string();
    } else if (c.database.url.starts_with("sqlite:") && !c.database.url.starts_with("sqlite://")) {
        c.database.url = "sqlite:" + Resolve(c.config_dir, c.database.url.substr(7));
    }
    if (auto target = ParseDatabaseUrl(c.database.url); !target) {
        error("database.url", target.error().public_msg);
    }
    ValidateRedis(c, error);
    derive(c.spool.dir, "spool");
    derive(c.quarantine.dir, "quarantine");
    if (!c.geoip.database.empty()) c.geoip.database = Resolve(c.config_dir, c.geoip.database);
    if (!c.oidc.ca_file.empty()) c.oidc.ca_file = Resolve(c.config_dir, c.oidc.ca_file);
    if (!c.web.assets_dir.empty()) c.web.assets_dir = Resolve(c.config_dir, c.web.assets_dir);
    if (c.ingest.node_name.empty()) {
        char host[256] = {};
        c.ingest.node_name = ::gethostname(host, sizeof host - 1) == 0 ? host : "localhost";
    }
}

}  // namespace

EnvLookup ProcessEnv() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    };
}

std::string LocalOverridePath(const std::string& main_path) {
    fs::path p(main_path);
    if (p.extension() == ".toml")
        return (p.parent_path() / (p.stem().string() + ".local.toml")).string();
    return main_path + ".local";
}

LoadOutcome LoadConfig(const std::optional<std::string>& path, const EnvLookup& env) {
    LoadOutcome out;
    std::error_code ec;
    out.config.config_dir = fs::current_path(ec).string();
    std::string origin = "defaults";
    if (path) {
        origin = *path;
        auto main = ParseFile(*path, out.errors);
        if (!main) return out;
        out.files.push_back(*path);
        out.config.config_dir = fs::absolute(*path, ec).parent_path().string();
        Loader loader(out, env, out.config.config_dir);
        loader.Apply(*main, origin);
        // Applying the override after the main file merges them key by key,
        // and problems are reported under the file that has them.
        const std::string local = LocalOverridePath(*path);
        if (fs::exists(local, ec)) {
            if (auto over = ParseFile(local, out.errors)) {
                out.files.push_back(local);
                loader.Apply(*over, local);
            }
        }
    }
    Validate(out, origin);
    return out;
}

}  // namespace rqwatch::config
