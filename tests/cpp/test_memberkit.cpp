// C++17 use of memberkit's C API: the header compiles as C++, and a small
// RAII layer of the kind a host would write sits on top of it.
#include "memberkit.h"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

int passed = 0;
int failed = 0;

void check(bool cond, const char *what, int line) {
    if (cond) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "test_memberkit.cpp:%d: check failed: %s (last error: %s)\n", line, what,
                     mk_last_error_message());
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

struct MkError : std::runtime_error {
    MkStatus status;
    MkError(MkStatus s) : std::runtime_error(mk_last_error_message()), status(s) {}
};

void ok(MkStatus status) {
    if (status != MK_STATUS_OK) throw MkError(status);
}

struct StringDeleter {
    void operator()(char *s) const { mk_string_free(s); }
};
using MkString = std::unique_ptr<char, StringDeleter>;

std::string to_string(MkMoney m) {
    char *raw = nullptr;
    ok(mk_money_to_string(m, &raw));
    return MkString(raw).get();
}

std::vector<MkMoney> allocate(MkMoney total, std::int64_t parts) {
    std::vector<MkMoney> out(parts > 0 ? static_cast<std::size_t>(parts) : 0);
    ok(mk_money_allocate(total, parts, out.data(), out.size()));
    return out;
}

std::vector<MkDate> boundaries(MkSchedule s, MkPeriod range) {
    std::size_t needed = 0;
    MkStatus first = mk_schedule_boundaries(s, range, nullptr, 0, &needed);
    if (first != MK_STATUS_BUFFER_TOO_SMALL) ok(first);
    std::vector<MkDate> out(needed);
    ok(mk_schedule_boundaries(s, range, out.data(), out.size(), &needed));
    return out;
}

}  // namespace

int main() {
    const std::uint32_t JPY = 392;
    const std::uint32_t USD = 840;

    CHECK(to_string(MkMoney{-500, JPY}) == "-500 JPY");
    CHECK(to_string(MkMoney{1999, USD}) == "19.99 USD");

    auto parts = allocate(MkMoney{100, USD}, 3);
    CHECK(parts.size() == 3 && parts[0].minor == 34 && parts[1].minor == 33 && parts[2].minor == 33);

    try {
        allocate(MkMoney{100, USD}, -1);
        CHECK(false);
    } catch (const MkError &e) {
        CHECK(e.status == MK_STATUS_INVALID_ARGUMENT);
        CHECK(std::string(e.what()).find("parts") != std::string::npos);
    }

    MkSchedule quarterly{MkDate{2025, 11, 30}, MkInterval{MK_INTERVAL_UNIT_MONTH, 3}, 0};
    auto dates = boundaries(quarterly, MkPeriod{MkDate{2026, 1, 1}, MkDate{2027, 1, 1}});
    CHECK(dates.size() == 4);
    CHECK(dates.size() == 4 && dates[0].month == 2 && dates[0].day == 28 && dates[1].month == 5 && dates[1].day == 30);
    MkSchedule on_31st{};
    ok(mk_schedule_on_day(MkDate{2025, 11, 10}, MkInterval{MK_INTERVAL_UNIT_MONTH, 3}, 31, &on_31st));
    dates = boundaries(on_31st, MkPeriod{MkDate{2026, 1, 1}, MkDate{2027, 1, 1}});
    CHECK(dates.size() == 4 && dates[0].month == 2 && dates[0].day == 28 && dates[1].month == 5 && dates[1].day == 31);

    try {
        MkMoney sum{};
        ok(mk_money_add(MkMoney{1, JPY}, MkMoney{1, USD}, &sum));
        CHECK(false);
    } catch (const MkError &e) {
        CHECK(e.status == MK_STATUS_CURRENCY_MISMATCH);
    }
    mk_string_free(nullptr);

    std::printf("cpp: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
