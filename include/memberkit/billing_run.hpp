// memberkit C++17 wrapper: typed billing runs (accounts billed in place,
// documents, lines and taxes read without JSON). Part of memberkit.hpp;
// include that.
#ifndef MEMBERKIT_BILLING_RUN_HPP
#define MEMBERKIT_BILLING_RUN_HPP

#include "billing.hpp"
#include "error.hpp"
#include "membership.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace memberkit::billing {

/// The text of an MkStr (empty when absent); it lives as long as the Run it came from.
inline std::string_view view(MkStr text) noexcept {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}

/// An account's ledger, billed in place by bill_run. Not to be used from
/// another thread while a run bills it.
class Account {
public:
    /// A new account named `account_id` that has been billed nothing.
    explicit Account(StringArg account_id) {
        MkAccount *raw = nullptr;
        detail::check(mk_account_new(account_id.c_str(), &raw));
        handle_.reset(raw);
    }
    /// An account stored with to_json (or the "account" of bill()'s result).
    [[nodiscard]] static Account from_json(StringArg account_json) {
        MkAccount *raw = nullptr;
        detail::check(mk_account_from_json(account_json.c_str(), &raw));
        return Account(raw);
    }
    /// Takes ownership of a handle from mk_account_new or mk_account_from_json.
    explicit Account(MkAccount *owned) noexcept : handle_(owned) {}

    /// The ledger as JSON, to store until the next run.
    [[nodiscard]] std::string to_json() const {
        char *raw = nullptr;
        detail::check(mk_account_to_json(handle_.get(), &raw));
        return detail::take(raw);
    }
    /// Adds one-off charges, `[{"id", "on", "description", "amount", "tax"}, ...]`.
    void add_charges(StringArg charges_json) { detail::check(mk_account_add_charges(handle_.get(), charges_json.c_str())); }
    /// Adds discounts, `[{"id", "description", "from", "periods", "off"}, ...]`.
    void add_discounts(StringArg discounts_json) {
        detail::check(mk_account_add_discounts(handle_.get(), discounts_json.c_str()));
    }

    MkAccount *get() noexcept { return handle_.get(); }
    const MkAccount *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkAccount, mk_account_free> handle_;
};

/// A membership's events, parsed once. Immutable: one log may serve many
/// accounts and runs on many threads.
class EventLog {
public:
    explicit EventLog(StringArg events_json) {
        MkEventLog *raw = nullptr;
        detail::check(mk_event_log_new(events_json.c_str(), &raw));
        handle_.reset(raw);
    }

    const MkEventLog *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkEventLog, mk_event_log_free> handle_;
};

/// What a bill_run issued: per account in order, its documents or its
/// error. Immutable: readable from many threads. The string_views it gives
/// live as long as it does.
class Run {
public:
    /// Takes ownership of a handle from mk_bill_run.
    explicit Run(MkBillingRun *owned) noexcept : handle_(owned) {}

    /// The number of accounts, documents issued and accounts that failed.
    [[nodiscard]] MkBillingRunSummary summary() const {
        MkBillingRunSummary out{};
        detail::check(mk_billing_run_summary(handle_.get(), &out));
        return out;
    }
    /// The outcome of the `account`-th account: its status (MK_STATUS_OK or
    /// the error, message and code as views) and its number of documents.
    [[nodiscard]] MkBillingOutcome outcome(std::size_t account) const {
        MkBillingOutcome out{};
        detail::check(mk_billing_run_outcome(handle_.get(), account, &out));
        return out;
    }
    /// The `index`-th document of the `account`-th account.
    [[nodiscard]] MkDocument document(std::size_t account, std::size_t index) const {
        MkDocument out{};
        detail::check(mk_billing_run_document(handle_.get(), account, index, &out));
        return out;
    }
    /// Line `line` of that document.
    [[nodiscard]] MkLine line(std::size_t account, std::size_t index, std::size_t line) const {
        MkLine out{};
        detail::check(mk_billing_run_line(handle_.get(), account, index, line, &out));
        return out;
    }
    /// Tax summary `tax` of that document.
    [[nodiscard]] MkTaxSummary tax(std::size_t account, std::size_t index, std::size_t tax) const {
        MkTaxSummary out{};
        detail::check(mk_billing_run_tax(handle_.get(), account, index, tax, &out));
        return out;
    }
    /// That document as JSON, the form bill() returns.
    [[nodiscard]] std::string document_json(std::size_t account, std::size_t index) const {
        char *raw = nullptr;
        detail::check(mk_billing_run_document_json(handle_.get(), account, index, &raw));
        return detail::take(raw);
    }

    const MkBillingRun *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkBillingRun, mk_billing_run_free> handle_;
};

/// Bills `accounts[i]` with the events `logs[i]` through `through`
/// (included), each in place; an account that fails is left as it was and
/// its outcome holds the error. Different lengths, or one account twice,
/// are MK_STATUS_INVALID_ARGUMENT.
[[nodiscard]] inline Run bill_run(const membership::Catalog &catalog, const Config &config,
                                  const std::vector<Account *> &accounts, const std::vector<const EventLog *> &logs,
                                  MkDate through) {
    if (accounts.size() != logs.size()) {
        throw Error(MK_STATUS_INVALID_ARGUMENT, "accounts and logs differ in length", "invalid_argument");
    }
    std::vector<MkAccount *> raw_accounts;
    std::vector<const MkEventLog *> raw_logs;
    raw_accounts.reserve(accounts.size());
    raw_logs.reserve(logs.size());
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        raw_accounts.push_back(accounts[i] ? accounts[i]->get() : nullptr);
        raw_logs.push_back(logs[i] ? logs[i]->get() : nullptr);
    }
    MkBillingRun *raw = nullptr;
    detail::check(mk_bill_run(catalog.get(), config.get(), raw_accounts.data(), raw_logs.data(), raw_accounts.size(),
                              through, &raw));
    return Run(raw);
}

} // namespace memberkit::billing

#endif
