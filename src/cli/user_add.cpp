// rqwatch user add NAME --email ADDR [--admin] --password-stdin

#include <iostream>
#include <regex>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "storage/sodium_password_hasher.hpp"
#include "storage/sql_user_repo.hpp"
#include "util/ids.hpp"

namespace rqwatch::cli {

int RunUserAdd(const std::string& config_path, const UserAddArgs& args) {
    static const std::regex kUsername(R"([A-Za-z0-9._+-]{2,128}(@[A-Za-z0-9.-]+)?)");
    static const std::regex kEmail(R"([^@\s]+@[^@\s]+)");
    if (!std::regex_match(args.username, kUsername)) {
        std::cerr << "rqwatch: username must be 2-128 characters of letters, digits, . _ + - "
                     "(optionally followed by @domain)\n";
        return 1;
    }
    if (!args.email.empty() && !std::regex_match(args.email, kEmail)) {
        std::cerr << "rqwatch: --email is not an e-mail address\n";
        return 1;
    }
    if (!args.password_stdin) {
        std::cerr << "rqwatch: give the password on standard input with --password-stdin\n";
        return 1;
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < 8) {
        std::cerr << "rqwatch: the password must have at least 8 characters\n";
        return 1;
    }
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    storage::SodiumPasswordHasher hasher;
    auto hash = hasher.Hash(password);
    if (!hash) {
        PrintError("cannot hash password", hash.error());
        return 1;
    }
    storage::SqlUserRepo users(db);
    User u;
    u.username = args.username;
    u.email = args.email;
    u.is_admin = args.admin;
    u.password_hash = *hash;
    u.created_at = util::NowUnixMs();
    auto id = users.Add(u);
    if (!id) {
        PrintError("cannot add user " + args.username, id.error());
        return 1;
    }
    std::cout << "added " << (args.admin ? "admin " : "") << "user " << args.username << " (id "
              << *id << ")\n";
    return 0;
}

}  // namespace rqwatch::cli
