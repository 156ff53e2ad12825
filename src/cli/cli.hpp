#pragma once

namespace rqwatch::cli {

// Parses the command line and runs the subcommand; returns the process exit code.
int RunCli(int argc, char** argv, const char* version);

}  // namespace rqwatch::cli
