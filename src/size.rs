//! Byte sizes as people write them (`4GiB`, `500MB`, `1024`) and as we print them.

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
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    format!("{} ({bytes} bytes)", indicatif::BinaryBytes(bytes))
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
        assert_eq!(human(10), "10 bytes");
        assert_eq!(human(4 << 30), "4.00 GiB (4294967296 bytes)");
        assert_eq!(human(1536), "1.50 KiB (1536 bytes)");
    }
}
