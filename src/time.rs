//! Timestamps in RFC 3339 (UTC), the form listings and JSON output use.
//!
//! FILETIMEs come from archive headers: any `u64` must convert or be `None`.
#![warn(clippy::arithmetic_side_effects)]

use std::time::{Duration, SystemTime};

/// Formats `time` as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
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
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)), "2023-11-14T22:13:20Z");
    }
}
