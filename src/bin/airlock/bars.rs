//! Progress bars: the library's `Progress` observer drawn with indicatif.
//!
//! One overall bar (bytes, rate, ETA) and, while hashing, one bar per part
//! being hashed. Drawn on stderr only when it is a terminal and `--quiet` was
//! not given, so scripts and CI logs stay clean.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use airlock::{Progress, Task};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bars {
    multi: MultiProgress,
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
            ProgressDrawTarget::stderr()
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            overall: Mutex::new(None),
            items: Mutex::new(HashMap::new()),
            per_item: Mutex::new(false),
        }
    }
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
        bar.set_style(style(&format!(
            "{label:>10} [{{bar:30}}] {{binary_bytes}}/{{binary_total_bytes}} {{binary_bytes_per_sec}} ETA {{eta}} {{wide_msg}}"
        )));
        *self.overall.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
        *self.per_item.lock().unwrap_or_else(|e| e.into_inner()) = matches!(task, Task::Hash | Task::Download);
    }

    fn item_started(&self, name: &str, size: u64) {
        if *self.per_item.lock().unwrap_or_else(|e| e.into_inner()) {
            let bar = self.multi.add(ProgressBar::new(size));
            bar.set_style(style("{msg:>40.dim} [{bar:20}] {binary_bytes}/{binary_total_bytes}"));
            bar.set_message(name.to_owned());
            self.items.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_owned(), bar);
        } else if let Some(bar) = &*self.overall.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.set_message(name.to_owned());
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
