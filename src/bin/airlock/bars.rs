//! Progress: the library's `Progress` observer, drawn with indicatif on a
//! terminal and written as plain lines everywhere else.
//!
//! On a terminal (stderr is one and `TERM` is not `dumb`): one overall bar
//! (bytes, rate, ETA) and, while hashing, one bar per part being hashed,
//! redrawn at most [`REDRAWS_PER_SECOND`] times a second (indicatif's rate
//! limit of the draw target; each frame reaches the terminal in one write).
//!
//! Anywhere else (a log, a pipe, a `TERM=dumb` terminal such as an Emacs
//! shell): no cursor movement and no escape sequence at all, but a plain line
//! (`airlock: hashing 1.50 GiB of 4.00 GiB (37%), 210.00 MiB/s, ETA 12 seconds: NAME`)
//! every [`DEFAULT_LINE_INTERVAL`] while a task runs, so a long job in a log
//! shows it is alive, and a short one prints nothing. `AIRLOCK_PROGRESS_INTERVAL`
//! (seconds, `0` for none) chooses the interval. `--quiet` draws and writes
//! nothing.
//!
//! Every line fits the terminal's width: a line longer than the terminal
//! wraps, and the bar's redraw then leaves the wrapped part behind. The bar
//! widths are chosen from the width (`TIOCGWINSZ`), the names (`{wide_msg}`)
//! are cut to what is left, and names are quoted as `ls` quotes them, so a
//! hostile entry name cannot drive the terminal (nor put an escape in a log).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use airlock::{Item, Progress, Task};
use indicatif::{BinaryBytes, HumanDuration, MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The most frames a second the bars are drawn on a terminal.
const REDRAWS_PER_SECOND: u8 = 20;

/// How often a plain progress line is written when stderr is no terminal
/// for bars (unless `AIRLOCK_PROGRESS_INTERVAL` says otherwise).
const DEFAULT_LINE_INTERVAL: Duration = Duration::from_secs(10);

/// The environment variable that sets the interval of the plain lines.
pub const INTERVAL_VARIABLE: &str = "AIRLOCK_PROGRESS_INTERVAL";

pub struct Bars {
    multi: MultiProgress,
    /// Columns of the terminal the bars are drawn on.
    width: usize,
    overall: Mutex<Option<ProgressBar>>,
    /// One bar per item being worked on, while the task has per-item bars.
    items: Mutex<HashMap<Item, ProgressBar>>,
    per_item: Mutex<bool>,
    /// The interval of plain progress lines, when they are written instead
    /// of bars.
    lines_every: Option<Duration>,
    /// The thread writing them for the task under way.
    ticker: Mutex<Option<Ticker>>,
}

impl Bars {
    /// Bars on stderr when it is a terminal that moves its cursor, plain
    /// lines at an interval otherwise, nothing when `quiet`.
    pub fn new(quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        let target = if quiet || !terminal {
            ProgressDrawTarget::hidden()
        } else {
            // Not indicatif's own stderr target: it pads every line to the
            // width the terminal reports, and pads to 160 columns when the
            // terminal reports none (0, as some consoles and CI terminals
            // do), which wraps and leaves fragments on an 80-column screen.
            // Rate-limited: unlimited, every `advance` redrew (some 1 800
            // frames a second while hashing).
            ProgressDrawTarget::term_like_with_hz(Box::new(Stderr::default()), REDRAWS_PER_SECOND)
        };
        let lines_every = if quiet || terminal { None } else { line_interval() };
        Self {
            multi: MultiProgress::with_draw_target(target),
            width: terminal_width(),
            overall: Mutex::new(None),
            items: Mutex::new(HashMap::new()),
            per_item: Mutex::new(false),
            lines_every,
            ticker: Mutex::new(None),
        }
    }

    fn stop_ticker(&self) {
        if let Some(ticker) = self.ticker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            ticker.stop();
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.stop_ticker();
    }
}

/// The interval of the plain progress lines: `AIRLOCK_PROGRESS_INTERVAL`
/// seconds (`0`: none), [`DEFAULT_LINE_INTERVAL`] when it is not set. A value
/// that is no number of seconds is said once and the default used.
fn line_interval() -> Option<Duration> {
    let Some(value) = std::env::var_os(INTERVAL_VARIABLE) else {
        return Some(DEFAULT_LINE_INTERVAL);
    };
    let seconds = value.to_str().and_then(|v| v.trim().parse::<f64>().ok());
    match seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()) {
        Some(interval) if interval.is_zero() => None,
        Some(interval) => Some(interval),
        None => {
            crate::output::note(
                false,
                format_args!(
                    "warning: {INTERVAL_VARIABLE}={} is not a number of seconds; progress lines every {}s",
                    value.to_string_lossy(),
                    DEFAULT_LINE_INTERVAL.as_secs()
                ),
            );
            Some(DEFAULT_LINE_INTERVAL)
        }
    }
}

