#include "app/fuzzy_training.hpp"

#include <fmt/format.h>

namespace rqwatch::app {

std::optional<FuzzyRequest> FuzzyRequestFor(const FuzzyTraining& training, bool spam,
                                            bool bayes_ok, FuzzyResult& skipped) {
    skipped.status = "skipped";
    if (training.flag <= 0) {
        skipped.message = "fuzzy learning is off";
        return std::nullopt;
    }
    if (spam && !training.add_on_spam) {
        skipped.message = "fuzzy_on_spam is off";
        return std::nullopt;
    }
    if (!spam && !training.delete_on_ham) {
        skipped.message = "fuzzy_del_on_ham is off";
        return std::nullopt;
    }
    if (!bayes_ok) {
        skipped.message = "not tried: Bayes learning failed";
        return std::nullopt;
    }
    skipped = {};
    return FuzzyRequest{spam, training.flag, training.weight};
}

FuzzyResult FuzzyResultOf(const FuzzyRequest& request, const Result<void>& sent) {
    if (!sent) return {"failed", sent.error().public_msg};
    return {"ok", request.add ? fmt::format("added to flag {} (weight {})", request.flag,
                                            request.weight)
                              : fmt::format("deleted from flag {}", request.flag)};
}

}  // namespace rqwatch::app
