#pragma once
// Reads a message from tests/fixtures/mime (see its README.md for origins).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace rqwatch::mime::testing {

inline std::string ReadFixture(const std::string& name) {
    const std::string path = std::string(RQWATCH_FIXTURES) + "/mime/" + name;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace rqwatch::mime::testing
