//! Containing panics raised by third-party decoders.
//!
//! The `inno`, `sevenz-rust2` and `zip` crates parse hostile bytes, and at
//! least one real installer makes `inno` panic (`unreachable!` in its files
//! reader on a BZip2 installer). A library must not crash its host, and must
//! not print, so every call into a decoder runs inside [`contain`]:
//! the panic is caught, its message kept, and it becomes an
//! [`Error::Payload`] naming what was being decoded.
//!
//! Catching alone is not enough: Rust's default panic hook prints
//! "thread panicked at …" to stderr before unwinding starts. The first call to
//! [`contain`] installs a hook that stays silent for panics raised inside
//! `contain` on the same thread (recording their message instead) and hands
//! every other panic to the hook that was there before, so panics elsewhere in
//! the host program still print as they always did.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::vocab::error::{Error, Result};

thread_local! {
    /// How many `contain` calls are active on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The message of the last panic caught on this thread.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) > 0 {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                LAST.with(|last| *last.borrow_mut() = Some(format!("{message}{location}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `work`, turning a panic inside it into an [`Error::Payload`] about
/// `what` (a part or entry name), with the decoder named in the reason.
pub(crate) fn contain<T>(what: &str, decoder: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    DEPTH.with(|d| d.set(d.get() - 1));
    match outcome {
        Ok(result) => result,
        Err(_) => {
            let message = LAST.with(|last| last.borrow_mut().take()).unwrap_or_else(|| "unknown panic".to_owned());
            Err(Error::payload(
                what,
                format!(
                    "the {decoder} decoder failed on this data ({message}); the payload is corrupt or uses a feature it cannot read"
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_payload_error_naming_the_input() {
        let result: Result<()> = contain("x.exe", "test", || panic!("boom"));
        let error = result.unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        let text = error.to_string();
        assert!(text.contains("x.exe") && text.contains("boom"), "{text}");
    }

    #[test]
    fn results_pass_through_untouched() {
        assert_eq!(contain("x", "test", || Ok(5)).unwrap(), 5);
    }
}
