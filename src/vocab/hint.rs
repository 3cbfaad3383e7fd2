//! The places where a message points at something the user can set or do,
//! named by the front end.
//!
//! The library's messages describe the problem and what would fix it, but
//! they cannot know how the program around them spells that fix: the
//! `airlock` binary says `pass --rerecord`, a deployment tool's form might
//! say "tick Re-record". So every such place in a message is a [`Hint`],
//! worded in plain prose by default ("record the manifest anew"). A front end
//! names the hints once, at start-up, with [`name_hints`]; from then on every
//! message, report line and error the library builds uses its names. The
//! library itself never names a command-line flag.

use std::fmt;
use std::sync::OnceLock;

/// One thing a message can point the user at.
///
/// Its [`Display`](fmt::Display) is the front end's name for it when one was
/// given with [`name_hints`], else [`Hint::prose`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hint {
    /// Record a new manifest although the parts no longer match the old one.
    Rerecord,
    /// Verify the payload's files, not only the parts.
    DeepVerify,
    /// Check the parts against a signed manifest (how to make and check one),
    /// in parentheses.
    SignedManifest,
    /// "added" as a trusted root certificate (after "a root you have not").
    AddedAsRoot,
    /// How to add a trusted root certificate (after "add it").
    AddRoot,
    /// What a trusted root certificate must be (before "a certificate file").
    RootForm,
    /// The signer the installer must be signed by.
    Signer,
    /// The HTTP proxy.
    Proxy,
    /// The file of CA certificates for HTTPS.
    CaFile,
    /// Where the public key came from (after "the public key").
    TrustOption,
    /// Where the manifest came from (after "the manifest").
    ManifestOption,
    /// How to sign a manifest (after "sign it with").
    SignManifest,
    /// Allow overwriting files in the destination.
    Overwrite,
    /// An include pattern (before the quoted pattern).
    Include,
    /// Allow more download attempts or a longer timeout.
    Retries,
    /// An Inno Setup component (before its name).
    Component,
    /// An Inno Setup task (before its name).
    Task,
    /// An Inno Setup language (before its name).
    Language,
    /// Give the password of an encrypted archive.
    Password,
    /// Give the password of an encrypted installer (its own wording).
    PasswordOrFile,
    /// Leave an entry out of the extraction (after "exclude it").
    Exclude,
    /// Keep both entries for one path, renaming the later.
    CollisionsRename,
    /// Keep only the later entry for one path.
    CollisionsKeepLast,
    /// Use another manifest (after "a manifest that lists every part").
    ManifestFile,
    /// How to record a manifest (after "record one").
    RecordManifest,
    /// Extract into another folder (before "a folder").
    OtherDest,
    /// Ask the same verification to decode the payload too (before ", or").
    Deep,
    /// Where the destination folder was given (after "the destination",
    /// "an empty folder").
    DestOption,
    /// Give the password of a protected minisign secret key.
    KeyPassword,
    /// What lists a payload's entry paths (before "shows").
    ListPayload,
}

impl Hint {
    /// Every hint, in declaration order.
    pub const ALL: &[Hint] = &[
        Hint::Rerecord,
        Hint::DeepVerify,
        Hint::SignedManifest,
        Hint::AddedAsRoot,
        Hint::AddRoot,
        Hint::RootForm,
        Hint::Signer,
        Hint::Proxy,
        Hint::CaFile,
        Hint::TrustOption,
        Hint::ManifestOption,
        Hint::SignManifest,
        Hint::Overwrite,
        Hint::Include,
        Hint::Retries,
        Hint::Component,
        Hint::Task,
        Hint::Language,
        Hint::Password,
        Hint::PasswordOrFile,
        Hint::Exclude,
        Hint::CollisionsRename,
        Hint::CollisionsKeepLast,
        Hint::ManifestFile,
        Hint::RecordManifest,
        Hint::OtherDest,
        Hint::Deep,
        Hint::DestOption,
        Hint::KeyPassword,
        Hint::ListPayload,
    ];

    /// The library's own words for the hint, used when the front end named
    /// none. Some are empty: "the manifest" needs no "(from where)".
    pub fn prose(self) -> &'static str {
        match self {
            Hint::Rerecord => "record the manifest anew",
            Hint::DeepVerify => "verify the payload too",
            Hint::SignedManifest => "(sign the manifest with minisign and verify against its public key)",
            Hint::AddedAsRoot => "added to the trusted roots",
            Hint::AddRoot => "to the trusted roots",
            Hint::RootForm => "a trusted root must be",
            Hint::Signer => "the required signer",
            Hint::Proxy => "the proxy",
            Hint::CaFile => "the CA certificate file",
            Hint::TrustOption | Hint::ManifestOption | Hint::ManifestFile | Hint::RecordManifest => "",
            Hint::SignManifest => "minisign (`minisign -S`)",
            Hint::Overwrite => "allow overwriting (always, or only files that differ)",
            Hint::Include => "the pattern ",
            Hint::Retries => "allow more attempts or a longer timeout",
            Hint::Component => "component",
            Hint::Task => "task",
            Hint::Language => "language",
            Hint::Password => "pass the password",
            Hint::PasswordOrFile => "give the password",
            Hint::Exclude => "from the selection",
            Hint::CollisionsRename => "choose renaming",
            Hint::CollisionsKeepLast => "keeping the last",
            Hint::OtherDest => "extract to",
            Hint::Deep => "ask for a deep verification",
            Hint::DestOption => "",
            Hint::KeyPassword => "give the key's password",
            Hint::ListPayload => "listing the payload",
        }
    }
}

/// The front end's names for the hints, once given.
static NAMES: OnceLock<fn(Hint) -> Option<&'static str>> = OnceLock::new();

/// Gives the front end's names for the hints (`None`: the prose), once per
/// process, before the library builds any message. Returns `false`, and
/// changes nothing, when names were already given.
pub fn name_hints(names: fn(Hint) -> Option<&'static str>) -> bool {
    NAMES.set(names).is_ok()
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = NAMES.get().and_then(|names| names(*self));
        f.write_str(named.unwrap_or(self.prose()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_hint_once_in_order() {
        for (index, hint) in Hint::ALL.iter().enumerate() {
            assert_eq!(*hint as usize, index, "{hint:?}");
        }
        assert_eq!(Hint::ALL.len(), Hint::ListPayload as usize + 1);
    }

    #[test]
    fn the_prose_names_no_flag() {
        for hint in Hint::ALL {
            let prose = hint.prose();
            assert!(!prose.contains("--") && !prose.contains(" -d"), "{hint:?}: {prose}");
            // The library's unit tests never name the hints: Display is the prose.
            assert_eq!(hint.to_string(), prose);
        }
    }
}
