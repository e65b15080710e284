// memberkit C++17 wrapper: the chatbot's procedures (an assistant, a
// conversation's turns; states, records and replies as JSON). Part of
// memberkit.hpp; include that.
#ifndef MEMBERKIT_CHAT_HPP
#define MEMBERKIT_CHAT_HPP

#include "booking.hpp"
#include "error.hpp"
#include "intent.hpp"

namespace memberkit::chat {

/// A member's message read by Assistant::read, awaiting Assistant::reply
/// (which consumes it); destroying it unreplied frees it. It may be moved to
/// another thread.
class Reading {
public:
    /// Takes ownership of a handle from mk_assistant_read.
    explicit Reading(MkChatReading *owned) noexcept : handle_(owned) {}

    /// The member number the conversation is about (given in this message
    /// or earlier), for the host to look up; nullopt before any is given.
    [[nodiscard]] std::optional<std::string> member_number() const {
        char *raw = nullptr;
        detail::check(mk_chat_reading_member_number(get(), &raw));
        if (raw == nullptr) return std::nullopt;
        return detail::take(raw);
    }

    const MkChatReading *get() const noexcept { return handle_.get(); }
    /// Gives up ownership (to pass the handle to a consuming C function).
    MkChatReading *release() noexcept { return handle_.release(); }

private:
    detail::Handle<MkChatReading, mk_chat_reading_free> handle_;
};

/// The member chatbot for a club. Immutable: its const methods may be
/// called from many threads at once (each conversation's state is JSON the
/// host keeps).
class Assistant {
public:
    /// An assistant with the shipped model for the club `club_json`
    /// (`{"catalog": [...], "billing": {...}, "names": [...]}`) and
    /// `config_json` (nullptr or "{}" for the defaults).
    explicit Assistant(StringArg club_json, StringArg config_json = nullptr) : Assistant(nullptr, club_json, config_json) {}
    /// The same with a copy of `model` (which may go at once).
    Assistant(const intent::Model &model, StringArg club_json, StringArg config_json = nullptr)
        : Assistant(model.get(), club_json, config_json) {}
    /// Takes ownership of a handle from mk_assistant_new.
    explicit Assistant(MkAssistant *owned) noexcept : handle_(owned) {}

    /// Reads the member's next `message` in the conversation `state_json` (the
    /// previous reply's `state`; nullptr or "" for a new one) on `today`.
    [[nodiscard]] Reading read(StringArg state_json, StringArg message, MkDate today) const {
        MkChatReading *raw = nullptr;
        detail::check(mk_assistant_read(get(), state_json.c_str(), message.c_str(), today, &raw));
        return Reading(raw);
    }

    /// Replies to `reading` (consumed, on every path) with `member_json`, the
    /// host's record of the member Reading::member_number names (nullptr or
    /// nullopt for none). The reply's JSON holds `step`, `text`, `state` (to
    /// store and pass to the next read) and, when `"confirmed"`, the
    /// `command` for the host to execute.
    [[nodiscard]] std::string reply(Reading reading, StringArg member_json) const {
        char *raw = nullptr;
        detail::check(mk_assistant_reply(get(), reading.release(), member_json.c_str(), &raw));
        return detail::take(raw);
    }

    /// As reply(), with the booking book `book` as it stands at `now` (read
    /// under its lock, left unchanged): the member may book, join a waitlist,
    /// cancel, and ask about their bookings.
    [[nodiscard]] std::string reply_in_book(Reading reading, StringArg member_json, const booking::Book &book,
                                            booking::Instant now) const {
        char *raw = nullptr;
        detail::check(mk_assistant_reply_in_book(get(), reading.release(), member_json.c_str(), book.get(),
                                                 now.unix_seconds, now.utc_offset_seconds, &raw));
        return detail::take(raw);
    }

    const MkAssistant *get() const noexcept { return handle_.get(); }

private:
    Assistant(const MkIntentModel *model, StringArg &club_json, StringArg &config_json) {
        MkAssistant *raw = nullptr;
        detail::check(mk_assistant_new(model, club_json.c_str(), config_json.c_str(), &raw));
        handle_.reset(raw);
    }

    detail::Handle<MkAssistant, mk_assistant_free> handle_;
};

} // namespace memberkit::chat

#endif
