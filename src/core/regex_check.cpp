#include "core/regex_check.hpp"

#include <fmt/format.h>

#include <cctype>
#include <string>
#include <vector>

namespace rqwatch {
namespace {

// PostgreSQL's limit for {m,n} (RE_DUP_MAX).
constexpr int kMaxRepeat = 255;

Error Refuse(std::string why) {
    return Error{
        ErrorCode::kInvalidArgument, "regular expression not allowed: " + std::move(why), {}};
}

bool IsMeta(char c) {
    return std::string_view(".*+?()[]{}|^$\\/-").find(c) != std::string_view::npos;
}

// One open group: what it contains decides whether it may be repeated.
struct Group {
    bool repeats = false;     // a quantifier inside (at any depth)
    bool alternates = false;  // a '|' directly inside
};

class Checker {
  public:
    explicit Checker(std::string_view p) : p_(p) {}

    Result<void> Run() {
        groups_.push_back(Group{});  // the whole pattern
        while (i_ < p_.size()) {
            const char c = p_[i_];
            if (c == '\\') {
                if (auto r = Escape(/*in_class=*/false); !r) return r;
                can_repeat_ = true;
                last_group_ = nullptr;
            } else if (c == '[') {
                if (auto r = Class(); !r) return r;
                can_repeat_ = true;
                last_group_ = nullptr;
            } else if (c == '(') {
                if (p_.substr(i_, 2) == "(?") {
                    if (p_.substr(i_, 3) != "(?:") {
                        return std::unexpected(
                            Refuse("only (...) and (?:...) groups (no look-around, named groups "
                                   "or inline flags)"));
                    }
                    i_ += 2;
                }
                ++i_;
                groups_.push_back(Group{});
                can_repeat_ = false;
                last_group_ = nullptr;
            } else if (c == ')') {
                if (groups_.size() == 1) return std::unexpected(Refuse("unbalanced ')'"));
                closed_ = groups_.back();
                groups_.pop_back();
                groups_.back().repeats |= closed_.repeats;
                last_group_ = &closed_;
                can_repeat_ = true;
                ++i_;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                if (auto r = Quantifier(); !r) return r;
            } else if (c == '|') {
                groups_.back().alternates = true;
                can_repeat_ = false;
                last_group_ = nullptr;
                ++i_;
            } else {
                // '.', '^', '$' and literals.
                can_repeat_ = c != '^' && c != '$';
                last_group_ = nullptr;
                ++i_;
            }
        }
        if (groups_.size() != 1) return std::unexpected(Refuse("unbalanced '('"));
        return {};
    }

  private:
    Result<void> Escape(bool in_class) {
        if (i_ + 1 >= p_.size()) return std::unexpected(Refuse("ends with a lone backslash"));
        const char e = p_[i_ + 1];
        i_ += 2;
        if (IsMeta(e) || std::string_view("dDwWsS").find(e) != std::string_view::npos || e == 'n' ||
            e == 't' || e == 'r') {
            return {};
        }
        if (in_class && e == ']') return {};
        if (std::isdigit(static_cast<unsigned char>(e))) {
            return std::unexpected(Refuse("back-references (\\1 …) are not supported"));
        }
        if (e == 'b' || e == 'B') {
            return std::unexpected(
                Refuse("\\b means a word boundary in some engines and a backspace in others"));
        }
        return std::unexpected(Refuse(fmt::format("unknown escape \\{}", e)));
    }

    Result<void> Class() {
        ++i_;  // '['
        if (i_ < p_.size() && p_[i_] == '^') ++i_;
        if (i_ < p_.size() && p_[i_] == ']') ++i_;  // a leading ']' is literal
        while (i_ < p_.size() && p_[i_] != ']') {
            if (p_[i_] == '\\') {
                if (auto r = Escape(/*in_class=*/true); !r) return r;
            } else if (p_.substr(i_, 2) == "[:") {
                const auto end = p_.find(":]", i_ + 2);
                if (end == std::string_view::npos) {
                    return std::unexpected(Refuse("unterminated [: :] class"));
                }
                i_ = end + 2;
            } else {
                ++i_;
            }
        }
        if (i_ >= p_.size()) return std::unexpected(Refuse("unbalanced '['"));
        ++i_;  // ']'
        return {};
    }

    Result<void> Quantifier() {
        if (!can_repeat_) {
            return std::unexpected(
                Refuse(fmt::format("'{}' at position {} repeats nothing", p_[i_], i_ + 1)));
        }
        if (p_[i_] == '{') {
            const auto end = p_.find('}', i_);
            if (end == std::string_view::npos) return std::unexpected(Refuse("unbalanced '{'"));
            const std::string_view body = p_.substr(i_ + 1, end - i_ - 1);
            const auto comma = body.find(',');
            auto number = [](std::string_view s, bool allow_empty) {
                if (s.empty()) return allow_empty ? 0 : -1;
                int v = 0;
                for (char ch : s) {
                    if (!std::isdigit(static_cast<unsigned char>(ch))) return -1;
                    v = v * 10 + (ch - '0');
                    if (v > kMaxRepeat) return kMaxRepeat + 1;
                }
                return v;
            };
            const int lo = number(body.substr(0, comma), false);
            const int hi =
                comma == std::string_view::npos ? lo : number(body.substr(comma + 1), true);
            if (lo < 0 || hi < 0) {
                return std::unexpected(Refuse("'{' must be a repetition {m}, {m,} or {m,n}"));
            }
            if (lo > kMaxRepeat || hi > kMaxRepeat) {
                return std::unexpected(
                    Refuse(fmt::format("repetition counts above {}", kMaxRepeat)));
            }
            if (comma != std::string_view::npos && !body.substr(comma + 1).empty() && hi < lo) {
                return std::unexpected(Refuse("{m,n} with n < m"));
            }
            i_ = end + 1;
        } else {
            ++i_;
        }
        if (i_ < p_.size() && p_[i_] == '?') ++i_;  // lazy
        if (i_ < p_.size() && (p_[i_] == '+' || p_[i_] == '*' || p_[i_] == '{')) {
            return std::unexpected(Refuse("stacked quantifiers"));
        }
        if (last_group_ != nullptr && (last_group_->repeats || last_group_->alternates)) {
            return std::unexpected(
                Refuse("a repeated group must not itself repeat or alternate (e.g. (a+)+ or "
                       "(a|b)*): such patterns can take exponential time"));
        }
        groups_.back().repeats = true;
        can_repeat_ = false;
        last_group_ = nullptr;
        return {};
    }

    std::string_view p_;
    std::size_t i_ = 0;
    std::vector<Group> groups_;
    Group closed_;
    const Group* last_group_ = nullptr;  // the group just closed, if the last atom was one
    bool can_repeat_ = false;
};

}  // namespace

Result<void> CheckSearchRegex(std::string_view pattern) {
    if (pattern.empty()) return std::unexpected(Refuse("empty pattern"));
    if (pattern.size() > kMaxRegexLength) {
        return std::unexpected(Refuse(fmt::format("longer than {} bytes", kMaxRegexLength)));
    }
    for (unsigned char c : pattern) {
        if (c < 0x20 || c == 0x7f) return std::unexpected(Refuse("control characters"));
    }
    return Checker(pattern).Run();
}

}  // namespace rqwatch
