//! Day ranges as lists of disjoint periods: the arithmetic a run compares
//! what is owed with what was billed by.

use crate::calendar::Period;

/// Splits `items` after the leading run of items that are `same`.
pub(super) fn split_run<T>(items: &[T], same: impl Fn(&T) -> bool) -> (&[T], &[T]) {
    let run = items.iter().position(|item| !same(item));
    items.split_at(run.unwrap_or(items.len()))
}

/// The union of `pieces` as disjoint periods in order, touching ones merged.
pub(super) fn coalesce(mut pieces: Vec<Period>) -> Vec<Period> {
    pieces.sort();
    let mut out: Vec<Period> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match out.last_mut() {
            Some(last) if piece.start() <= last.end() => {
                if piece.end() > last.end() {
                    *last = Period::new(last.start(), piece.end()).unwrap_or(*last);
                }
            }
            _ => out.push(piece),
        }
    }
    out
}

/// `a` minus `b`, both disjoint periods in order (as [`coalesce`] makes
/// them), as disjoint periods in order.
pub(super) fn subtract(a: &[Period], b: &[Period]) -> Vec<Period> {
    let mut out = Vec::new();
    for piece in a {
        let mut from = piece.start();
        for cut in b {
            if cut.end() <= from || cut.start() >= piece.end() {
                continue;
            }
            if let Ok(left) = Period::new(from, cut.start()) {
                out.push(left);
            }
            from = cut.end();
        }
        if let Ok(rest) = Period::new(from, piece.end()) {
            out.push(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;

    fn days(from: u32, until: u32) -> Period {
        Period::new(date(2026, 4, from).unwrap(), date(2026, 4, until).unwrap()).unwrap()
    }

    #[test]
    fn unions_and_differences_keep_every_day_once() {
        let union = coalesce(vec![days(10, 15), days(1, 5), days(5, 8)]);
        assert_eq!(union, [days(1, 8), days(10, 15)]);
        assert_eq!(subtract(&union, &[days(3, 12)]), [days(1, 3), days(12, 15)]);
        let (run, rest) = split_run(&[1, 1, 2, 1], |n| *n == 1);
        assert_eq!((run, rest), (&[1, 1][..], &[2, 1][..]));
    }
}
