//! Which parts make the set, and where each is: from the URLs given, the
//! installer's own header, a 7z start header, or by probing.
//!
//! Parts sit in the same URL folder as the one URL given, under the names the
//! set's scheme gives them; the URL's query string (a CDN's signature or
//! token) is kept for each. Part names come from the URL's last path segment,
//! percent-decoded, and must be plain file names: a URL cannot make airlock
//! write outside the download folder.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::vocab::error::{Error, Result};

/// Bytes escaped when a part name is put back into a URL path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// How many parts probing looks for at most.
pub(crate) const PROBE_LIMIT: u32 = 999;

/// A URL split around its file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PartUrl {
    /// Everything up to and including the last `/` of the path.
    folder: String,
    /// `?…` or empty.
    query: String,
    /// The decoded file name.
    pub name: String,
}

impl PartUrl {
    /// Splits `url`: `http`/`https` only, a file name at the end of the path.
    /// The URL is parsed by `http::Uri` (RFC 3986, the parser ureq sends
    /// with), so what is split here is what is requested.
    pub(crate) fn parse(url: &str) -> Result<PartUrl> {
        let bad = |reason: &str| Error::Argument { what: url.to_owned(), reason: reason.to_owned() };
        let without_fragment = url.split('#').next().unwrap_or(url);
        let uri: ureq::http::Uri = without_fragment
            .parse()
            .map_err(|e| bad(&format!("is not a URL ({e}); characters such as spaces must be percent-encoded")))?;
        match uri.scheme_str() {
            Some(scheme) if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") => {}
            _ => return Err(bad("not an http:// or https:// URL")),
        }
        let authority = uri.authority().filter(|a| !a.host().is_empty()).ok_or_else(|| bad("has no host"))?;
        // `http::Uri` reads a missing path as `/`: only the text tells them apart.
        let after_authority =
            without_fragment.split_once("://").map_or("", |(_, rest)| &rest[authority.as_str().len()..]);
        if !after_authority.starts_with('/') {
            return Err(bad("names no file (the URL has no path); give the URL of the installer or part itself"));
        }
        let path = uri.path();
        let (folder_path, encoded) = path.rsplit_once('/').map_or(("", path), |(folder, name)| (folder, name));
        let name = percent_decode_str(encoded)
            .decode_utf8()
            .map_err(|_| bad("its file name is not UTF-8 once decoded"))?
            .into_owned();
        check_name(&name).map_err(|reason| bad(&reason))?;
        let scheme = uri.scheme_str().unwrap_or("http").to_ascii_lowercase();
        Ok(PartUrl {
            folder: format!("{scheme}://{authority}{folder_path}/"),
            query: uri.query().map(|q| format!("?{q}")).unwrap_or_default(),
            name,
        })
    }

    /// The URL of the file at `relative` (`/`-separated) below the same
    /// folder, each name escaped, with the same query string.
    pub(crate) fn sibling_path(&self, relative: &str) -> String {
        let escaped: Vec<String> = relative.split('/').map(|n| utf8_percent_encode(n, SEGMENT).to_string()).collect();
        format!("{}{}{}", self.folder, escaped.join("/"), self.query)
    }

    /// The URL of `name` in the same folder, with the same query string.
    pub(crate) fn sibling(&self, name: &str) -> String {
        format!("{}{}{}", self.folder, utf8_percent_encode(name, SEGMENT), self.query)
    }
}

/// Refuses names that are not one plain file name on Linux and Windows.
fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("names a folder, not a file; give the URL of the installer or part itself".to_owned());
    }
    if name == "." || name == ".." || name.contains(['/', '\\', ':', '\0']) || name.chars().any(char::is_control) {
        return Err(format!(
            "its file name {name:?} is not a plain file name; airlock writes only plain names into -d"
        ));
    }
    Ok(())
}

