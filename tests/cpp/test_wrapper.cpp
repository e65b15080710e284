// Tests of the C++17 wrapper include/memberkit.hpp: every wrapped area, its
// RAII handles (ASan's leak check and valgrind see any handle or string not
// freed), strings in and out, and errors thrown with the C API's status,
// message and code. Prints "N passed, N failed".
#include "memberkit.hpp"

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace mk = memberkit;
using mk::calendar::date;

namespace {

int passed = 0;
int failed = 0;

void check(bool cond, const char *what, int line) {
    if (cond) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "test_wrapper.cpp:%d: check failed: %s\n", line, what);
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

bool has(const std::string &text, std::string_view part) { return text.find(part) != std::string::npos; }

// Runs `call`, which must throw memberkit::Error with `status`; returns the error.
mk::Error throws(MkStatus status, const std::function<void()> &call, int line) {
    try {
        call();
    } catch (const mk::Error &e) {
        check(e.status() == status, "the status thrown", line);
        if (e.status() != status) std::fprintf(stderr, "  got %s: %s\n", e.status_name(), e.what());
        return e;
    }
    check(false, "an exception", line);
    return mk::Error(MK_STATUS_OK, "", "");
}
#define THROWS(status, ...) throws((status), [&] { (void)(__VA_ARGS__); }, __LINE__)

// The end of the JSON value starting at s[p] (compact JSON, as memberkit writes it).
std::size_t value_end(const std::string &s, std::size_t p) {
    if (s[p] == '"') {
        for (++p; p < s.size() && s[p] != '"'; ++p) {
            if (s[p] == '\\') ++p;
        }
        return p + 1;
    }
    if (s[p] == '{' || s[p] == '[') {
        int depth = 0;
        for (; p < s.size(); ++p) {
            char c = s[p];
            if (c == '"') {
                p = value_end(s, p) - 1;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return p + 1;
            }
        }
        return p;
    }
    while (p < s.size() && s[p] != ',' && s[p] != '}' && s[p] != ']') ++p;
    return p;
}

// The JSON text of `key`'s value in the object `json` ("" when absent).
std::string field(const std::string &json, std::string_view key) {
    std::size_t p = json.find('{');
    if (p == std::string::npos) return "";
    ++p;
    while (p < json.size() && json[p] == '"') {
        std::size_t key_end = value_end(json, p);
        std::string_view name(json.data() + p + 1, key_end - p - 2);
        std::size_t value = key_end + 1; // after ':'
        std::size_t end = value_end(json, value);
        if (name == key) return json.substr(value, end - value);
        p = end < json.size() && json[end] == ',' ? end + 1 : json.size();
    }
    return "";
}

bool same(MkDate a, MkDate b) { return a.year == b.year && a.month == b.month && a.day == b.day; }

const std::uint32_t JPY = 392;
const std::uint32_t USD = 840;

static_assert(std::is_base_of_v<std::runtime_error, mk::Error> && std::is_nothrow_copy_constructible_v<mk::Error>);
static_assert(!std::is_copy_constructible_v<mk::membership::Catalog> && std::is_nothrow_move_constructible_v<mk::membership::Catalog>);
static_assert(!std::is_copy_constructible_v<mk::chat::Reading> && !std::is_copy_constructible_v<mk::booking::Book>);

void test_errors_and_strings() {
    CHECK(mk::version() == std::to_string(MK_VERSION_MAJOR) + "." + std::to_string(MK_VERSION_MINOR) + "." +
                                std::to_string(MK_VERSION_PATCH));
    CHECK(mk::status_name(MK_STATUS_INVALID_DATE) == "MK_STATUS_INVALID_DATE");
    mk::Error e = THROWS(MK_STATUS_UNKNOWN_CURRENCY, mk::money::currency("XXX"));
    CHECK(has(e.what(), "\"XXX\"") && e.code() == "unknown_currency");
    CHECK(std::string(e.status_name()) == "MK_STATUS_UNKNOWN_CURRENCY");
    // A memberkit::Error is a std::runtime_error.
    try {
        mk::calendar::parse_date("2026-02-30");
        CHECK(false);
    } catch (const std::runtime_error &err) {
        CHECK(has(err.what(), "2026-02-30"));
    }
    // A string_view need not be NUL-terminated: it is copied.
    std::string text = "JPYUSD";
    CHECK(mk::money::currency(std::string_view(text).substr(3, 3)) == USD);
    CHECK(mk::money::currency(std::string("JPY")) == JPY);
    // A NUL inside would be cut short by C: refused.
    e = THROWS(MK_STATUS_INVALID_ARGUMENT, mk::money::currency(std::string("JPY\0X", 5)));
    CHECK(e.code() == "invalid_argument" && has(e.what(), "NUL"));
    THROWS(MK_STATUS_INVALID_ARGUMENT, mk::money::currency(std::string_view("JP\0Y", 4)));
    // NULL for a required string is the C API's own NULL_POINTER.
    e = THROWS(MK_STATUS_NULL_POINTER, mk::money::currency(static_cast<const char *>(nullptr)));
    CHECK(e.code() == "null_pointer");
    // Invalid UTF-8 is refused, never converted.
    THROWS(MK_STATUS_INVALID_UTF8, mk::money::currency("\xff\xfe"));
}

void test_money() {
    CHECK(mk::money::minor_units(USD) == 2 && mk::money::minor_units(JPY) == 0);
    THROWS(MK_STATUS_UNKNOWN_CURRENCY, mk::money::minor_units(999));
    MkMoney sum = mk::money::add(MkMoney{1250, USD}, MkMoney{75, USD});
    CHECK(sum.minor == 1325 && sum.currency == USD);
    CHECK(mk::money::sub(MkMoney{75, USD}, MkMoney{1250, USD}).minor == -1175);
    mk::Error e = THROWS(MK_STATUS_CURRENCY_MISMATCH, mk::money::add(MkMoney{1, JPY}, MkMoney{1, USD}));
    CHECK(e.code() == "currency_mismatch" && has(e.what(), "USD"));
    CHECK(mk::money::round("1774.193548", JPY, MK_ROUNDING_FLOOR).minor == 1774);
    CHECK(mk::money::round(std::string("1774.193548"), JPY, MK_ROUNDING_CEILING).minor == 1775);
    THROWS(MK_STATUS_INVALID_ARGUMENT, mk::money::round("ten", JPY, MK_ROUNDING_FLOOR));
    auto parts = mk::money::allocate(MkMoney{10000, JPY}, 3);
    CHECK(parts.size() == 3 && parts[0].minor == 3334 && parts[1].minor == 3333 && parts[2].minor == 3333);
    THROWS(MK_STATUS_INVALID_ARGUMENT, mk::money::allocate(MkMoney{10000, JPY}, -3));
    THROWS(MK_STATUS_INVALID_ALLOCATION, mk::money::allocate(MkMoney{10000, JPY}, 0));
    auto weighted = mk::money::allocate(MkMoney{10000, JPY}, std::vector<std::int64_t>{1, 2, 0});
    CHECK(weighted.size() == 3 && weighted[0].minor == 3333 && weighted[1].minor == 6667 && weighted[2].minor == 0);
    THROWS(MK_STATUS_INVALID_ALLOCATION, mk::money::allocate(MkMoney{10000, JPY}, std::vector<std::int64_t>{1, -1}));
    CHECK(mk::money::to_string(MkMoney{1250, USD}) == "12.50 USD");
    CHECK(mk::money::to_string(MkMoney{-500, JPY}) == "-500 JPY");
    THROWS(MK_STATUS_UNKNOWN_CURRENCY, (void)mk::money::to_string(MkMoney{1, 1}));
}

void test_calendar() {
    namespace cal = mk::calendar;
    CHECK(same(cal::parse_date("2026-01-31"), date(2026, 1, 31)));
    THROWS(MK_STATUS_INVALID_DATE, cal::parse_date("31/01/2026"));
    CHECK(same(cal::add_months(date(2026, 1, 31), 1), date(2026, 2, 28)));
    CHECK(same(cal::add_months(date(2024, 3, 31), -1), date(2024, 2, 29)));
    THROWS(MK_STATUS_DATE_OUT_OF_RANGE, cal::add_months(date(2026, 1, 1), INT64_MAX));
    MkSchedule monthly = cal::schedule(date(2026, 1, 31), cal::months(1));
    CHECK(same(cal::next_after(monthly, date(2026, 2, 1)), date(2026, 2, 28)));
    CHECK(same(cal::next_after(monthly, date(2026, 2, 28)), date(2026, 3, 31)));
    MkPeriod march = cal::period_containing(monthly, date(2026, 3, 5));
    CHECK(same(march.start, date(2026, 2, 28)) && same(march.end, date(2026, 3, 31)));
    auto year = cal::boundaries(monthly, MkPeriod{date(2026, 1, 1), date(2027, 1, 1)});
    CHECK(year.size() == 12 && same(year[1], date(2026, 2, 28)) && same(year[11], date(2026, 12, 31)));
    CHECK(cal::boundaries(monthly, MkPeriod{date(2026, 2, 1), date(2026, 2, 10)}).empty());
    THROWS(MK_STATUS_INVALID_PERIOD, cal::boundaries(monthly, MkPeriod{date(2026, 5, 1), date(2026, 5, 1)}));
    THROWS(MK_STATUS_INVALID_INTERVAL, cal::next_after(cal::schedule(date(2026, 1, 1), cal::months(0)), date(2026, 2, 1)));
    MkSchedule on_31st = cal::on_day(date(2026, 2, 10), cal::months(1), 31);
    CHECK(same(on_31st.anchor, date(2026, 2, 28)) && on_31st.day == 31);
    CHECK(same(cal::next_after(on_31st, date(2026, 3, 1)), date(2026, 3, 31)));
    mk::Error e = THROWS(MK_STATUS_INVALID_DATE, cal::on_day(date(2026, 2, 10), cal::months(1), 32));
    CHECK(has(e.what(), "invalid day of the month 32"));
    CHECK(cal::weeks(2).unit == MK_INTERVAL_UNIT_WEEK && cal::days(3).count == 3 && cal::years(1).unit == MK_INTERVAL_UNIT_YEAR);
}

const char PLANS[] =
    R"([{"id":"basic","name":"Basic","price":{"amount":"5500","currency":"JPY"},)"
    R"("interval":{"unit":"month","count":1},"notice":{"kind":"day_of_month","day":10}}])";

void test_membership() {
    mk::Error e = THROWS(MK_STATUS_INVALID_PLAN, mk::membership::Catalog(R"([{"id":"x"}])"));
    CHECK(has(e.what(), "[0]"));
    const mk::membership::Catalog catalog(PLANS);
    std::string join = R"({"type":"join","plan":"basic","start":"2026-04-01"})";
    std::string events = catalog.decide(nullptr, join, date(2026, 4, 1));
    CHECK(has(events, R"("type":"started")"));
    CHECK(catalog.decide("", join, date(2026, 4, 1)) == events); // "" is a new member too
    std::string state = mk::membership::apply(nullptr, events);
    CHECK(has(state, R"("status":"active")"));
    std::string cancel = catalog.decide(state, R"({"type":"cancel","when":"by_notice_rule"})", date(2026, 6, 11));
    CHECK(has(cancel, R"("on":"2026-08-01")"));
    e = THROWS(MK_STATUS_INVALID_TRANSITION,
               (void)catalog.decide(state, R"({"type":"resume","on":"2026-06-11"})", date(2026, 6, 11)));
    CHECK(e.code() == "invalid_transition");
    THROWS(MK_STATUS_INVALID_JSON, (void)catalog.decide(state, R"({"type":"fly"})", date(2026, 6, 11)));
    CHECK(has(catalog.view(state, date(2026, 6, 11)), R"("next_renewal":"2026-07-01")"));
    THROWS(MK_STATUS_INVALID_JSON, (void)mk::membership::apply(state, "[{"));
    // Handles move; a moved-from one is empty, and the C API refuses it.
    mk::membership::Catalog moved(PLANS);
    mk::membership::Catalog owner = std::move(moved);
    CHECK(owner.get() != nullptr && moved.get() == nullptr); // NOLINT(bugprone-use-after-move)
    THROWS(MK_STATUS_NULL_POINTER, (void)moved.view(state, date(2026, 6, 11)));
    // A handle made with the C API can be adopted.
    MkCatalog *raw = nullptr;
    CHECK(mk_catalog_new(PLANS, &raw) == MK_STATUS_OK);
    mk::membership::Catalog adopted(raw);
    CHECK(adopted.get() == raw && has(adopted.view(state, date(2026, 6, 11)), "basic"));
}

void test_billing() {
    const mk::membership::Catalog catalog(PLANS);
    mk::Error e = THROWS(MK_STATUS_INVALID_CONFIG, mk::billing::Config(R"({"collection":{"kind":"debit_day","day":40}})"));
    CHECK(has(e.what(), "collection.day") && e.code() == "invalid_config");
    const mk::billing::Config config; // "{}": the defaults
    std::string events = catalog.decide(nullptr, R"({"type":"join","plan":"basic","start":"2026-04-20"})", date(2026, 4, 20));
    std::string run = mk::billing::bill(catalog, config, nullptr, "m-1", events, date(2026, 5, 1));
    // Apr 20-30 is 11/30 of 5,500 = 2,016, plus 10 % tax 201; then May in full.
    CHECK(has(run, R"("id":"m-1-20260420-1")") && has(run, R"("total":{"amount":"2217","currency":"JPY"})"));
    CHECK(has(run, R"("id":"m-1-20260501-1")"));
    std::string account = field(run, "account");
    CHECK(!account.empty());
    // Billing the same date again with the stored ledger adds nothing.
    std::string again = mk::billing::bill(catalog, config, account, "m-1", events, date(2026, 5, 1));
    CHECK(field(again, "documents") == "[]");
    std::string batch = R"([{"account":)" + account + R"(,"events":)" + events +
                        R"(},{"account":{"id":"y","pieces":[],"one_offs":[],"issued":{},"credit":null},"events":[{"type":"joined","on":"2026-04-01","plan":"gold","applied_on":"2026-04-01","paid_from":"2026-04-01","admission_fee":null,"rejoin":false}]}])";
    std::string runs = mk::billing::bill_batch(catalog, config, batch, date(2026, 6, 1));
    CHECK(has(runs, R"("id":"m-1-20260601-1")") && has(runs, R"("kind":"unknown_plan")"));
    THROWS(MK_STATUS_INVALID_JSON, (void)mk::billing::bill_batch(catalog, config, "[{}]", date(2026, 5, 1)));
    CHECK(mk::billing::prorate(MkMoney{8800, JPY}, 17, 30, MK_ROUNDING_FLOOR).minor == 4986);
    THROWS(MK_STATUS_INVALID_ARGUMENT, mk::billing::prorate(MkMoney{8800, JPY}, 31, 30, MK_ROUNDING_FLOOR));
}

void test_billing_run() {
    namespace billing = mk::billing;
    const mk::membership::Catalog catalog(PLANS);
    const billing::Config config;
    const billing::EventLog log(catalog.decide(nullptr, R"({"type":"join","plan":"basic","start":"2026-04-20"})", date(2026, 4, 20)));
    billing::Account member("m-1");
    member.add_charges(R"([{"id":"towel","on":"2026-05-01","description":"Towel","amount":{"amount":"300","currency":"JPY"},"tax":{"rate":"standard","included":false}}])");
    THROWS(MK_STATUS_INVALID_JSON, member.add_discounts("{"));
    THROWS(MK_STATUS_INVALID_JSON, billing::EventLog("[1]"));
    {
        const billing::Run run = billing::bill_run(catalog, config, {&member}, {&log}, date(2026, 5, 1));
        CHECK(run.summary().accounts == 1 && run.summary().documents == 2 && run.summary().failed == 0);
        CHECK(run.outcome(0).status == MK_STATUS_OK && run.outcome(0).documents == 2);
        const MkDocument first = run.document(0, 0);
        // Apr 20-30 is 11/30 of 5,500 = 2,016, plus 10 % tax 201.
        CHECK(billing::view(first.id) == "m-1-20260420-1" && first.total.minor == 2217 && first.kind == MK_DOCUMENT_INVOICE);
        CHECK(billing::view(first.corrects).empty() && first.corrects.ptr == nullptr);
        const MkLine fee = run.line(0, 0, 0);
        CHECK(fee.proration == MK_PRORATION_SHARE && fee.proration_part == 11 && billing::view(fee.plan) == "basic");
        CHECK(run.tax(0, 0, 0).tax.minor == 201);
        const MkLine towel = run.line(0, 1, 1);
        CHECK(billing::view(towel.description) == "Towel" && towel.kind == MK_LINE_CHARGE && towel.amount.minor == 300);
        CHECK(has(run.document_json(0, 1), R"("id":"m-1-20260501-1")"));
        mk::Error e = THROWS(MK_STATUS_INVALID_ARGUMENT, (void)run.document(0, 2));
        CHECK(has(e.what(), "document 2"));
        THROWS(MK_STATUS_INVALID_ARGUMENT, (void)run.line(0, 0, 3));
        THROWS(MK_STATUS_INVALID_ARGUMENT, (void)run.tax(1, 0, 0));
    }
    // The ledger moved to storage and back bills on from where it was.
    billing::Account restored = billing::Account::from_json(member.to_json());
    const billing::Run june = billing::bill_run(catalog, config, {&restored}, {&log}, date(2026, 6, 1));
    CHECK(june.summary().documents == 1 && billing::view(june.document(0, 0).id) == "m-1-20260601-1");
    THROWS(MK_STATUS_INVALID_ARGUMENT, (void)billing::bill_run(catalog, config, {&member, &member}, {&log, &log}, date(2026, 6, 1)));
    THROWS(MK_STATUS_INVALID_ARGUMENT, (void)billing::bill_run(catalog, config, {&member}, {}, date(2026, 6, 1)));
    THROWS(MK_STATUS_NULL_POINTER, (void)billing::bill_run(catalog, config, {&member}, {nullptr}, date(2026, 6, 1)));
    THROWS(MK_STATUS_INVALID_JSON, (void)billing::Account::from_json("{"));
}

const char POLICY[] =
    R"({"currency":"JPY","grace_days":3,"max_retries":1,"steps":[{"day":3,"action":"retry"},)"
    R"({"day":7,"action":"remind","channel":"email","template":"unpaid"},{"day":14,"action":"suspend"}]})";
const char ISSUE[] =
    R"({"type":"invoice_issued","invoice":"m-1","amount":{"amount":"8800","currency":"JPY"},"due":"2026-05-01"})";
const char FAIL_SOFT[] =
    R"({"type":"payment_failed","invoice":"m-1","amount":{"amount":"8800","currency":"JPY"},"decline":"soft"})";

void test_dunning() {
    mk::Error e = THROWS(MK_STATUS_INVALID_CONFIG,
                         mk::dunning::Policy(R"({"currency":"JPY","grace_days":7,"steps":[{"day":3,"action":"suspend"}]})"));
    CHECK(has(e.what(), "steps[0].day"));
    const mk::dunning::Policy policy(POLICY);
    std::string state;
    for (auto [command, at] : {std::pair{ISSUE, date(2026, 4, 25)}, std::pair{FAIL_SOFT, date(2026, 5, 1)}}) {
        state = mk::dunning::apply(state, policy.decide(state, command, at));
    }
    CHECK(has(mk::dunning::view(state), R"("unpaid_balance":{"amount":"8800","currency":"JPY"})"));
    CHECK(has(mk::dunning::view(nullptr), R"("unpaid_balance":null)"));
    CHECK(has(mk::dunning::open_invoices(state, date(2026, 5, 11)), R"("age_days":10)"));
    CHECK(has(policy.timeline(state, "en"), "Your membership will be suspended on 15 May 2026 unless ¥8,800 is paid."));
    CHECK(has(policy.timeline(state, "ja"), "8,800円のお支払いがない場合、2026年5月15日に会員資格を停止します。"));
    e = THROWS(MK_STATUS_INVALID_ARGUMENT, (void)policy.timeline(state, "fr"));
    CHECK(has(e.what(), "\"fr\""));
    const char unknown[] =
        R"({"type":"payment_succeeded","payment":"pay-1","invoice":"no-such","amount":{"amount":"8800","currency":"JPY"}})";
    e = THROWS(MK_STATUS_UNKNOWN_INVOICE, (void)policy.decide(state, unknown, date(2026, 5, 2)));
    CHECK(e.code() == "unknown_invoice");
    THROWS(MK_STATUS_COMMAND_REFUSED, (void)policy.decide(state, R"({"type":"advance"})", date(2026, 4, 30)));
    std::string suspended = policy.decide(state, R"({"type":"advance"})", date(2026, 5, 15));
    CHECK(mk::dunning::membership_commands(suspended) == R"([{"type":"mark_past_due"},{"type":"suspend"}])");
    THROWS(MK_STATUS_INVALID_JSON, (void)mk::dunning::apply(state, "{"));
}

// 2026-06-01T09:00:00+09:00
const std::int64_t JUNE_1_9AM = 1780272000;
const std::int32_t JST = 32400;
const char AT[] = "2026-06-01T09:00:00+09:00";

std::string session(const char *id, int day, int capacity) {
    char text[256];
    std::snprintf(text, sizeof text,
                  R"({"type":"schedule_session","session":{"id":"%s","start":"2026-06-%02dT10:00:00+09:00",)"
                  R"("end":"2026-06-%02dT11:00:00+09:00","capacity":%d}})",
                  id, day, day, capacity);
    return text;
}

std::string member(const std::string &id) {
    return R"({"type":"set_member","member":")" + id + R"(","eligibility":{"membership":{"from":"2026-04-01"}}})";
}

void test_booking() {
    mk::Error e = THROWS(MK_STATUS_INVALID_CONFIG, mk::booking::Rules(R"({"policies":{"default":{"max_party":0}}})"));
    CHECK(has(e.what(), "policies.default.max_party") && e.code() == "invalid_rules");
    const mk::booking::Rules rules;
    // The pure decider over a book as JSON.
    std::string book_json = mk::booking::apply(nullptr, rules.decide(nullptr, session("yoga", 10, 1), AT));
    book_json = mk::booking::apply(book_json, rules.decide(book_json, member("aiko"), AT));
    std::string booked = rules.decide(book_json, R"({"type":"book","session":"yoga","member":"aiko"})", AT);
    CHECK(has(booked, R"("type":"booked")"));
    book_json = mk::booking::apply(book_json, booked);
    e = THROWS(MK_STATUS_BOOKING_REFUSED,
               (void)rules.decide(book_json, R"({"type":"book","session":"yoga","member":"aiko"})", AT));
    CHECK(e.code() == "already_booked" && has(e.what(), "already booked"));
    THROWS(MK_STATUS_INVALID_DATE, (void)rules.decide(book_json, member("ben"), "2026-06-05 12:00"));

    // The book kept in process, from that JSON.
    const mk::booking::Book book(rules, book_json);
    CHECK(book.version() == 3);
    CHECK(!book.execute(member("ben"), AT).empty() && book.version() == 4);
    book.execute(member("chie"), AT, mk::booking::without_events);
    book.execute(session("spin", 11, 5), AT, mk::booking::without_events);
    mk::booking::Instant at{JUNE_1_9AM + 3600, JST};
    e = THROWS(MK_STATUS_BOOKING_REFUSED, (void)book.book("yoga", "ben", 1, at));
    CHECK(e.code() == "full" && has(e.what(), "0 seats free"));
    THROWS(MK_STATUS_UNKNOWN_SESSION, book.book("pilates", "ben", 1, at, mk::booking::without_events));
    THROWS(MK_STATUS_UNKNOWN_MEMBER, book.book("yoga", "zoe", 1, at, mk::booking::without_events));
    book.book("spin", "ben", 1, at, mk::booking::without_events);
    std::string waiting = book.join_waitlist("yoga", "ben", 1, mk::booking::Instant{at.unix_seconds + 60, JST});
    CHECK(has(waiting, R"("type":"waitlisted")") && has(waiting, R"("at":"2026-06-01T10:01:00+09:00")"));
    book.join_waitlist("yoga", "chie", 1, mk::booking::Instant{at.unix_seconds + 62, JST}, mk::booking::without_events);
    std::string promoted = book.cancel("yoga", "aiko", false, mk::booking::Instant{at.unix_seconds + 120, JST});
    CHECK(has(promoted, R"("type":"cancelled")") && has(promoted, R"("type":"promoted")") && has(promoted, R"("member":"ben")"));
    e = THROWS(MK_STATUS_BOOKING_REFUSED, book.cancel("yoga", "aiko", false, mk::booking::Instant{at.unix_seconds + 121, JST},
                                                      mk::booking::without_events));
    CHECK(e.code() == "not_booked");
    std::string view = book.session_view("yoga");
    CHECK(field(view, "seats") == R"([{"member":"ben","party":1,"checked_in":false,"no_show":false}])");
    CHECK(field(view, "waitlist") == R"([{"member":"chie","position":1,"party":1}])");
    CHECK(field(book.member_view("chie", AT), "waiting") == R"([["yoga",1]])");
    THROWS(MK_STATUS_UNKNOWN_MEMBER, (void)book.member_view("zoe", AT));
    // Check-in opens 30 minutes before the start (10:00 on June 10).
    std::int64_t june_10_10am = JUNE_1_9AM + 9 * 86400 + 3600;
    e = THROWS(MK_STATUS_BOOKING_REFUSED, book.check_in("yoga", "ben", mk::booking::Instant{june_10_10am - 3600, JST},
                                                        mk::booking::without_events));
    CHECK(e.code() == "check_in_not_open");
    CHECK(has(book.check_in("yoga", "ben", mk::booking::Instant{june_10_10am - 600, JST}), R"("type":"checked_in")"));
    // Staff cancel after the start; the instant at another offset.
    std::int64_t june_11_10am = june_10_10am + 86400;
    CHECK(has(book.cancel("spin", "ben", true, mk::booking::Instant{june_11_10am + 60, 0}), R"("by":"staff")"));

    // A snapshot reads back into a book with the same version.
    std::string snapshot = book.snapshot();
    const mk::booking::Book copy(mk::booking::Rules("{}"), snapshot);
    CHECK(copy.version() == book.version() && copy.snapshot() == snapshot);
}

// One Book shared by 4 threads through its const methods: never more seats than capacity.
void test_book_shared_by_threads() {
    const mk::booking::Book book{mk::booking::Rules()};
    book.execute(session("hiit", 12, 3), AT, mk::booking::without_events);
    for (int m = 0; m < 8; ++m) book.execute(member("m" + std::to_string(m)), AT, mk::booking::without_events);
    std::atomic<int> booked{0}, full{0}, other{0};
    std::atomic<std::int64_t> clock{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::string who = "m" + std::to_string((t * 2 + i) % 8);
                mk::booking::Instant at{JUNE_1_9AM + clock.fetch_add(1), JST};
                try {
                    if (i % 3 == 2) {
                        book.cancel("hiit", who, false, at, mk::booking::without_events);
                    } else {
                        book.book("hiit", who, 1, at, mk::booking::without_events);
                        ++booked;
                    }
                } catch (const mk::Error &e) {
                    bool expected = e.code() == "full" || e.code() == "already_booked" || e.code() == "not_booked" ||
                                    e.code() == "out_of_order";
                    ++(expected ? full : other);
                }
            }
        });
    }
    for (auto &thread : threads) thread.join();
    CHECK(other == 0 && booked > 0 && full > 0);
    std::string view = book.session_view("hiit");
    CHECK(std::stoi(field(view, "taken")) <= 3);
}

