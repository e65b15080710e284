//! memberkit's main demo: what the library does so far, shown plainly.
//! Run it with `scripts/demo.sh` (or `cargo run -p memberkit --example demo`).

use memberkit::calendar::{Interval, Period, Schedule, date};
use memberkit::money::{Currency, Money, RoundingMode};
use rust_decimal::Decimal;

fn main() -> Result<(), memberkit::Error> {
    println!("memberkit {} — demo\n", env!("CARGO_PKG_VERSION"));

    println!("1. A monthly plan billed on the 31st (short months clamp, then it comes back):");
    let monthly = Schedule::new(date(2026, 1, 31)?, Interval::months(1)?);
    let first_half = Period::new(date(2026, 1, 31)?, date(2026, 7, 1)?)?;
    for (n, period) in monthly.periods(first_half)?.enumerate() {
        println!("   period {}  {}  {:>2} days", n + 1, period, period.days());
    }

    println!(
        "\n2. A yearly plan started on a leap day renews on Feb 28, and on Feb 29 in leap years:"
    );
    let yearly = Schedule::new(date(2024, 2, 29)?, Interval::years(1)?);
    let renewals: Vec<String> = yearly
        .boundaries(Period::new(date(2024, 3, 1)?, date(2032, 3, 1)?)?)?
        .map(|d| d.to_string())
        .collect();
    println!("   {}", renewals.join(", "));

    println!("\n3. The next billing date, asked on a few days, for a plan billed on the 15th:");
    let fifteenth = Schedule::new(date(2026, 1, 15)?, Interval::months(1)?);
    for asked in [date(2026, 3, 14)?, date(2026, 3, 15)?, date(2026, 12, 20)?] {
        println!(
            "   asked on {asked}: next billing {}",
            fifteenth.next_after(asked)?
        );
    }

    println!("\n4. An exact amount is rounded once, with a named mode (¥5,500 × 10/31 days):");
    let exact = Decimal::from(5_500) * Decimal::from(10) / Decimal::from(31);
    for mode in [
        RoundingMode::Floor,
        RoundingMode::HalfUp,
        RoundingMode::Ceiling,
    ] {
        println!(
            "   {:<8} {:.6} → {}",
            mode.name(),
            exact,
            yen(Money::round(exact, Currency::JPY, mode))
        );
    }

    println!("\n5. Splitting money never loses or creates a yen or a cent:");
    let family = Money::from_minor(10_000, Currency::JPY);
    let shares = family.allocate(3)?;
    println!(
        "   {} among 3 family members: {}",
        yen(family),
        list(&shares, yen)
    );
    let contract = Money::from_minor(100_000, Currency::JPY);
    let ratios = [5, 3, 1].map(Decimal::from);
    let by_headcount = contract.allocate_by_ratios(&ratios)?;
    println!(
        "   {} across branches by headcount 5:3:1: {}",
        yen(contract),
        list(&by_headcount, yen)
    );
    let dollars = Money::from_minor(10_000, Currency::USD);
    let thirds = dollars.allocate(3)?;
    println!(
        "   {dollars} in three installments: {}",
        list(&thirds, |m| m.to_string())
    );

    println!("\n6. Bad input is a typed error, never a panic:");
    let mixed =
        Money::from_minor(100, Currency::JPY).checked_add(Money::from_minor(100, Currency::USD));
    println!("   ¥100 + $1.00      → {}", mixed.unwrap_err());
    println!("   2026-02-30        → {}", date(2026, 2, 30).unwrap_err());
    println!(
        "   every 0 months    → {}",
        Interval::months(0).unwrap_err()
    );
    println!(
        "   currency \"XYZ\"    → {}",
        "XYZ".parse::<Currency>().unwrap_err()
    );
    Ok(())
}

/// ¥12,345 with thousands separators.
fn yen(money: Money) -> String {
    let digits = money.amount().abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if money.is_negative() { "-" } else { "" };
    format!("{sign}¥{grouped}")
}

fn list(parts: &[Money], show: impl Fn(Money) -> String) -> String {
    let total = parts
        .iter()
        .try_fold(Money::zero(parts[0].currency()), |acc, m| {
            acc.checked_add(*m)
        });
    let shown: Vec<String> = parts.iter().map(|m| show(*m)).collect();
    format!(
        "{} (sum {})",
        shown.join(" + "),
        total.map(show).unwrap_or_default()
    )
}
