// memberkit C++17 wrapper: booking (rules, the pure decider over a book as
// JSON, and the in-process book that threads share). Part of memberkit.hpp;
// include that.
#ifndef MEMBERKIT_BOOKING_HPP
#define MEMBERKIT_BOOKING_HPP

#include "error.hpp"

namespace memberkit::booking {

/// An instant for the scalar hot paths: Unix seconds, and the UTC offset
/// (32400 for +09:00) that the instants in the events are written at.
struct Instant {
    std::int64_t unix_seconds;
    std::int32_t utc_offset_seconds;
};

/// Tag for the hot paths' overloads that make no events JSON.
struct WithoutEvents {
    explicit WithoutEvents() = default;
};
inline constexpr WithoutEvents without_events{};

/// Booking rules: session policies, per-member limits, strikes. Immutable:
/// its const methods may be called from many threads at once.
class Rules {
public:
    /// Reads rules ("{}" for the defaults); bad rules are
    /// MK_STATUS_INVALID_CONFIG with the path of the bad field.
    explicit Rules(StringArg rules_json = "{}") {
        MkBookingRules *raw = nullptr;
        detail::check(mk_booking_rules_new(rules_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_booking_rules_new.
    explicit Rules(MkBookingRules *owned) noexcept : handle_(owned) {}

    /// The events (JSON array) of `command_json` made at `at` (RFC 3339 with
    /// its offset) against the book `book_json` (nullptr, "" or "{}" for an
    /// empty one). Pure: nothing is stored. A refusal throws; Error::code()
    /// gives its reason ("full", ...).
    [[nodiscard]] std::string decide(StringArg book_json, StringArg command_json, StringArg at) const {
        char *raw = nullptr;
        detail::check(mk_booking_decide(get(), book_json.c_str(), command_json.c_str(), at.c_str(), &raw));
        return detail::take(raw);
    }

    const MkBookingRules *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkBookingRules, mk_booking_rules_free> handle_;
};

/// The book `book_json` (nullptr, "" or "{}" for an empty one) with the JSON
/// array `events_json` applied; its `version` counts the events.
[[nodiscard]] inline std::string apply(StringArg book_json, StringArg events_json) {
    char *raw = nullptr;
    detail::check(mk_booking_apply(book_json.c_str(), events_json.c_str(), &raw));
    return detail::take(raw);
}

/// A book of sessions and members kept in process, internally locked: its
/// const methods may be called from many threads at once, each command
/// decided and applied atomically (two threads never both take the last
/// seat). Destroying it needs no other thread to still use it.
class Book {
public:
    /// A book under a copy of `rules` (which may go at once), from
    /// `book_json` (a snapshot; nullptr, "" or "{}" for an empty book).
    explicit Book(const Rules &rules, StringArg book_json = nullptr) {
        MkBookingBook *raw = nullptr;
        detail::check(mk_booking_book_new(rules.get(), book_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_booking_book_new.
    explicit Book(MkBookingBook *owned) noexcept : handle_(owned) {}

    /// Decides and applies any command (JSON) made at `at` (RFC 3339); returns its events.
    std::string execute(StringArg command_json, StringArg at) const {
        return json([&](char **out) { return mk_booking_book_execute(get(), command_json.c_str(), at.c_str(), out); });
    }
    void execute(StringArg command_json, StringArg at, WithoutEvents) const {
        detail::check(mk_booking_book_execute(get(), command_json.c_str(), at.c_str(), nullptr));
    }

    /// Books `party` seats of `session` for `member`; not enough seats throws
    /// MK_STATUS_BOOKING_REFUSED with code "full".
    std::string book(StringArg session, StringArg member, std::uint32_t party, Instant at) const {
        return json([&](char **out) {
            return mk_booking_book_book(get(), session.c_str(), member.c_str(), party, at.unix_seconds,
                                        at.utc_offset_seconds, out);
        });
    }
    void book(StringArg session, StringArg member, std::uint32_t party, Instant at, WithoutEvents) const {
        detail::check(mk_booking_book_book(get(), session.c_str(), member.c_str(), party, at.unix_seconds,
                                           at.utc_offset_seconds, nullptr));
    }

    /// Cancels `member`'s booking, by the member or (`by_staff`) by staff; a
    /// freed seat goes to the waitlist as the policy says.
    std::string cancel(StringArg session, StringArg member, bool by_staff, Instant at) const {
        return json([&](char **out) {
            return mk_booking_book_cancel(get(), session.c_str(), member.c_str(), by_staff, at.unix_seconds,
                                          at.utc_offset_seconds, out);
        });
    }
    void cancel(StringArg session, StringArg member, bool by_staff, Instant at, WithoutEvents) const {
        detail::check(mk_booking_book_cancel(get(), session.c_str(), member.c_str(), by_staff, at.unix_seconds,
                                             at.utc_offset_seconds, nullptr));
    }

    /// Puts `member` on the waitlist of `session` for `party` seats.
    std::string join_waitlist(StringArg session, StringArg member, std::uint32_t party, Instant at) const {
        return json([&](char **out) {
            return mk_booking_book_join_waitlist(get(), session.c_str(), member.c_str(), party, at.unix_seconds,
                                                 at.utc_offset_seconds, out);
        });
    }
    void join_waitlist(StringArg session, StringArg member, std::uint32_t party, Instant at, WithoutEvents) const {
        detail::check(mk_booking_book_join_waitlist(get(), session.c_str(), member.c_str(), party, at.unix_seconds,
                                                    at.utc_offset_seconds, nullptr));
    }

    /// Checks `member` in to `session`.
    std::string check_in(StringArg session, StringArg member, Instant at) const {
        return json([&](char **out) {
            return mk_booking_book_check_in(get(), session.c_str(), member.c_str(), at.unix_seconds,
                                            at.utc_offset_seconds, out);
        });
    }
    void check_in(StringArg session, StringArg member, Instant at, WithoutEvents) const {
        detail::check(mk_booking_book_check_in(get(), session.c_str(), member.c_str(), at.unix_seconds,
                                               at.utc_offset_seconds, nullptr));
    }

    /// A session's seats and waitlist (JSON); unknown is MK_STATUS_UNKNOWN_SESSION.
    [[nodiscard]] std::string session_view(StringArg session) const {
        return json([&](char **out) { return mk_booking_book_session_view(get(), session.c_str(), out); });
    }

    /// A member's bookings, waitlist places, packs and strikes at `at` (RFC 3339; JSON).
    [[nodiscard]] std::string member_view(StringArg member, StringArg at) const {
        return json([&](char **out) { return mk_booking_book_member_view(get(), member.c_str(), at.c_str(), out); });
    }

    /// The whole book as JSON, a consistent copy that Book(rules, snapshot) reads back.
    [[nodiscard]] std::string snapshot() const {
        return json([&](char **out) { return mk_booking_book_snapshot(get(), out); });
    }

    /// The number of events applied: check it when storing the book (optimistic concurrency).
    [[nodiscard]] std::uint64_t version() const {
        std::uint64_t out = 0;
        detail::check(mk_booking_book_version(get(), &out));
        return out;
    }

    const MkBookingBook *get() const noexcept { return handle_.get(); }

private:
    template <typename Call>
    static std::string json(Call call) {
        char *raw = nullptr;
        detail::check(call(&raw));
        return detail::take(raw);
    }

    detail::Handle<MkBookingBook, mk_booking_book_free> handle_;
};

} // namespace memberkit::booking

#endif