void test_intent() {
    const mk::intent::Model model = mk::intent::default_model();
    mk::intent::Classification c = model.classify("退会したいです");
    CHECK(c.intent == "cancel" && c.confidence > 0.5f && c.confidence <= 1.0f);
    CHECK(model.classify(std::string_view("What are your opening hours? (ignored)").substr(0, 28)).intent == "hours");
    THROWS(MK_STATUS_INVALID_UTF8, (void)model.classify("\xff"));
    std::vector<std::uint8_t> bytes = model.to_bytes();
    CHECK(bytes.size() > 4);
    const mk::intent::Model copy = mk::intent::from_bytes(bytes);
    CHECK(copy.classify("退会したいです").intent == "cancel");
    THROWS(MK_STATUS_INVALID_MODEL, mk::intent::from_bytes(bytes.data(), bytes.size() / 2));
    const char examples[] =
        R"([{"intent":"hours","text":"what time do you open"},{"intent":"hours","text":"営業時間"},)"
        R"({"intent":"cancel","text":"cancel my membership"},{"intent":"cancel","text":"退会したい"}])";
    const mk::intent::Model trained = mk::intent::train(examples, R"({"validation_fraction":0.0})");
    CHECK(trained.classify("when do you open").intent == "hours");
    THROWS(MK_STATUS_INVALID_TRAINING_DATA, mk::intent::train("[]"));
    THROWS(MK_STATUS_INVALID_CONFIG, mk::intent::train(examples, R"({"epochs":0})"));
    std::string slots = mk::intent::extract_slots("明日の18時半 taro@example.com", date(2026, 5, 1));
    CHECK(has(slots, "\"2026-05-02\"") && has(slots, "\"18:30:00\"") && has(slots, "taro@example.com"));
    std::string masked = mk::intent::mask("taro@example.com");
    CHECK(!masked.empty() && !has(masked, "taro@"));
    THROWS(MK_STATUS_INVALID_CONFIG, mk::intent::Router(model, R"({"clarify_below":3})"));
    const mk::intent::Router router(model);
    std::string decision = router.route(nullptr, "会員情報を確認したい", false, date(2026, 5, 1));
    CHECK(field(decision, "action") == R"({"action":"verify_identity"})");
    std::string next = router.route(field(decision, "conversation"), "担当者と話したいです", true, date(2026, 5, 1));
    CHECK(has(field(next, "action"), R"("action":"handover")"));
    THROWS(MK_STATUS_INVALID_JSON, (void)router.route("{", "hi", false, date(2026, 5, 1)));
}

