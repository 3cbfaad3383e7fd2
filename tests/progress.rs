//! Progress bars on a real terminal: the binary runs with stderr on a
//! pseudo-terminal of a given width (openpty, no external tool), and every
//! line it draws must fit that width, or the terminal wraps it and each
//! redraw leaves fragments behind; the bars are redrawn at most ~20 times a
//! second. Where bars cannot be drawn (`TERM=dumb`, stderr a pipe or a log
//! file) there is no escape sequence at all, and a long job writes plain
//! progress lines while it runs (issue 25, item 5): made long by the FUSE
//! filesystem of `tests/faultfs`, which holds a read at a gate (no sleep).

mod common;
mod faultfs;

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{testdata, wait_until};
use faultfs::{FaultFs, Faults, Gate, Mounted};

/// A pseudo-terminal of `cols` columns: (the side the test reads, the side
/// the child writes).
fn pty(cols: u16) -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: 24, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors; the pointers are valid.
    let opened = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(opened, 0, "openpty failed: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned here.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Runs `airlock args` with stderr on a `cols`-wide pseudo-terminal; returns
/// everything drawn there and the exit code.
fn on_terminal(cols: u16, args: &[&str]) -> (String, Option<i32>) {
    on_terminal_with(cols, args, &[])
}

/// [`on_terminal`] with environment variables set.
fn on_terminal_with(cols: u16, args: &[&str], env: &[(&str, &str)]) -> (String, Option<i32>) {
    let (master, slave) = pty(cols);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let mut terminal = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut drawn = Vec::new();
        let mut buffer = [0u8; 4096];
        // Reads until the child's end of the terminal is closed (EIO).
        while let Ok(n) = terminal.read(&mut buffer) {
            if n == 0 {
                break;
            }
            drawn.extend_from_slice(&buffer[..n]);
        }
        drawn
    });
    let status = child.wait().unwrap();
    let drawn = reader.join().unwrap();
    (String::from_utf8_lossy(&drawn).into_owned(), status.code())
}

/// A minimal VT100 screen: what `drawn` leaves on a `cols`-wide terminal
/// with automatic margins (a character written past the last column goes
/// to the next row, as on a real terminal), one string per row.
///
/// Also returns the most rows that showed the overall bar at once, counted
/// whenever a redraw begins (the cursor moves up): more than one means an
/// earlier frame was left behind.
fn screen(drawn: &str, cols: usize) -> (Vec<String>, usize) {
    let mut most_bars = 0;
    const ROWS: usize = 24;
    let mut grid = vec![vec![' '; cols]; ROWS];
    // The cursor starts on the last row, like a prompt after some output.
    let (mut row, mut col, mut pending_wrap) = (ROWS - 1, 0usize, false);
    let mut chars = drawn.chars().peekable();
    let scroll = |grid: &mut Vec<Vec<char>>, row: &mut usize| {
        if *row + 1 >= ROWS {
            grid.remove(0);
            grid.push(vec![' '; cols]);
        } else {
            *row += 1;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\x1b' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut parameter = String::new();
                let mut command = ' ';
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        command = c;
                        break;
                    }
                    parameter.push(c);
                }
                let n: usize = parameter.parse().unwrap_or(1);
                pending_wrap = false;
                match command {
                    'A' => {
                        let bars = grid.iter().filter(|r| r.iter().collect::<String>().contains("hashing")).count();
                        most_bars = most_bars.max(bars);
                        row = row.saturating_sub(n)
                    }
                    'B' => row = (row + n).min(ROWS - 1),
                    'K' => grid[row] = vec![' '; cols],
                    'J' => {
                        for line in grid.iter_mut().skip(row) {
                            *line = vec![' '; cols];
                        }
                    }
                    _ => {}
                }
            }
            '\r' => {
                col = 0;
                pending_wrap = false;
            }
            '\n' => {
                scroll(&mut grid, &mut row);
                pending_wrap = false;
            }
            c if c.is_control() => {}
            c => {
                if pending_wrap {
                    scroll(&mut grid, &mut row);
                    col = 0;
                    pending_wrap = false;
                }
                grid[row][col] = c;
                if col + 1 == cols {
                    pending_wrap = true;
                } else {
                    col += 1;
                }
            }
        }
    }
    (grid.into_iter().map(|r| r.into_iter().collect::<String>().trim_end().to_owned()).collect(), most_bars)
}

/// A copy of the benchmark set under a long vendor name, so that part names
/// alone are wider than a narrow terminal.
fn long_named_set() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    std::fs::create_dir(&dir).unwrap();
    let long = "Contoso.DataProtection.ManagementServer.Offline.Installer.x64.en-US";
    for entry in std::fs::read_dir(testdata("inno-bench")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(rest) = name.strip_prefix(common::NAME) {
            std::fs::copy(testdata("inno-bench").join(&name), dir.join(format!("{long}{rest}"))).unwrap();
        }
    }
    (temp, dir)
}

