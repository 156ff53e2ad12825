#include "rspamd/symbols_sax.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/utf8.hpp"

namespace rqwatch::rspamd {
namespace {

using nlohmann::json;

// Inside symbols "unknown" is ordinary text (an option value, say); only the
// scalar metadata headers use it for "absent".
std::string Text(std::string_view v) { return Utf8OrCp1252(v); }

class SymbolsHandler final : public nlohmann::json_sax<json> {
  public:
    std::vector<Symbol> symbols;
    std::string error;  // set on a malformed entry
    bool not_array = false;

    bool null() override { return Scalar(std::nullopt); }
    bool boolean(bool) override { return Scalar(std::nullopt); }
    bool number_integer(number_integer_t v) override {
        return Number(static_cast<double>(v), std::to_string(v));
    }
    bool number_unsigned(number_unsigned_t v) override {
        return Number(static_cast<double>(v), std::to_string(v));
    }
    bool number_float(number_float_t v, const string_t& text) override { return Number(v, text); }
    bool string(string_t& v) override { return Scalar(std::string_view(v)); }
    bool binary(binary_t&) override { return Scalar(std::nullopt); }

    bool start_object(std::size_t) override {
        ++depth_;
        if (depth_ == 1) return Stop(not_array = true);
        if (depth_ == 2) {
            symbols.emplace_back();
            in_symbol_ = true;
        }
        return true;
    }
    bool end_object() override {
        if (depth_ == 2 && in_symbol_) {
            in_symbol_ = false;
            if (symbols.back().name.empty()) return Fail("symbols: an entry has no name");
        }
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        ++depth_;
        if (depth_ == 1) return true;
        if (depth_ == 2) return Fail("symbols: each entry must be an object");
        if (depth_ == 3 && (key_ == "groups" || key_ == "options"))
            list_ = key_ == "groups" ? &symbols.back().groups : &symbols.back().options;
        return true;
    }
    bool end_array() override {
        if (depth_ == 3) list_ = nullptr;
        --depth_;
        return true;
    }
    bool key(string_t& k) override {
        if (depth_ == 2) key_ = k;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        if (error.empty()) error = "X-Rspamd-symbols is not valid JSON";
        return false;
    }

  private:
    bool Stop(bool) { return false; }
    bool Fail(std::string msg) {
        error = std::move(msg);
        return false;
    }
    bool Number(double v, const std::string& text) {
        if (depth_ == 0) return Stop(not_array = true);
        if (depth_ == 1) return Fail("symbols: each entry must be an object");
        if (depth_ == 2 && key_ == "score") {
            if (!std::isfinite(v))
                return Fail("symbols: score of " + symbols.back().name + " is not a number");
            symbols.back().score = v;
        } else if (depth_ == 2 && (key_ == "name" || key_ == "group")) {
            (key_ == "name" ? symbols.back().name : symbols.back().group) = text;
        } else if (depth_ == 3 && list_) {
            list_->push_back(text);
        }
        return true;
    }
    bool Scalar(std::optional<std::string_view> v) {
        if (depth_ == 0) return Stop(not_array = true);
        if (depth_ == 1) return Fail("symbols: each entry must be an object");
        if (!v) return true;  // null/bool members carry nothing we keep
        if (depth_ == 2) {
            Symbol& s = symbols.back();
            if (key_ == "name") {
                s.name = Text(*v);
            } else if (key_ == "group") {
                s.group = Text(*v);
            } else if (key_ == "score") {
                double d = 0;
                auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
                if (v->empty() || ec != std::errc{} || end != v->data() + v->size() ||
                    !std::isfinite(d)) {
                    return Fail("symbols: score of " + s.name + " is not a number");
                }
                s.score = d;
            } else if (key_ == "groups" || key_ == "options") {
                // A single string instead of a list.
                if (std::string t = Text(*v); !t.empty())
                    (key_ == "groups" ? s.groups : s.options).push_back(std::move(t));
            }
        } else if (depth_ == 3 && list_) {
            if (std::string t = Text(*v); !t.empty()) list_->push_back(std::move(t));
        }
        return true;
    }

    int depth_ = 0;
    bool in_symbol_ = false;
    std::string key_;
    std::vector<std::string>* list_ = nullptr;
};

}  // namespace

std::optional<Result<std::vector<Symbol>>> ParseSymbolArray(std::string_view text) {
    SymbolsHandler h;
    const bool ok = json::sax_parse(text.begin(), text.end(), &h);
    if (h.not_array && h.error.empty()) return std::nullopt;
    if (!ok || !h.error.empty()) {
        return Result<std::vector<Symbol>>(
            Fail(ErrorCode::kInvalidArgument,
                 h.error.empty() ? "X-Rspamd-symbols is not valid JSON" : h.error));
    }
    return Result<std::vector<Symbol>>(std::move(h.symbols));
}

}  // namespace rqwatch::rspamd
