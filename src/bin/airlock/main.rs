//! The `airlock` command: parses arguments, wires progress bars to the
//! library, prints, and maps the outcome to an exit code. All the work is in
//! the `airlock` library.

mod args;
mod bars;
mod fetch;
mod output;

use std::process::ExitCode;

use airlock::{Cancel, ErrorKind};
use clap::Parser;

use args::{Cli, Command};

/// Exit codes, one meaning each (documented in the README).
pub mod exit {
    /// Everything checked out.
    pub const OK: u8 = 0;
    /// A hash or checksum did not match.
    pub const INTEGRITY: u8 = 1;
    /// Bad arguments, no set or several, unreadable manifest, files in the way.
    pub const USAGE: u8 = 2;
    /// The set is incomplete or inconsistent.
    pub const INCOMPLETE: u8 = 3;
    /// Not enough free space.
    pub const NO_SPACE: u8 = 4;
    /// Unsupported, corrupt or unsafe payload.
    pub const PAYLOAD: u8 = 5;
    /// Any other I/O error.
    pub const IO: u8 = 6;
    /// Interrupted (Ctrl-C), like a shell's 128 + SIGINT.
    pub const INTERRUPTED: u8 = 130;
}

/// The exit code for a kind of failure.
pub fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Integrity => exit::INTEGRITY,
        ErrorKind::Usage => exit::USAGE,
        ErrorKind::Incomplete => exit::INCOMPLETE,
        ErrorKind::NoSpace => exit::NO_SPACE,
        ErrorKind::Payload => exit::PAYLOAD,
        ErrorKind::Interrupted => exit::INTERRUPTED,
        _ => exit::IO,
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    survive_sigbus();
    let cancel = Cancel::new();
    // First Ctrl-C: ask the work to stop and clean up. A second one while it
    // is cleaning up ends the process at once.
    let _ = signal_hook::flag::register_conditional_shutdown(signal_hook::consts::SIGINT, 130, cancel.as_atomic());
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, cancel.as_atomic());
    let _ = signal_hook::flag::register(signal_hook::consts::SIGTERM, cancel.as_atomic());

    let code = match cli.command {
        Command::Check { set, output } => output::check(&set, &output),
        Command::Verify { set, deep, password, trust, hashing, output } => {
            output::verify(&set, deep, password, trust, &hashing, &output, cancel)
        }
        Command::Manifest { set, output, force, format, sign, hashing, quiet } => {
            output::manifest(&set, output.as_deref(), force, format, sign, &hashing, quiet, cancel)
        }
        Command::List { set, password, output } => output::list(&set, password.as_deref(), &output),
        Command::Extract {
            set,
            dest,
            include,
            exclude,
            overwrite,
            min_free,
            no_verify,
            password,
            trust,
            hashing,
            output,
        } => {
            let options = output::ExtractArgs {
                dest,
                include,
                exclude,
                overwrite: overwrite.into(),
                min_free,
                verify: !no_verify,
                password,
                trust,
            };
            output::extract(&set, options, &hashing, &output, cancel)
        }
        Command::Stage { set, media, sign, overwrite, hashing, output } => {
            output::stage(&set, &media, sign, overwrite, &hashing, &output, cancel)
        }
        Command::Keygen { public, secret, no_password } => output::keygen(&public, &secret, no_password),
        Command::Fetch(args) => fetch::run(args, cancel),
    };
    ExitCode::from(code)
}

/// Turns `SIGBUS` into a clear error instead of a crash.
///
/// Parts are memory-mapped; if another process truncates a part while it is
/// mapped, touching the lost pages raises `SIGBUS`. Nothing can resume the
/// read, so the handler says what happened and exits with the I/O code. An
/// interrupted extraction leaves only its staging folder, which the next run
/// removes (as after `kill -9`). Hashing reads rather than maps unless
/// `--mmap` is given; 7z and zip extraction read through maps.
fn survive_sigbus() {
    extern "C" fn on_sigbus(_: libc::c_int) {
        const MESSAGE: &[u8] = b"airlock: error: a part changed size while it was being read through a memory map; make sure nothing writes to the set and run again\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is static.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(i32::from(exit::IO));
        }
    }
    // SAFETY: installs a handler that only calls async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}