/// How many rows the bars take on a `cols`-wide terminal with automatic
/// margins, up to the first message after them: one per bar when every
/// line fits, more when lines wrap.
fn rows_used(drawn: &str, cols: usize) -> usize {
    let bars = drawn.split("airlock:").next().unwrap_or_default();
    let (mut row, mut col, mut pending_wrap, mut most) = (0usize, 0usize, false, 0usize);
    let mut chars = bars.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut parameter = String::new();
                let mut command = ' ';
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        command = c;
                        break;
                    }
                    parameter.push(c);
                }
                let n: usize = parameter.parse().unwrap_or(1);
                pending_wrap = false;
                match command {
                    'A' => row = row.saturating_sub(n),
                    'B' => row += n,
                    _ => {}
                }
            }
            '\r' => {
                col = 0;
                pending_wrap = false;
            }
            '\n' => {
                row += 1;
                pending_wrap = false;
            }
            c if c.is_control() => {}
            _ => {
                if pending_wrap {
                    row += 1;
                    col = 0;
                    pending_wrap = false;
                }
                if col + 1 == cols {
                    pending_wrap = true;
                } else {
                    col += 1;
                }
            }
        }
        most = most.max(row + 1);
    }
    most
}

#[test]
fn progress_bars_fit_an_80_and_a_50_column_terminal() {
    let (_t, long) = long_named_set();
    let short = testdata("inno-bench");
    // (columns the terminal reports, columns it has): a terminal that
    // reports no size (0, as some consoles and CI terminals do) is 80 wide.
    for (reported, cols, set) in [(80u16, 80u16, &short), (80, 80, &long), (50, 50, &long), (0, 80, &long)] {
        let (drawn, code) = on_terminal(reported, &["verify", "--threads", "2", set.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{drawn}");
        assert!(drawn.contains("hashing"), "no progress bar was drawn on the terminal:\n{drawn}");
        // The bars are cleared at the end. A line wider than the terminal
        // wraps, the redraws then move the cursor up too few rows, and the
        // frames scroll fragments up the screen.
        // One row per bar: the overall bar and, where there is room, one per
        // part being hashed (two threads).
        let bars = if cols >= 65 { 3 } else { 1 };
        let rows = rows_used(&drawn, usize::from(cols));
        assert!(
            rows <= bars,
            "{bars} bar(s) took {rows} rows: lines wrapped on a {cols}-column terminal reporting {reported}"
        );
        let (left, most_bars) = screen(&drawn, usize::from(cols));
        assert!(
            most_bars <= 1,
            "{most_bars} copies of the bar on the screen at once (a {cols}-column terminal reporting {reported})"
        );
        let fragments: Vec<&String> =
            left.iter().filter(|r| r.contains(" B/") || r.contains("hashing") || r.contains("] ")).collect();
        assert!(fragments.is_empty(), "bar fragments left on a {cols}-column terminal:\n{}", left.join("\n"));
    }
}

#[test]
fn quiet_draws_nothing_on_the_terminal_when_all_is_well() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let (drawn, code) = on_terminal(80, &["verify", "--quiet", set.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(drawn.trim().is_empty(), "--quiet drew on stderr:\n{drawn}");
}

/// How many frames `drawn` holds: every frame draws the overall bar, and
/// its label, once.
fn frames(drawn: &str) -> usize {
    drawn.matches("hashing").count()
}

#[test]
fn bars_are_redrawn_at_most_about_20_times_a_second() {
    let set = testdata("inno-bench");
    let started = Instant::now();
    let (drawn, code) = on_terminal(80, &["verify", "--threads", "2", set.to_str().unwrap()]);
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(code, Some(0), "{drawn}");
    assert!(drawn.contains("hashing"), "no progress bar was drawn on the terminal:\n{drawn}");
    // 20 a second, indicatif's burst of 20 at the start, and the draws it
    // forces when a bar is added or finished (two a part, six parts, and the
    // overall bar). Unlimited, every `advance` redrew: 285 frames (67 kB)
    // in 0.3 s here, ~1 000 a second.
    let bound = 20.0 * seconds + 20.0 + 2.0 * 6.0 + 4.0;
    let (count, bytes) = (frames(&drawn), drawn.len());
    assert!(
        count as f64 <= bound,
        "{count} frames ({bytes} bytes) in {seconds:.2} s: more than {bound:.0}, ~20 a second"
    );
    // A frame is at most three 80-column bars and the cursor movements.
    assert!(bytes as f64 <= bound * 3.0 * 100.0, "{bytes} bytes drawn in {seconds:.2} s ({count} frames)");
}

/// A stored zip of 24 MiB of noise; reads of its byte [`HELD`] wait at a gate.
fn write_zip(path: &Path) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("noise.bin", stored).unwrap();
    writer.write_all(&common::noise(24 << 20)).unwrap();
    writer.finish().unwrap();
}

/// The byte of the zip whose reads are held: past the 16 MiB the payload
/// detection scans, so the hold is met by the hashing.
const HELD: u64 = 20 << 20;

/// Where stderr goes in [`held_verify`].
enum Stderr {
    Pipe,
    /// A terminal with `TERM=dumb`.
    DumbTerminal,
}

/// `airlock verify` of a zip served by faultfs with stderr on `stderr` and
/// `AIRLOCK_PROGRESS_INTERVAL=0.2`: waits until the hashing is held at the
/// gate, then until a whole line naming the hashing is written, checks the
/// run is still under way, opens the gate. Returns all of stderr, the line
/// seen while held and the exit code; `None` when FUSE cannot be used.
fn held_verify(stderr: Stderr) -> Option<(String, String, Option<i32>)> {
    if !faultfs::available() {
        return None;
    }
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("source");
    std::fs::create_dir(&source).unwrap();
    write_zip(&source.join("Long.zip"));
    let gate = Arc::new(Gate::default());
    let faults = Faults { hold: Some(("Long.zip".to_owned(), HELD..HELD + 1, Arc::clone(&gate))), ..Faults::default() };
    let mount = Mounted::new(FaultFs::with_files_of(Some(&source), faults), &temp.path().join("mnt")).unwrap();

    let mut command = Command::new(assert_cmd::cargo::cargo_bin("airlock"));
    command
        .args(["verify", "--no-mmap", mount.path.join("Long.zip").to_str().unwrap()])
        .env("AIRLOCK_PROGRESS_INTERVAL", "0.2")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let (child, from) = match stderr {
        Stderr::Pipe => {
            command.env("TERM", "xterm-256color").stderr(Stdio::piped());
            let mut child = command.spawn().unwrap();
            let pipe = child.stderr.take().unwrap();
            (child, std::fs::File::from(OwnedFd::from(pipe)))
        }
        Stderr::DumbTerminal => {
            let (master, slave) = pty(80);
            command.env("TERM", "dumb").stderr(Stdio::from(slave));
            (command.spawn().unwrap(), std::fs::File::from(master))
        }
    };
    // Only the child keeps the writing side open, so its end is seen.
    drop(command);
    let watched = watch(child, from, &gate);
    drop(mount);
    Some(watched)
}

/// The rest of [`held_verify`] once the child runs and `from` reads its stderr.
fn watch(mut child: std::process::Child, mut from: std::fs::File, gate: &Gate) -> (String, String, Option<i32>) {
    let (send, chunks) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        // Until the writing side is closed (EOF on a pipe, EIO on a terminal).
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 || send.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let held = wait_until(&mut child, || gate.reached());
    let mut written = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut line_seen = String::new();
    while held && line_seen.is_empty() {
        let Ok(chunk) = chunks.recv_timeout(deadline.saturating_duration_since(Instant::now())) else { break };
        written.extend_from_slice(&chunk);
        let text = String::from_utf8_lossy(&written);
        if let Some(line) = text.split_inclusive('\n').find(|l| l.starts_with("airlock: hashing") && l.ends_with('\n'))
        {
            line_seen = line.trim_end().to_owned();
        }
    }
    let running = child.try_wait().unwrap().is_none();
    gate.open();
    let status = child.wait().unwrap();
    while let Ok(chunk) = chunks.recv() {
        written.extend_from_slice(&chunk);
    }
    reader.join().unwrap();
    let all = String::from_utf8_lossy(&written).into_owned();
    assert!(held, "airlock never reached the held read\n{all}");
    assert!(!line_seen.is_empty(), "no progress line while the hashing was held\n{all}");
    assert!(running, "the progress line came after the run ended\n{all}");
    (all, line_seen, status.code())
}

#[test]
fn a_long_job_with_stderr_in_a_pipe_writes_plain_progress_lines_while_it_runs() {
    let Some((all, line, code)) = held_verify(Stderr::Pipe) else { return };
    assert_eq!(code, Some(0), "{all}");
    // Where it is: 20 of 24 MiB hashed, the part named.
    assert!(line.contains(" of 24.00 MiB (") && line.contains("%)") && line.ends_with("Long.zip"), "{line}");
    assert!(!all.contains('\x1b'), "an escape sequence in a log:\n{all:?}");
    assert!(!all.contains('\r'), "a carriage return in a log:\n{all:?}");
}

#[test]
fn a_dumb_terminal_gets_plain_lines_and_no_escape_sequence() {
    let Some((all, line, code)) = held_verify(Stderr::DumbTerminal) else { return };
    assert_eq!(code, Some(0), "{all}");
    assert!(line.contains(" of 24.00 MiB ("), "{line}");
    assert!(!all.contains('\x1b'), "an escape sequence on a TERM=dumb terminal:\n{all:?}");
}

#[test]
fn a_dumb_terminal_gets_no_bars() {
    let set = testdata("inno-bench");
    let (drawn, code) = on_terminal_with(80, &["verify", "--threads", "2", set.to_str().unwrap()], &[("TERM", "dumb")]);
    assert_eq!(code, Some(0), "{drawn}");
    assert!(!drawn.contains('\x1b'), "an escape sequence on a TERM=dumb terminal:\n{drawn:?}");
}
