//! Numbers, times and text as the table writes them. Every time is written by [`format_us`], so
//! the table, the histogram and the `--expect` lines agree on units.

use std::borrow::Cow;

/// A time given in microseconds, for people: `850µs` under a millisecond, `1.23ms` under a
/// second, `2.50s` from then on.
pub fn format_us(us: u64) -> String {
    if us < 1_000 {
        return format!("{us}µs");
    }
    // Rounded to hundredths first, so that 999.996ms is written 1.00s, not 1000.00ms.
    let centi_ms = us / 10 + u64::from(us % 10 >= 5);
    if centi_ms < 100_000 {
        return format!("{}.{:02}ms", centi_ms / 100, centi_ms % 100);
    }
    let centi_s = us / 10_000 + u64::from(us % 10_000 >= 5_000);
    format!("{}.{:02}s", centi_s / 100, centi_s % 100)
}

/// A time in fractional microseconds (a mean), rounded to the microsecond.
pub(super) fn format_mean_us(us: f64) -> String {
    if us.is_finite() && us >= 0.0 {
        // `as` saturates: a mean beyond u64 is written as the largest time.
        format_us(us.round() as u64)
    } else {
        "-".to_owned()
    }
}

/// A rate per second, to a tenth.
pub(super) fn format_rate(rate: f64) -> String {
    if rate.is_finite() {
        format!("{rate:.1}")
    } else {
        "-".to_owned()
    }
}

/// A number as asked for (`--rps 2000`, `--rps 0.5`): no decimals when it is whole.
pub(super) fn format_number(number: f64) -> String {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else if number.is_finite() {
        number.to_string()
    } else {
        "-".to_owned()
    }
}

/// A share from 0 to 1, as a percentage to a hundredth.
pub(super) fn format_percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// Text from the server or the command line on one line: control characters (newlines,
/// escapes) are written escaped, so they can neither break the table nor drive the terminal.
pub(super) fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

pub(super) fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_for_people() {
        assert_eq!(format_us(0), "0µs");
        assert_eq!(format_us(850), "850µs");
        assert_eq!(format_us(999), "999µs");
        assert_eq!(format_us(1_000), "1.00ms");
        assert_eq!(format_us(1_234), "1.23ms");
        assert_eq!(format_us(1_235), "1.24ms");
        assert_eq!(format_us(999_994), "999.99ms");
        assert_eq!(format_us(999_995), "1.00s");
        assert_eq!(format_us(2_500_000), "2.50s");
        assert_eq!(format_us(90_000_000), "90.00s");
        assert_eq!(format_us(u64::MAX), "18446744073709.55s");
    }
}
