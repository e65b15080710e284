// memberkit C++17 wrapper: errors, string arguments and results, handles.
// Part of memberkit.hpp; include that.
#ifndef MEMBERKIT_ERROR_HPP
#define MEMBERKIT_ERROR_HPP

#include "memberkit.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace memberkit {

/// A failed call of the C API: its MkStatus, the message
/// mk_last_error_message() gave (what()) and the stable snake_case code of
/// mk_last_error_code() ("full" for a refused booking, "unknown_currency", ...).
class Error : public std::runtime_error {
public:
    /// `code` is a string that lives as long as the process, as
    /// mk_last_error_code()'s do (so copying an Error never throws).
    Error(MkStatus status, const std::string &message, const char *code)
        : std::runtime_error(message), status_(status), code_(code) {}

    /// The status the C function returned.
    MkStatus status() const noexcept { return status_; }
    /// The status's name, e.g. "MK_STATUS_INVALID_DATE".
    const char *status_name() const noexcept { return mk_status_str(static_cast<int>(status_)); }
    /// The stable reason code; unlike the message it never changes between versions.
    std::string_view code() const noexcept { return code_; }

private:
    MkStatus status_;
    const char *code_;
};

/// The library's version, e.g. "0.1.0" (the same as MK_VERSION_MAJOR/MINOR/PATCH).
inline std::string_view version() noexcept { return mk_version(); }

/// The name of a status, e.g. "MK_STATUS_OK".
inline std::string_view status_name(MkStatus status) noexcept { return mk_status_str(static_cast<int>(status)); }

/// A string argument, NUL-terminated for the C API: a `const char *` (NULL
/// passes NULL, which some functions read as "none"), a `std::string`
/// (used in place), a `std::string_view` (copied to add the NUL) or a
/// `std::optional<std::string>` (nullopt passes NULL). A string with a NUL
/// byte inside would be cut short by C, so it is refused with
/// MK_STATUS_INVALID_ARGUMENT. Only for parameters: it may point into its
/// argument.
class StringArg {
public:
    StringArg(const char *text) noexcept : ptr_(text) {}
    StringArg(const std::string &text) : ptr_(checked(text).c_str()) {}
    StringArg(std::string_view text) : copy_(text), ptr_(checked(copy_).c_str()) {}
    StringArg(const std::optional<std::string> &text) : ptr_(text ? checked(*text).c_str() : nullptr) {}
    StringArg(const StringArg &) = delete;
    StringArg &operator=(const StringArg &) = delete;

    const char *c_str() const noexcept { return ptr_; }

private:
    static const std::string &checked(const std::string &text) {
        if (text.find('\0') != std::string::npos) {
            throw Error(MK_STATUS_INVALID_ARGUMENT, "a string argument contains a NUL byte", "invalid_argument");
        }
        return text;
    }

    std::string copy_;
    const char *ptr_;
};

namespace detail {

/// Throws memberkit::Error for any status but MK_STATUS_OK.
inline void check(MkStatus status) {
    if (status == MK_STATUS_OK) return;
    std::string message = mk_last_error_message(); // copied before any other mk_* call
    throw Error(status, message, mk_last_error_code());
}

struct StringFree {
    void operator()(char *text) const noexcept { mk_string_free(text); }
};

/// A string the library returned, freed with mk_string_free however this ends.
using OwnedString = std::unique_ptr<char, StringFree>;

/// Copies a returned string into a std::string and frees it (NULL gives "").
inline std::string take(char *raw) {
    OwnedString owned(raw);
    return owned ? std::string(owned.get()) : std::string();
}

template <typename T, void (*Free)(T *)>
struct HandleFree {
    void operator()(T *handle) const noexcept { Free(handle); }
};

/// An owned C handle, freed with its mk_*_free.
template <typename T, void (*Free)(T *)>
using Handle = std::unique_ptr<T, HandleFree<T, Free>>;

} // namespace detail
} // namespace memberkit

#endif
