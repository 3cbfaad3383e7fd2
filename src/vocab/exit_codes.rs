//! The exit-code table: one code per kind of outcome, written once.
//!
//! Every command of the binary ends with the code of the [`ErrorKind`] it ran
//! into, whichever command it was: a set missing a part is 3 from `check`,
//! `list`, `verify`, `extract` and `manifest` alike. Scripts and CI jobs rely
//! on that, so the table lives here, in the library, where a test compares it
//! with the README's table and every command looks its code up.

use crate::vocab::error::ErrorKind;

/// One row of the exit-code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitCodeRow {
    /// The process exit code.
    pub code: u8,
    /// The kind of failure it stands for (`None` for success).
    pub kind: Option<ErrorKind>,
    /// What it means, as the README's table says it.
    pub meaning: &'static str,
}

/// Every exit code the `airlock` binary uses, in ascending order.
pub const EXIT_CODES: [ExitCodeRow; 10] = [
    ExitCodeRow { code: 0, kind: None, meaning: "everything checked out" },
    ExitCodeRow {
        code: 1,
        kind: Some(ErrorKind::Integrity),
        meaning: "integrity failure: a hash, checksum or signature did not match, a part is missing from a signed manifest, or the installer is not validly signed by `--signer`",
    },
    ExitCodeRow {
        code: 2,
        kind: Some(ErrorKind::Usage),
        meaning: "usage: bad arguments, a SET, `--manifest`, `--trust` or `--sign` file that does not exist, no set or several sets in the folder, unreadable manifest or key, DEST or MEDIA_DIR not a folder, DEST the set's own folder, an `--include` that matches nothing, files in the way (`--overwrite`), another airlock run writing into the same DEST or media folder, a missing or wrong password for an encrypted Inno Setup installer, a `--language`/`--component`/`--task` the installer does not have",
    },
    ExitCodeRow {
        code: 3,
        kind: Some(ErrorKind::Incomplete),
        meaning: "the set is incomplete: its own structure (or its manifest) shows parts missing, empty, short, of the wrong size (the `.exe` included) or not slices, or a part it needs is left out of the manifest",
    },
    ExitCodeRow {
        code: 4,
        kind: Some(ErrorKind::NoSpace),
        meaning: "not enough free space (refused before writing, or the disk filled up; nothing is left behind)",
    },
    ExitCodeRow {
        code: 5,
        kind: Some(ErrorKind::Payload),
        meaning: "unrecognised, unsupported, corrupt or unsafe payload (not an installer or archive, an unsupported method, an Inno Setup version or layout airlock cannot read, unsafe entry names, links, two entries for one file in DEST without `--collisions`, a decoder failure)",
    },
    ExitCodeRow {
        code: 6,
        kind: Some(ErrorKind::Io),
        meaning: "any other I/O error (a part unreadable or changing while read, a destination that cannot be written, a failed write on standard output; for `fetch`, an HTTP error answer or a network failure once the retries ran out)",
    },
    ExitCodeRow {
        code: 7,
        kind: Some(ErrorKind::LinkInDest),
        meaning: "a symbolic link inside DEST (or `stage`'s MEDIA_DIR) stands on the way to a file airlock writes, found before the run or made by another program while it ran; airlock never writes through a link: nothing was written outside DEST and what the run wrote was removed",
    },
    ExitCodeRow {
        code: 130,
        kind: Some(ErrorKind::Interrupted),
        meaning: "interrupted (Ctrl-C, SIGTERM or SIGHUP; on Windows Ctrl-C, Ctrl-Break, the console closed, log-off, shutdown); what the run wrote was removed (`fetch` keeps its partial downloads to resume)",
    },
    ExitCodeRow { code: 101, kind: None, meaning: "never on purpose: a bug in airlock (a panic); please report it" },
];

impl ErrorKind {
    /// The process exit code for this kind (see [`EXIT_CODES`]).
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Integrity => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Incomplete => 3,
            ErrorKind::NoSpace => 4,
            ErrorKind::Payload => 5,
            ErrorKind::Io => 6,
            ErrorKind::LinkInDest => 7,
            ErrorKind::Interrupted => 130,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_row_and_the_codes_are_distinct() {
        for row in EXIT_CODES {
            if let Some(kind) = row.kind {
                assert_eq!(kind.exit_code(), row.code, "{kind:?}");
            }
            assert_eq!(EXIT_CODES.iter().filter(|r| r.code == row.code).count(), 1, "{}", row.code);
        }
    }

    #[test]
    fn the_readme_table_is_this_table() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let section = readme.split("## Exit codes").nth(1).expect("README has an Exit codes section");
        let rows: Vec<(u8, String)> = section
            .lines()
            .skip_while(|l| !l.starts_with("| code"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
                (cells[0].parse().expect("a code"), cells[1].to_owned())
            })
            .collect();
        let ours: Vec<(u8, String)> = EXIT_CODES.iter().map(|r| (r.code, r.meaning.to_owned())).collect();
        assert_eq!(rows, ours, "README's exit-code table differs from EXIT_CODES");
    }
}
