//! Money entry points: currencies, checked arithmetic, rounding, allocation.

use crate::error::{Failure, MkStatus};
use crate::strings::{read_str, write_out, write_string};
use memberkit::money::{Currency, Money, RoundingMode};
use rust_decimal::Decimal;
use std::ffi::c_char;

/// An amount of money: a whole number of minor units (yen, cents) of an
/// ISO 4217 currency given by its numeric code (392 JPY, 840 USD, 978 EUR).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkMoney {
    /// The amount in minor units; negative for credits.
    pub minor: i64,
    /// The ISO 4217 numeric currency code.
    pub currency: u32,
}

/// How an exact amount is rounded to minor units: one of the MK_ROUNDING_* values.
pub type MkRounding = u32;
/// Toward negative infinity (切り捨て for positive amounts).
pub const MK_ROUNDING_FLOOR: MkRounding = 0;
/// Toward positive infinity (切り上げ for positive amounts).
pub const MK_ROUNDING_CEILING: MkRounding = 1;
/// To the nearest, halves away from zero (四捨五入).
pub const MK_ROUNDING_HALF_UP: MkRounding = 2;
/// To the nearest, halves to even (banker's rounding).
pub const MK_ROUNDING_HALF_EVEN: MkRounding = 3;
/// Toward zero.
pub const MK_ROUNDING_TOWARD_ZERO: MkRounding = 4;
/// Away from zero.
pub const MK_ROUNDING_AWAY_FROM_ZERO: MkRounding = 5;

pub(crate) fn rounding(mode: MkRounding) -> Result<RoundingMode, Failure> {
    RoundingMode::ALL
        .get(mode as usize)
        .copied()
        .ok_or_else(|| {
            Failure::new(
                MkStatus::InvalidArgument,
                format!("unknown rounding mode {mode}"),
            )
        })
}

fn currency(numeric: u32) -> Result<Currency, Failure> {
    Ok(Currency::from_numeric(numeric)?)
}

pub(crate) fn to_core(money: MkMoney) -> Result<Money, Failure> {
    Ok(Money::from_minor(money.minor, currency(money.currency)?))
}

pub(crate) fn to_c(money: Money) -> Result<MkMoney, Failure> {
    Ok(MkMoney {
        minor: money.to_minor()?,
        currency: money.currency().numeric(),
    })
}

/// Looks up a currency by its alphabetic ISO 4217 code ("JPY") and writes its
/// numeric code (392) to `out_currency`.
///
/// # Safety
/// `code` is a NUL-terminated string; `out_currency` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_currency_from_code(
    code: *const c_char,
    out_currency: *mut u32,
) -> MkStatus {
    entry!({
        let code = unsafe { read_str(code, "code") }?;
        let found = Currency::from_code(code)?;
        unsafe { write_out(out_currency, "out_currency", found.numeric()) }
    })
}

/// Writes the number of decimal places of the minor unit of `currency_code` (0 for JPY,
/// 2 for USD) to `out_minor_units`.
///
/// # Safety
/// `out_minor_units` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_currency_minor_units(
    currency_code: u32,
    out_minor_units: *mut u32,
) -> MkStatus {
    entry!({
        let found = currency(currency_code)?;
        unsafe { write_out(out_minor_units, "out_minor_units", found.minor_units()) }
    })
}

/// Adds two amounts of one currency; MK_STATUS_CURRENCY_MISMATCH when they differ.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_add(a: MkMoney, b: MkMoney, out: *mut MkMoney) -> MkStatus {
    entry!({
        let sum = to_core(a)?.checked_add(to_core(b)?)?;
        unsafe { write_out(out, "out", to_c(sum)?) }
    })
}

/// Subtracts `b` from `a`; MK_STATUS_CURRENCY_MISMATCH when the currencies differ.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_sub(a: MkMoney, b: MkMoney, out: *mut MkMoney) -> MkStatus {
    entry!({
        let difference = to_core(a)?.checked_sub(to_core(b)?)?;
        unsafe { write_out(out, "out", to_c(difference)?) }
    })
}

