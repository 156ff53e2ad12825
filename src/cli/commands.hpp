#pragma once
// One function per subcommand; each returns the process exit code.

#include <string>

namespace rqwatch::cli {

int RunServe(const std::string& config_path, const char* version);
int RunCheckConfig(const std::string& config_path);
int RunMigrate(const std::string& config_path);
struct UserAddArgs {
    std::string username;
    std::string email;
    bool admin = false;
    bool password_stdin = false;
};
int RunUserAdd(const std::string& config_path, const UserAddArgs& args);
int RunConfigReference();

}  // namespace rqwatch::cli
