//! Timestamps in RFC 3339 (UTC), the form listings and JSON output use.

use std::time::{Duration, SystemTime};

/// Formats `time` as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Converts a Windows FILETIME (100 ns ticks since 1601) to a `SystemTime`.
pub(crate) fn from_filetime(ticks: u64) -> Option<SystemTime> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const UNIX_EPOCH_TICKS: u64 = 116_444_736_000_000_000;
    let since = |ticks: u64| Duration::new(ticks / TICKS_PER_SECOND, ((ticks % TICKS_PER_SECOND) * 100) as u32);
    if ticks >= UNIX_EPOCH_TICKS {
        SystemTime::UNIX_EPOCH.checked_add(since(ticks - UNIX_EPOCH_TICKS))
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(since(UNIX_EPOCH_TICKS - ticks))
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
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)), "2023-11-14T22:13:20Z");
    }
}
