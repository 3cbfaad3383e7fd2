//! The flags the library's messages point at: the binary's names for
//! [`airlock::Hint`], given to the library once at start-up.

use airlock::Hint;

/// The command-line spelling of `hint`, as it reads inside a message.
pub fn flag(hint: Hint) -> Option<&'static str> {
    Some(match hint {
        Hint::Rerecord => "pass --rerecord",
        Hint::DeepVerify => "run verify --deep",
        Hint::SignedManifest => "(manifest --sign, verify --trust)",
        Hint::AddedAsRoot => "added with --root",
        Hint::AddRoot => "with --root FILE",
        Hint::RootForm => "--root takes",
        Hint::Signer => "--signer",
        Hint::Proxy => "--proxy",
        Hint::CaFile => "--ca-file",
        Hint::TrustOption => " (--trust)",
        Hint::ManifestOption => " (--manifest)",
        Hint::SignManifest => "`airlock manifest --sign` or `minisign -S`",
        Hint::Overwrite => "pass --overwrite always or --overwrite if-different",
        Hint::Include => "--include ",
        Hint::Retries => "raise --retries/--timeout",
        Hint::Component => "--component",
        Hint::Task => "--task",
        Hint::Language => "--language",
        Hint::Password => "pass the password with --password or AIRLOCK_PASSWORD",
        Hint::PasswordOrFile => {
            "pass it with --password, --password-file FILE or the AIRLOCK_PASSWORD environment variable"
        }
        Hint::Exclude => "with --exclude",
        Hint::CollisionsRename => "pass --collisions rename",
        Hint::CollisionsKeepLast => "--collisions keep-last",
        Hint::ManifestFile => " (--manifest FILE)",
        Hint::RecordManifest => " with `airlock manifest SET -o FILE`",
        Hint::OtherDest => "pass -d",
        Hint::Deep => "add --deep",
        Hint::DestOption => " (-d)",
        Hint::KeyPassword => "set AIRLOCK_KEY_PASSWORD",
        Hint::ListPayload => "`airlock list SET`",
        // A hint added to the library but not here reads as its prose.
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hint_names_a_flag() {
        for &hint in Hint::ALL {
            let flag = flag(hint).unwrap_or_else(|| panic!("{hint:?} has no flag in the binary"));
            // A flag, an environment variable or a command line of airlock.
            let named = flag.contains("--")
                || flag.contains("-d")
                || flag.contains(" -o ")
                || flag.contains("AIRLOCK_")
                || flag.contains("`airlock ");
            assert!(named, "{hint:?}: {flag}");
            assert_ne!(flag, hint.prose(), "{hint:?}");
        }
    }
}
