// memberkit C++17 wrapper: dunning (督促; receivables, commands and events
// as JSON). Part of memberkit.hpp; include that.
#ifndef MEMBERKIT_DUNNING_HPP
#define MEMBERKIT_DUNNING_HPP

#include "error.hpp"

namespace memberkit::dunning {

/// A dunning policy: grace period, retries, steps and ladder. Immutable:
/// its const methods may be called from many threads at once.
class Policy {
public:
    /// Reads a policy; a bad one is MK_STATUS_INVALID_CONFIG with the path
    /// of the bad field (e.g. `steps[0].day`).
    explicit Policy(StringArg policy_json) {
        MkDunningPolicy *raw = nullptr;
        detail::check(mk_dunning_policy_new(policy_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_dunning_policy_new.
    explicit Policy(MkDunningPolicy *owned) noexcept : handle_(owned) {}

    /// The events (JSON array) of `command_json` made on `at` against the
    /// receivables `state_json` (nullptr or "" for an account with no
    /// invoice yet). A refused command throws and changes nothing.
    [[nodiscard]] std::string decide(StringArg state_json, StringArg command_json, MkDate at) const {
        char *raw = nullptr;
        detail::check(mk_dunning_decide(get(), state_json.c_str(), command_json.c_str(), at, &raw));
        return detail::take(raw);
    }

    /// The steps still to come for the unpaid invoices, each with the
    /// member-facing `message` in `language` ("ja" or "en").
    [[nodiscard]] std::string timeline(StringArg state_json, StringArg language) const {
        char *raw = nullptr;
        detail::check(mk_dunning_timeline(get(), state_json.c_str(), language.c_str(), &raw));
        return detail::take(raw);
    }

    const MkDunningPolicy *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkDunningPolicy, mk_dunning_policy_free> handle_;
};

/// The receivables `state_json` (nullptr or "" for none yet) with the JSON array `events_json` applied.
[[nodiscard]] inline std::string apply(StringArg state_json, StringArg events_json) {
    char *raw = nullptr;
    detail::check(mk_dunning_apply(state_json.c_str(), events_json.c_str(), &raw));
    return detail::take(raw);
}

/// The membership commands the dunning events call for, in order (a JSON
/// array, e.g. [{"type":"suspend"}]): decide each with membership::Catalog::decide.
[[nodiscard]] inline std::string membership_commands(StringArg events_json) {
    char *raw = nullptr;
    detail::check(mk_dunning_membership_commands(events_json.c_str(), &raw));
    return detail::take(raw);
}

/// The account as dunning sees it: standing, restrictions, balances, totals (JSON).
[[nodiscard]] inline std::string view(StringArg state_json) {
    char *raw = nullptr;
    detail::check(mk_dunning_view(state_json.c_str(), &raw));
    return detail::take(raw);
}

/// The invoices with something still owed, oldest due first, with their age on `at` (JSON array).
[[nodiscard]] inline std::string open_invoices(StringArg state_json, MkDate at) {
    char *raw = nullptr;
    detail::check(mk_dunning_open_invoices(state_json.c_str(), at, &raw));
    return detail::take(raw);
}

} // namespace memberkit::dunning

#endif
