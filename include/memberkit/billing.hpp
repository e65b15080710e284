// memberkit C++17 wrapper: billing (invoices and credit notes from a
// membership's events; documents and ledgers as JSON). Part of
// memberkit.hpp; include that.
#ifndef MEMBERKIT_BILLING_HPP
#define MEMBERKIT_BILLING_HPP

#include "error.hpp"
#include "membership.hpp"

namespace memberkit::billing {

/// How a business bills. Immutable: may be shared between threads.
class Config {
public:
    /// Reads a billing config ("{}" for the defaults); a bad field is
    /// MK_STATUS_INVALID_CONFIG with its path in the message.
    explicit Config(StringArg config_json = "{}") {
        MkBillingConfig *raw = nullptr;
        detail::check(mk_billing_config_new(config_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_billing_config_new.
    explicit Config(MkBillingConfig *owned) noexcept : handle_(owned) {}

    const MkBillingConfig *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkBillingConfig, mk_billing_config_free> handle_;
};

/// Bills one account through `through` (included): `account_json` is the
/// ledger the previous run returned, or nullptr/"" for a new account named
/// `account_id`; `events_json` is the membership's events. Returns
/// `{"documents": [...], "account": {...}}`: store the account for the next run.
[[nodiscard]] inline std::string bill(const membership::Catalog &catalog, const Config &config, StringArg account_json,
                                      StringArg account_id, StringArg events_json, MkDate through) {
    char *raw = nullptr;
    detail::check(mk_bill(catalog.get(), config.get(), account_json.c_str(), account_id.c_str(), events_json.c_str(),
                          through, &raw));
    return detail::take(raw);
}

/// Bills a batch, `[{"account": {...}, "events": [...]}, ...]`, through
/// `through`: for each history in order, its run or `{"error": {...}}` (one
/// account's error does not stop the others).
[[nodiscard]] inline std::string bill_batch(const membership::Catalog &catalog, const Config &config, StringArg histories_json,
                                            MkDate through) {
    char *raw = nullptr;
    detail::check(mk_bill_batch(catalog.get(), config.get(), histories_json.c_str(), through, &raw));
    return detail::take(raw);
}

/// `price × part / whole` rounded once with `mode` (MK_ROUNDING_*): 日割り.
[[nodiscard]] inline MkMoney prorate(MkMoney price, std::uint32_t part, std::uint32_t whole, MkRounding mode) {
    MkMoney out{};
    detail::check(mk_prorate(price, part, whole, mode, &out));
    return out;
}

} // namespace memberkit::billing

#endif
