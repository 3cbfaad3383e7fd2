//! Progress bars: the library's `Progress` observer drawn with indicatif.
//!
//! One overall bar (bytes, rate, ETA) and, while hashing, one bar per part
//! being hashed. Drawn on stderr only when it is a terminal and `--quiet` was
//! not given, so scripts and CI logs stay clean.
//!
//! Every line fits the terminal's width: a line longer than the terminal
//! wraps, and the bar's redraw then leaves the wrapped part behind. The bar
//! widths are chosen from the width (`TIOCGWINSZ`), the names (`{wide_msg}`)
//! are cut to what is left, and names are quoted as `ls` quotes them, so a
//! hostile entry name cannot drive the terminal.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use airlock::{Progress, Task};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bars {
    multi: MultiProgress,
    /// Columns of the terminal the bars are drawn on.
    width: usize,
    overall: Mutex<Option<ProgressBar>>,
    items: Mutex<HashMap<String, ProgressBar>>,
    per_item: Mutex<bool>,
}

impl Bars {
    /// Bars on stderr, or hidden ones when `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool) -> Self {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            // Not indicatif's own stderr target: it pads every line to the
            // width the terminal reports, and pads to 160 columns when the
            // terminal reports none (0, as some consoles and CI terminals
            // do), which wraps and leaves fragments on an 80-column screen.
            ProgressDrawTarget::term_like(Box::new(Stderr))
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            width: terminal_width(),
            overall: Mutex::new(None),
            items: Mutex::new(HashMap::new()),
            per_item: Mutex::new(false),
        }
    }
}

/// stderr as indicatif's terminal, with [`terminal_width`] as its width.
#[derive(Debug)]
struct Stderr;

impl Stderr {
    fn put(&self, text: &str) -> std::io::Result<()> {
        use std::io::Write;
        std::io::stderr().lock().write_all(text.as_bytes())
    }
}

impl indicatif::TermLike for Stderr {
    fn width(&self) -> u16 {
        u16::try_from(terminal_width()).unwrap_or(u16::MAX)
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.put(&format!("\x1b[{n}A")) } else { Ok(()) }
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.put(&format!("\x1b[{n}B")) } else { Ok(()) }
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.put(&format!("\x1b[{n}C")) } else { Ok(()) }
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n > 0 { self.put(&format!("\x1b[{n}D")) } else { Ok(()) }
    }

    fn write_line(&self, line: &str) -> std::io::Result<()> {
        self.put(&format!("{line}\n"))
    }

    fn write_str(&self, text: &str) -> std::io::Result<()> {
        self.put(text)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.put("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        use std::io::Write;
        std::io::stderr().flush()
    }
}

/// The width of the terminal on stderr, 80 when it cannot be told (the
/// `console` crate asks the terminal: TIOCGWINSZ on Unix, the console screen
/// buffer on Windows).
fn terminal_width() -> usize {
    console::Term::stderr().size_checked().map_or(80, |(_rows, cols)| usize::from(cols))
}

/// The overall bar's template for `width` columns: a bar as wide as room
/// allows, the numbers, then the current name in what is left.
fn overall_template(label: &str, width: usize) -> String {
    // label, brackets, bytes, rate, ETA and spaces: at most 64 columns.
    match width.checked_sub(64) {
        Some(room) if room >= 5 => format!(
            "{label:>10} [{{bar:{}}}] {{binary_bytes:>10}}/{{binary_total_bytes:<10}} {{binary_bytes_per_sec:>12}} ETA {{eta:>4}} {{wide_msg}}",
            room.min(30)
        ),
        _ => format!("{label:>10} {{percent:>3}}% {{wide_msg}}"),
    }
}

/// A per-part bar's template: the name in what the bar and numbers leave.
fn item_template(width: usize) -> Option<String> {
    let room = width.checked_sub(60)?;
    (room >= 5).then(|| {
        format!("{{wide_msg:.dim}} [{{bar:{}}}] {{binary_bytes:>10}}/{{binary_total_bytes:<10}}", room.min(20))
    })
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> ")
}

impl Progress for Bars {
    fn begin(&self, task: Task, total_bytes: u64) {
        let label = match task {
            Task::Hash => "hashing",
            Task::DeepVerify => "decoding",
            Task::Extract => "extracting",
            Task::Download => "fetching",
            _ => "working",
        };
        let bar = self.multi.add(ProgressBar::new(total_bytes));
        bar.set_style(style(&overall_template(label, self.width)));
        *self.overall.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
        *self.per_item.lock().unwrap_or_else(|e| e.into_inner()) =
            matches!(task, Task::Hash | Task::Download) && item_template(self.width).is_some();
    }

    fn item_started(&self, name: &str, size: u64) {
        let shown = crate::escape::quote(name);
        if *self.per_item.lock().unwrap_or_else(|e| e.into_inner())
            && let Some(template) = item_template(self.width)
        {
            let bar = self.multi.add(ProgressBar::new(size));
            bar.set_style(style(&template));
            bar.set_message(shown);
            self.items.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), bar);
        } else if let Some(bar) = &*self.overall.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.set_message(shown);
        }
    }

    fn advance(&self, name: &str, bytes: u64) {
        if let Some(bar) = &*self.overall.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.inc(bytes);
        }
        if let Some(bar) = self.items.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            bar.inc(bytes);
        }
    }

    fn item_finished(&self, name: &str) {
        if let Some(bar) = self.items.lock().unwrap_or_else(|e| e.into_inner()).remove(name) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
    }

    fn end(&self, _task: Task) {
        if let Some(bar) = self.overall.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        for (_, bar) in self.items.lock().unwrap_or_else(|e| e.into_inner()).drain() {
            bar.finish_and_clear();
        }
    }
}
