//! Timestamps in RFC 3339 (UTC), the form listings and JSON output use.

use std::time::SystemTime;

/// Formats `time` as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}
