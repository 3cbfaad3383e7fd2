//! Timestamps in RFC 3339 (UTC), the form listings and JSON output use.
//!
//! FILETIMEs come from archive headers: any `u64` must convert or be `None`.
#![warn(clippy::arithmetic_side_effects)]

use std::time::{Duration, SystemTime};

/// Formats `time` as `YYYY-MM-DDTHH:MM:SSZ`, on either side of 1970 (7z
/// and NTFS times count from 1601; humantime only formats times after
/// 1970 and panics on earlier ones). `None` past the years 0000–9999.
pub fn rfc3339(time: SystemTime) -> Option<String> {
    let seconds = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok()?,
        // Round towards the past, as `ls` does: 0.5 s before 1970 is 23:59:59.
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).ok()?;
            whole.checked_neg()?.checked_sub(i64::from(before.subsec_nanos() > 0))?
        }
    };
    let moment = ::time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    moment.format(&::time::format_description::well_known::Rfc3339).ok()
}

/// Converts a Windows FILETIME (100 ns ticks since 1601) to a `SystemTime`.
pub(crate) fn from_filetime(ticks: u64) -> Option<SystemTime> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const UNIX_EPOCH_TICKS: u64 = 116_444_736_000_000_000;
    // The remainder is below 10^7 ticks, so its nanoseconds fit a u32.
    let since = |ticks: u64| {
        let nanos = u32::try_from((ticks % TICKS_PER_SECOND).saturating_mul(100)).ok()?;
        Some(Duration::new(ticks / TICKS_PER_SECOND, nanos))
    };
    match ticks.checked_sub(UNIX_EPOCH_TICKS) {
        Some(after) => SystemTime::UNIX_EPOCH.checked_add(since(after)?),
        None => SystemTime::UNIX_EPOCH.checked_sub(since(UNIX_EPOCH_TICKS.checked_sub(ticks)?)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes_convert_both_sides_of_1970() {
        assert_eq!(from_filetime(116_444_736_000_000_000), Some(SystemTime::UNIX_EPOCH));
        assert_eq!(from_filetime(116_444_736_010_000_000), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1)));
        assert_eq!(from_filetime(116_444_735_990_000_000), SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(1)));
        // Header values at the ends of the range convert or are None, never a panic.
        assert_eq!(from_filetime(0), SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(11_644_473_600)));
        let far = from_filetime(u64::MAX);
        assert!(far.is_none_or(|t| t > SystemTime::UNIX_EPOCH));
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(rfc3339(from_filetime(0).unwrap()).as_deref(), Some("1601-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(SystemTime::UNIX_EPOCH - Duration::from_millis(500)).as_deref(),
            Some("1969-12-31T23:59:59Z")
        );
        // The largest FILETIME is no SystemTime on Windows (which counts in
        // an i64), and past what RFC 3339 can write on Unix: never a panic.
        assert!(from_filetime(u64::MAX).is_none_or(|far| rfc3339(far).is_none()));
    }
}