const char CLUB[] =
    R"({"catalog":[{"id":"regular","name":"レギュラー","price":{"amount":"8800","currency":"JPY"},)"
    R"("price_includes_tax":true,"interval":{"unit":"month","count":1},"pause":{"min_months":1,"max_months":3,)"
    R"("max_per_year":2,"request_by_day_of_previous_month":10,"monthly_fee":{"amount":"550","currency":"JPY"}}}],)"
    R"("billing":{"collection":{"kind":"debit_day","day":27}}})";
const char HANAKO[] =
    R"({"identity":{"member_number":"1000001","email":"hanako@example.jp"},"membership":[{"type":"joined",)"
    R"("on":"2026-04-01","plan":"regular","applied_on":"2026-03-25","paid_from":"2026-04-01","admission_fee":null,)"
    R"("rejoin":false}]})";

void test_chat() {
    mk::Error e = THROWS(MK_STATUS_INVALID_CONFIG, mk::chat::Assistant(CLUB, R"({"verification":{"max_attempts":0}})"));
    CHECK(has(e.what(), "verification.max_attempts"));
    const mk::chat::Assistant bot(CLUB);
    const std::map<std::string, std::string> records{{"1000001", HANAKO}};
    auto lookup = [&](const std::optional<std::string> &number) -> std::optional<std::string> {
        auto found = number ? records.find(*number) : records.end();
        if (found == records.end()) return std::nullopt;
        return found->second;
    };
    const MkDate today = date(2026, 5, 6);
    std::string state, reply, step;
    for (const char *message : {"6月から2ヶ月休会したい", "会員番号1000001です", "hanako@example.jp", "はい"}) {
        mk::chat::Reading reading = bot.read(state, message, today);
        std::optional<std::string> record = lookup(reading.member_number());
        reply = bot.reply(std::move(reading), record);
        state = field(reply, "state");
        step = field(reply, "step");
        if (step == R"("ask_identity")") CHECK(!has(state, "hanako"));
    }
    CHECK(step == R"("confirmed")");
    CHECK(field(reply, "command") == R"({"type":"pause","from":"2026-06-01","until":"2026-08-01"})");
    // The host executes the confirmed command on the member's membership.
    const mk::membership::Catalog catalog(field(CLUB, "catalog"));
    std::string membership = mk::membership::apply(nullptr, field(HANAKO, "membership"));
    CHECK(has(catalog.decide(membership, field(reply, "command"), today), R"("type":"pause_scheduled")"));
    // No number yet: nullopt; a reading freed unreplied (the leak checks see it).
    mk::chat::Reading unreplied = bot.read(nullptr, "休会したい", today);
    CHECK(!unreplied.member_number().has_value());
    THROWS(MK_STATUS_INVALID_JSON, (void)bot.read(R"({"identity":{"verified":"yes"}})", "x", today));
    // A bad record: the reading is consumed all the same, and the error thrown.
    e = THROWS(MK_STATUS_INVALID_JSON, (void)bot.reply(bot.read(nullptr, "会員番号1000001 休会したい", today), "{\"identity\":{}}"));
    CHECK(e.code() == "invalid_json" && has(e.what(), "member_number"));
    // A moved-from reading passes NULL: the C API refuses it.
    mk::chat::Reading first = bot.read(nullptr, "休会したい", today);
    mk::chat::Reading second = std::move(first);
    THROWS(MK_STATUS_NULL_POINTER, (void)bot.reply(std::move(first), nullptr)); // NOLINT(bugprone-use-after-move)
    CHECK(has(bot.reply(std::move(second), nullptr), R"("step":"ask_identity")"));

    // With the booking book: the command for the host to execute, the book unchanged.
    const mk::intent::Model model = mk::intent::default_model();
    const mk::chat::Assistant booking_bot(model, CLUB, "{}");
    const mk::booking::Book book{mk::booking::Rules()};
    const char *now = "2026-05-06T09:00:00+09:00";
    book.execute(R"({"type":"schedule_session","session":{"id":"yoga-0507-10","capacity":5,"credits":1,)"
                 R"("start":"2026-05-07T10:00:00+09:00","end":"2026-05-07T11:00:00+09:00"}})",
                 now, mk::booking::without_events);
    book.execute(R"({"type":"set_member","member":"1000001","eligibility":{}})", now, mk::booking::without_events);
    book.execute(R"({"type":"add_pack","member":"1000001","pack":{"id":"p1","credits":5,)"
                 R"("expires":"2026-08-01T00:00:00+09:00","valid_for":[]}})",
                 now, mk::booking::without_events);
    std::uint64_t before = book.version();
    const char verified[] = R"({"identity":{"claimed":"1000001","verified":true}})";
    std::string booking = booking_bot.reply_in_book(booking_bot.read(verified, "明日10時のクラスを予約したい", today),
                                                    HANAKO, book, mk::booking::Instant{1778025600, JST});
    CHECK(field(booking, "step") == R"("confirm")");
    CHECK(field(booking, "command") == R"({"type":"book","session":"yoga-0507-10","member":"1000001","party":1})");
    CHECK(book.version() == before);
    THROWS(MK_STATUS_INVALID_ARGUMENT,
           (void)booking_bot.reply_in_book(booking_bot.read(verified, "x", today), nullptr, book, mk::booking::Instant{1778025600, 90000}));
}

} // namespace

int main() {
    const std::pair<const char *, void (*)()> tests[] = {
        {"errors and strings", test_errors_and_strings},
        {"money", test_money},
        {"calendar", test_calendar},
        {"membership", test_membership},
        {"billing", test_billing},
        {"billing run", test_billing_run},
        {"dunning", test_dunning},
        {"booking", test_booking},
        {"booking threads", test_book_shared_by_threads},
        {"intent", test_intent},
        {"chat", test_chat},
    };
    for (const auto &[name, test] : tests) {
        try {
            test();
        } catch (const std::exception &e) {
            ++failed;
            std::fprintf(stderr, "test_wrapper.cpp: %s threw: %s\n", name, e.what());
        }
    }
    std::printf("cpp wrapper: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