/// A thread that writes a plain line about `bar` every interval until
/// stopped.
struct Ticker {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Ticker {
    fn start(label: &'static str, bar: ProgressBar, every: Duration) -> Option<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("progress-lines".to_owned())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    crate::output::note(false, plain_line(label, &bar));
                }
            })
            .ok()?;
        Some(Self { stop, thread })
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// `hashing 1.50 GiB of 4.00 GiB (37%), 210.00 MiB/s, ETA 12 seconds: NAME`: plain
/// text (the name is already quoted as `ls` quotes it).
fn plain_line(label: &str, bar: &ProgressBar) -> String {
    let done = bar.position();
    let mut line = match bar.length().filter(|&total| total > 0) {
        Some(total) => format!(
            "{label} {} of {} ({}%)",
            BinaryBytes(done),
            BinaryBytes(total),
            u128::from(done.min(total)) * 100 / u128::from(total)
        ),
        None => format!("{label} {}", BinaryBytes(done)),
    };
    let rate = bar.per_sec();
    if rate.is_finite() && rate >= 1.0 {
        // Whole bytes a second are plenty for a rate.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        line.push_str(&format!(", {}/s", BinaryBytes(rate as u64)));
        if bar.length().is_some_and(|total| total > done) {
            line.push_str(&format!(", ETA {}", HumanDuration(bar.eta())));
        }
    }
    let name = bar.message();
    if !name.is_empty() {
        line.push_str(": ");
        line.push_str(&name);
    }
    line
}

/// stderr as indicatif's terminal, with [`terminal_width`] as its width. A
/// frame is gathered and written at once when indicatif flushes it (one
/// write, not one per cursor movement and line).
#[derive(Debug, Default)]
struct Stderr {
    frame: Mutex<Vec<u8>>,
}

impl Stderr {
    fn put(&self, text: &str) -> std::io::Result<()> {
        self.frame.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(text.as_bytes());
        Ok(())
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
        let frame = std::mem::take(&mut *self.frame.lock().unwrap_or_else(|e| e.into_inner()));
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(&frame)?;
        stderr.flush()
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
        if let Some(every) = self.lines_every {
            self.stop_ticker();
            *self.ticker.lock().unwrap_or_else(|e| e.into_inner()) = Ticker::start(label, bar.clone(), every);
        }
        *self.overall.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
        // Plain lines name the part in the overall line.
        *self.per_item.lock().unwrap_or_else(|e| e.into_inner()) = matches!(task, Task::Hash | Task::Download)
            && self.lines_every.is_none()
            && item_template(self.width).is_some();
    }

    fn item_started(&self, item: Item, name: &str, size: u64) {
        let shown = crate::escape::quote(name);
        if *self.per_item.lock().unwrap_or_else(|e| e.into_inner())
            && let Some(template) = item_template(self.width)
        {
            let bar = self.multi.add(ProgressBar::new(size));
            bar.set_style(style(&template));
            bar.set_message(shown);
            self.items.lock().unwrap_or_else(|e| e.into_inner()).insert(item, bar);
        } else if let Some(bar) = &*self.overall.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.set_message(shown);
        }
    }

    fn advance(&self, item: Item, bytes: u64) {
        if let Some(bar) = &*self.overall.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.inc(bytes);
        }
        if let Some(bar) = self.items.lock().unwrap_or_else(|e| e.into_inner()).get(&item) {
            bar.inc(bytes);
        }
    }

    fn item_finished(&self, item: Item) {
        if let Some(bar) = self.items.lock().unwrap_or_else(|e| e.into_inner()).remove(&item) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
    }

    fn end(&self, _task: Task) {
        self.stop_ticker();
        if let Some(bar) = self.overall.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        for (_, bar) in self.items.lock().unwrap_or_else(|e| e.into_inner()).drain() {
            bar.finish_and_clear();
        }
    }
}
