// memberkit: the C++17 wrapper of the C API (memberkit.h). Header-only.
//
// It adds no rule; it only wraps the C functions:
// - every handle is a move-only RAII class (membership::Catalog,
//   billing::Config, dunning::Policy, booking::Rules, booking::Book,
//   intent::Model, intent::Router, chat::Assistant, chat::Reading), freed
//   with its mk_*_free; `get()` gives the C handle;
// - strings go in as `const char *`, `std::string` or `std::string_view`
//   (memberkit::StringArg) and come out as `std::string`, the library's own
//   copy freed with mk_string_free;
// - a failure throws memberkit::Error (a std::runtime_error) with the
//   MkStatus, mk_last_error_message() as what(), and mk_last_error_code().
//
// Threads: as in C, a handle's const methods may be called from many
// threads at once; creating, moving and destroying it may not overlap with
// them. Money, dates and schedules are the C structs (MkMoney, MkDate,
// MkSchedule, MkPeriod). Link the library as for C (memberkit::memberkit in
// CMake, `pkg-config --libs memberkit`).
#ifndef MEMBERKIT_HPP
#define MEMBERKIT_HPP

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#error "memberkit.hpp needs C++17 or later"
#endif

#include "memberkit/error.hpp"

#include "memberkit/billing.hpp"
#include "memberkit/billing_run.hpp"
#include "memberkit/booking.hpp"
#include "memberkit/calendar.hpp"
#include "memberkit/chat.hpp"
#include "memberkit/dunning.hpp"
#include "memberkit/intent.hpp"
#include "memberkit/membership.hpp"
#include "memberkit/money.hpp"

#endif
