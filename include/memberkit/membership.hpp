// memberkit C++17 wrapper: the plan catalog and the membership decider
// (commands, events and states as JSON). Part of memberkit.hpp; include that.
#ifndef MEMBERKIT_MEMBERSHIP_HPP
#define MEMBERKIT_MEMBERSHIP_HPP

#include "error.hpp"

namespace memberkit::membership {

/// A catalog of plans. Immutable: its const methods may be called from many
/// threads at once.
class Catalog {
public:
    /// Reads a JSON array of plans; a bad plan is MK_STATUS_INVALID_PLAN
    /// with the path of the bad field in the message.
    explicit Catalog(StringArg plans_json) {
        MkCatalog *raw = nullptr;
        detail::check(mk_catalog_new(plans_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_catalog_new.
    explicit Catalog(MkCatalog *owned) noexcept : handle_(owned) {}

    /// The events (a JSON array) of `command_json` made on `at` against the
    /// membership `state_json` (nullptr or "" for a new member). A refused
    /// command throws (MK_STATUS_INVALID_TRANSITION, MK_STATUS_COMMAND_REFUSED, ...).
    [[nodiscard]] std::string decide(StringArg state_json, StringArg command_json, MkDate at) const {
        char *raw = nullptr;
        detail::check(mk_membership_decide(get(), state_json.c_str(), command_json.c_str(), at, &raw));
        return detail::take(raw);
    }

    /// What a member or operator sees on `on`: status, version, plan, next
    /// renewal, scheduled changes (JSON).
    [[nodiscard]] std::string view(StringArg state_json, MkDate on) const {
        char *raw = nullptr;
        detail::check(mk_membership_view(get(), state_json.c_str(), on, &raw));
        return detail::take(raw);
    }

    const MkCatalog *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkCatalog, mk_catalog_free> handle_;
};

/// The membership `state_json` (nullptr or "" for a new member) with the
/// JSON array `events_json` applied; applying never refuses an event.
[[nodiscard]] inline std::string apply(StringArg state_json, StringArg events_json) {
    char *raw = nullptr;
    detail::check(mk_membership_apply(state_json.c_str(), events_json.c_str(), &raw));
    return detail::take(raw);
}

} // namespace memberkit::membership

#endif
