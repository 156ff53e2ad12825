#pragma once
// One function per subcommand; each returns the process exit code.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
struct MailsSearchArgs {
    std::vector<std::string> filters;  // FIELD:OP:VALUE
    std::string day;                   // YYYY-MM-DD or "today"
    std::int64_t limit = 50;
    std::int64_t before = 0;
    bool json = false;
};
int RunMailsSearch(const std::string& config_path, const MailsSearchArgs& args);
struct PurgeArgs {
    bool dry_run = false;
};
int RunPurge(const std::string& config_path, const PurgeArgs& args);
// `now_override` (unix ms): the hidden --now-ms option, for tests of the
// schedules only (it does not change how anything is stored).
int RunNotify(const std::string& config_path, std::optional<std::int64_t> now_override);

struct MapsRspamdConfigArgs {
    std::string base_url;  // "" = http://<server.listen>
    std::string lua_path = "/usr/share/rqwatch/lua/rqwatch_maps.lua";
    std::string out_dir;   // "" = print both files
    double allow_score = -20;
    double block_score = 20;
    std::int64_t poll_seconds = 0;
};
int RunMapsRspamdConfig(const std::string& config_path, const MapsRspamdConfigArgs& args);
struct MapsExportArgs {
    std::string dir;
};
int RunMapsExport(const std::string& config_path, const MapsExportArgs& args);

}  // namespace rqwatch::cli
