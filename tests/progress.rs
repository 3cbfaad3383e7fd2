//! Progress bars on a real terminal: the binary runs with stderr on a
//! pseudo-terminal of a given width (openpty, no external tool), and every
//! line it draws must fit that width, or the terminal wraps it and each
//! redraw leaves fragments behind.

mod common;

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};

use common::testdata;

/// Runs `airlock args` with stderr on a `cols`-wide pseudo-terminal; returns
/// everything drawn there and the exit code.
fn on_terminal(cols: u16, args: &[&str]) -> (String, Option<i32>) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: 24, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors; the pointers are valid.
    let opened = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(opened, 0, "openpty failed: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned here.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
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
