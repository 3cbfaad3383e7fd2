//! Byte sizes as people write them (`4GiB`, `500MB`, `1024`) and as we print them,
//! and totals of sizes that may come from hostile headers.

/// Parses a size such as `4GiB`, `500MB`, `1.5 GB` or plain bytes.
///
/// Decimal units (`MB`) are powers of 1000 and binary units (`MiB`) powers of
/// 1024, as the `parse-size` crate reads them.
pub fn parse_size(text: &str) -> Result<u64, String> {
    parse_size::parse_size(text.trim())
        .map_err(|e| format!("{text:?} is not a size ({e}); write e.g. 4GiB, 500MB or 1048576"))
}

/// Formats bytes with a binary unit and the exact count, e.g.
/// `4 GiB (4294967296 bytes)`: the unit for reading, the count for scripts.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    // unit-prefix is what indicatif's `BinaryBytes` uses, so the library
    // prints `1.50 GiB` exactly as the progress bars do, without indicatif.
    #[allow(clippy::cast_precision_loss)] // two decimals are shown
    match unit_prefix::NumberPrefix::binary(bytes as f64) {
        unit_prefix::NumberPrefix::Standalone(number) => format!("{number:.0} B ({bytes} bytes)"),
        unit_prefix::NumberPrefix::Prefixed(prefix, number) => format!("{number:.2} {prefix}B ({bytes} bytes)"),
    }
}

/// The sum of `sizes`, stopping at `u64::MAX`. For progress totals only:
/// there a hostile header's sum makes a bar that never fills, which is
/// harmless, whereas a wrapped sum would finish the bar early.
pub(crate) fn saturating_total(sizes: impl IntoIterator<Item = u64>) -> u64 {
    sizes.into_iter().fold(0u64, u64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_units_the_cli_documents() {
        assert_eq!(parse_size("4GiB").unwrap(), 4 << 30);
        assert_eq!(parse_size("500MB").unwrap(), 500_000_000);
        assert_eq!(parse_size("1048576").unwrap(), 1 << 20);
        assert_eq!(parse_size("0").unwrap(), 0);
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn formats_with_exact_bytes() {
        assert_eq!(human_size(10), "10 bytes");
        assert_eq!(human_size(4 << 30), "4.00 GiB (4294967296 bytes)");
        assert_eq!(human_size(1536), "1.50 KiB (1536 bytes)");
        assert_eq!(human_size(1_500_000_000), "1.40 GiB (1500000000 bytes)");
        assert_eq!(human_size(1_500_000_000_000_000), "1.33 PiB (1500000000000000 bytes)");
        assert_eq!(human_size(u64::MAX), "16.00 EiB (18446744073709551615 bytes)");
    }

    #[test]
    fn progress_totals_of_hostile_sizes_saturate() {
        assert_eq!(saturating_total([u64::MAX - 1, 5, 7]), u64::MAX);
        assert_eq!(saturating_total([4, 5]), 9);
    }
}