/// Rounds an exact decimal amount written as text ("1774.19", "-0.005") to
/// the minor unit of `currency_code` with `rounding_mode` (an MK_ROUNDING_*
/// value), writing the result to `out`.
///
/// # Safety
/// `amount` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_round(
    amount: *const c_char,
    currency_code: u32,
    rounding_mode: MkRounding,
    out: *mut MkMoney,
) -> MkStatus {
    entry!({
        let text = unsafe { read_str(amount, "amount") }?;
        let exact: Decimal = text.parse().map_err(|_| {
            Failure::new(
                MkStatus::InvalidArgument,
                format!("amount {text:?} is not a decimal number"),
            )
        })?;
        let rounded = Money::round(exact, currency(currency_code)?, rounding(rounding_mode)?);
        unsafe { write_out(out, "out", to_c(rounded)?) }
    })
}

/// Splits `total` into `parts` amounts that differ by at most one minor unit
/// and sum exactly to `total` (the first parts get the extra units), writing
/// them to `out_parts`, which must hold `parts` elements (`out_len`).
///
/// # Safety
/// `out_parts` is writable for `out_len` elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_allocate(
    total: MkMoney,
    parts: i64,
    out_parts: *mut MkMoney,
    out_len: usize,
) -> MkStatus {
    entry!({
        let parts: usize = memberkit::count("parts", parts)?;
        let split = to_core(total)?.allocate(parts)?;
        unsafe { write_all(out_parts, out_len, &split) }
    })
}

/// Splits `total` in proportion to `weights` (`count` non-negative integers,
/// not all zero) by the largest-remainder method; the parts sum exactly to
/// `total` and are written to `out_parts`, which holds `count` elements.
///
/// # Safety
/// `weights` is readable and `out_parts` writable for `count` elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_allocate_weights(
    total: MkMoney,
    weights: *const i64,
    count: usize,
    out_parts: *mut MkMoney,
) -> MkStatus {
    entry!({
        if weights.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "weights is NULL"));
        }
        // SAFETY: non-null and readable for `count` elements by contract.
        let weights = unsafe { std::slice::from_raw_parts(weights, count) };
        let ratios: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        let split = to_core(total)?.allocate_by_ratios(&ratios)?;
        unsafe { write_all(out_parts, count, &split) }
    })
}

/// Writes `money` as text, e.g. "12.50 USD" or "-500 JPY", to `*out`; free it
/// with mk_string_free.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_money_to_string(money: MkMoney, out: *mut *mut c_char) -> MkStatus {
    entry!({
        let text = to_core(money)?.to_string();
        unsafe { write_string(out, "out", text) }
    })
}

/// Writes every part, after checking the buffer holds them all.
///
/// # Safety
/// `out` is NULL or writable for `out_len` elements.
unsafe fn write_all(out: *mut MkMoney, out_len: usize, parts: &[Money]) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::new(MkStatus::NullPointer, "out_parts is NULL"));
    }
    if out_len < parts.len() {
        return Err(Failure::new(
            MkStatus::BufferTooSmall,
            format!(
                "out_parts holds {out_len} amounts but {} are needed",
                parts.len()
            ),
        ));
    }
    let converted = parts
        .iter()
        .map(|m| to_c(*m))
        .collect::<Result<Vec<_>, _>>()?;
    // SAFETY: non-null, writable for `out_len >= converted.len()` elements.
    unsafe { std::ptr::copy_nonoverlapping(converted.as_ptr(), out, converted.len()) };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPY: u32 = 392;
    const USD: u32 = 840;

    #[test]
    fn rounding_constants_follow_the_core_order() {
        let names: Vec<&str> = (MK_ROUNDING_FLOOR..=MK_ROUNDING_AWAY_FROM_ZERO)
            .map(|m| rounding(m).unwrap().name())
            .collect();
        assert_eq!(
            names,
            [
                "floor",
                "ceiling",
                "half_up",
                "half_even",
                "toward_zero",
                "away_from_zero"
            ]
        );
        assert!(rounding(6).is_err());
    }

    #[test]
    fn outputs_stay_untouched_on_failure() {
        let mut out = MkMoney {
            minor: 7,
            currency: 7,
        };
        let status = unsafe {
            mk_money_add(
                MkMoney {
                    minor: 1,
                    currency: JPY,
                },
                MkMoney {
                    minor: 1,
                    currency: USD,
                },
                &mut out,
            )
        };
        assert_eq!(status, MkStatus::CurrencyMismatch);
        assert_eq!(
            out,
            MkMoney {
                minor: 7,
                currency: 7
            }
        );
    }
}
