// rqwatch: quarantine, mail-traffic monitor and map manager for Rspamd.
// main() only hands over to the CLI; src/cli/serve.cpp wires the concrete types.

#include <exception>
#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    try {
        return rqwatch::cli::RunCli(argc, argv, RQWATCH_VERSION);
    } catch (const std::exception& e) {
        // Only bugs and unrecoverable start-up failures get here.
        std::cerr << "rqwatch: fatal: " << e.what() << "\n";
        return 70;
    }
}