/// The name of Inno Setup slice `index` (from 0): `BASE-N.bin` with one slice
/// per disk, `BASE-Na.bin`, `BASE-Nb.bin` … with several.
pub(crate) fn inno_slice_name(base: &str, index: u32, slices_per_disk: u32) -> String {
    if slices_per_disk <= 1 {
        return format!("{base}-{}.bin", u64::from(index) + 1);
    }
    let disk = u64::from(index / slices_per_disk) + 1;
    let letter = (b'a' + (index % slices_per_disk).min(25) as u8) as char;
    format!("{base}-{disk}{letter}.bin")
}

/// How a name continues when probing for more parts: `NAME.exe` →
/// `NAME-1.bin`…, `NAME.zip.001` → `NAME.zip.002`…. `None` for names with no
/// numbered continuation.
pub(crate) fn numbered_family(name: &str) -> Option<Family> {
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".exe").map(|s| &name[..s.len()]) {
        return Some(Family::Slices { base: stem.to_owned() });
    }
    let (stem, ext) = name.rsplit_once('.')?;
    if ext.len() == 3 && ext.bytes().all(|b| b.is_ascii_digit()) && ext.parse::<u32>().ok()? == 1 {
        return Some(Family::Volumes { base: stem.to_owned() });
    }
    None
}

/// A numbered family of part names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    /// `BASE-1.bin`, `BASE-2.bin` …
    Slices { base: String },
    /// `BASE.001`, `BASE.002` …
    Volumes { base: String },
}

impl Family {
    /// The name of member `number` (slices from 1; volumes from 1, `.001`).
    pub(crate) fn member(&self, number: u32) -> String {
        match self {
            Family::Slices { base } => format!("{base}-{number}.bin"),
            Family::Volumes { base } => format!("{base}.{number:03}"),
        }
    }
}

/// How many equal volumes of `volume_size` bytes hold an archive of `length` bytes.
pub(crate) fn volume_count(length: u64, volume_size: u64) -> Option<u32> {
    if volume_size == 0 || length == 0 {
        return None;
    }
    u32::try_from(length.div_ceil(volume_size)).ok().filter(|n| *n <= PROBE_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_keep_the_folder_and_the_query() {
        let url = PartUrl::parse("https://cdn.example/dl/v2/Micro%20Soft.exe?sig=abc&e=1#frag").unwrap();
        assert_eq!(url.name, "Micro Soft.exe");
        assert_eq!(url.sibling("Micro Soft-1.bin"), "https://cdn.example/dl/v2/Micro%20Soft-1.bin?sig=abc&e=1");
        let plain = PartUrl::parse("http://127.0.0.1:8080/N.7z.001").unwrap();
        assert_eq!(plain.sibling("N.7z.002"), "http://127.0.0.1:8080/N.7z.002");
    }

    #[test]
    fn urls_that_name_no_plain_file_are_refused() {
        for bad in [
            "ftp://h/x.exe",
            "http://h",
            "http:///x.exe",
            "http://h/dir/",
            "http://h/%2e%2e",
            "http://h/a%2Fb.exe",
            "http://h/a%5Cb.exe",
            "http://h/C%3Ax.exe",
            "http://h/%00.exe",
            "http://h/%ff.exe",
            "http://h/a b.exe",
        ] {
            assert!(PartUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slice_and_volume_names() {
        assert_eq!(inno_slice_name("N", 0, 1), "N-1.bin");
        assert_eq!(inno_slice_name("N", 9, 1), "N-10.bin");
        assert_eq!(inno_slice_name("N", 0, 2), "N-1a.bin");
        assert_eq!(inno_slice_name("N", 3, 2), "N-2b.bin");
        assert_eq!(numbered_family("Set.EXE").unwrap().member(2), "Set-2.bin");
        assert_eq!(numbered_family("Set.zip.001").unwrap().member(12), "Set.zip.012");
        assert_eq!(numbered_family("Set.zip.002"), None);
        assert_eq!(numbered_family("Set.zip"), None);
        assert_eq!(volume_count(1000, 300), Some(4));
        assert_eq!(volume_count(900, 300), Some(3));
        assert_eq!(volume_count(1000, 0), None);
        assert_eq!(volume_count(u64::MAX, 1), None);
    }
}
