// memberkit C++17 wrapper: money (MkMoney, ISO 4217 numeric codes). Part of
// memberkit.hpp; include that.
#ifndef MEMBERKIT_MONEY_HPP
#define MEMBERKIT_MONEY_HPP

#include "error.hpp"

#include <vector>

namespace memberkit::money {

/// The numeric ISO 4217 code of an alphabetic one: currency("JPY") == 392.
inline std::uint32_t currency(StringArg code) {
    std::uint32_t numeric = 0;
    detail::check(mk_currency_from_code(code.c_str(), &numeric));
    return numeric;
}

/// The decimal places of a currency's minor unit: 0 for JPY, 2 for USD.
inline std::uint32_t minor_units(std::uint32_t currency) {
    std::uint32_t units = 0;
    detail::check(mk_currency_minor_units(currency, &units));
    return units;
}

/// a + b; MK_STATUS_CURRENCY_MISMATCH when the currencies differ.
inline MkMoney add(MkMoney a, MkMoney b) {
    MkMoney out{};
    detail::check(mk_money_add(a, b, &out));
    return out;
}

/// a - b; MK_STATUS_CURRENCY_MISMATCH when the currencies differ.
inline MkMoney sub(MkMoney a, MkMoney b) {
    MkMoney out{};
    detail::check(mk_money_sub(a, b, &out));
    return out;
}

/// An exact decimal amount written as text ("1774.19") rounded once to the
/// currency's minor unit with `mode` (an MK_ROUNDING_* value).
inline MkMoney round(StringArg amount, std::uint32_t currency, MkRounding mode) {
    MkMoney out{};
    detail::check(mk_money_round(amount.c_str(), currency, mode, &out));
    return out;
}

/// `total` split into `parts` amounts that sum to it exactly (the vector is
/// made first: an absurd `parts` throws std::bad_alloc).
inline std::vector<MkMoney> allocate(MkMoney total, std::int64_t parts) {
    std::vector<MkMoney> out(parts > 0 ? static_cast<std::size_t>(parts) : 0);
    detail::check(mk_money_allocate(total, parts, out.data(), out.size()));
    return out;
}

/// `total` split in proportion to `weights` (largest remainder); the parts sum to it exactly.
inline std::vector<MkMoney> allocate(MkMoney total, const std::vector<std::int64_t> &weights) {
    std::vector<MkMoney> out(weights.size());
    detail::check(mk_money_allocate_weights(total, weights.data(), weights.size(), out.data()));
    return out;
}

/// The amount as text, e.g. "12.50 USD" or "-500 JPY".
inline std::string to_string(MkMoney money) {
    char *raw = nullptr;
    detail::check(mk_money_to_string(money, &raw));
    return detail::take(raw);
}

} // namespace memberkit::money

#endif
