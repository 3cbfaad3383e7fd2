//! The Windows implementation of [`crate::platform`].
//!
//! NOT COMPILED HERE: airlock is built and tested on Linux only, so this
//! file has never been through a compiler. It is written against the
//! documented APIs (std's `std::os::windows`, and two kernel32 functions
//! declared below) and kept small on purpose: whoever first builds airlock
//! for Windows should expect to fix it, and should add a Windows CI job.
//!
//! What is not here because std or a crate already does it portably:
//! `File::sync_all` is `FlushFileBuffers`; locks and free space go through
//! fs4 (`LockFileEx`, `GetDiskFreeSpaceExW`); maps through memmap2; Ctrl-C
//! through signal-hook's C runtime signals (`STOP_SIGNALS` below).

use std::fs::File;
use std::io;
use std::os::windows::fs::FileExt;
use std::path::Path;
use std::time::SystemTime;

pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    // ReadFile with an OVERLAPPED offset; it also moves the cursor, which
    // no caller of `read_at` uses.
    file.seek_read(buf, offset)
}

// No fadvise or madvise on Windows: the cache manager decides on its own.
pub(super) fn advise_sequential(_file: &File) {}
pub(super) fn forget_cached_pages(_file: &File) {}
pub(super) fn advise_map_sequential(_map: &memmap2::Mmap) {}
pub(super) fn cached_fraction(_map: &memmap2::Mmap) -> Option<f64> {
    None
}
pub(super) fn populate_map(_map: &memmap2::Mmap, _offset: usize, _len: usize) {}
pub(super) fn forget_map_range(_map: &memmap2::Mmap, _offset: usize, _len: usize) {}

// NTFS journals folder entries; a folder cannot be opened as a `File`
// without FILE_FLAG_BACKUP_SEMANTICS, and FlushFileBuffers on it is not
// needed for renames to survive.
pub(super) fn sync_dir(_dir: &Path) {}

// No syncfs: FlushFileBuffers each file, which needs write access.
pub(super) fn sync_written(_dir: &Path, files: &[std::path::PathBuf]) -> io::Result<()> {
    files.iter().try_for_each(|file| std::fs::OpenOptions::new().write(true).open(file)?.sync_all())
}

// Windows writes dirty pages back on its own schedule, and a thread's
// priority is not lowered for background hashing (THREAD_MODE_BACKGROUND_BEGIN
// would also lower its I/O priority, which would slow the reads it hashes).
pub(super) fn start_writeback(_file: &File, _offset: u64, _len: u64) {}
pub(super) fn lower_thread_priority() {}

// A new file inherits its folder's ACL; there are no mode bits.
pub(super) fn owner_only(_options: &mut std::fs::OpenOptions) {}
pub(super) fn usual_mode(_builder: &mut tempfile::Builder) {}

pub(super) fn same_file(_file: &File, path: &Path) -> bool {
    // A file another process holds open cannot be removed.
    path.exists()
}

pub(super) fn link(target: &Path, link: &Path) -> io::Result<()> {
    // Hard links need no privilege on Windows, unlike symbolic links.
    std::fs::hard_link(target, link)
}

/// SYSTEMTIME (minwinbase.h).
#[repr(C)]
#[derive(Default)]
struct SystemTimeParts {
    year: u16,
    month: u16,
    day_of_week: u16,
    day: u16,
    hour: u16,
    minute: u16,
    second: u16,
    milliseconds: u16,
}

/// FILETIME (minwinbase.h): 100 ns ticks since 1601, in two halves.
#[repr(C)]
#[derive(Default)]
struct FileTime {
    low: u32,
    high: u32,
}

#[link(name = "kernel32")]
unsafe extern "system" {
    fn TzSpecificLocalTimeToSystemTime(
        zone: *const core::ffi::c_void,
        local: *const SystemTimeParts,
        universal: *mut SystemTimeParts,
    ) -> i32;
    fn SystemTimeToFileTime(time: *const SystemTimeParts, file_time: *mut FileTime) -> i32;
}

pub(super) fn local_time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<SystemTime> {
    let local = SystemTimeParts {
        year,
        month: month.into(),
        day: day.into(),
        hour: hour.into(),
        minute: minute.into(),
        second: second.into(),
        ..SystemTimeParts::default()
    };
    let mut universal = SystemTimeParts::default();
    let mut ticks = FileTime::default();
    // SAFETY: both functions read and write only the structs passed, which
    // live for the calls; a null zone means the machine's current zone.
    let ok = unsafe {
        TzSpecificLocalTimeToSystemTime(std::ptr::null(), &local, &mut universal) != 0
            && SystemTimeToFileTime(&universal, &mut ticks) != 0
    };
    ok.then(|| crate::time::from_filetime(u64::from(ticks.high) << 32 | u64::from(ticks.low)))?
}

#[cfg(test)]
pub(super) fn device_error() -> io::Error {
    io::Error::from_raw_os_error(23) // ERROR_CRC: "Data error (cyclic redundancy check)"
}

#[cfg(test)]
pub(super) fn mode_and_umask(_path: &Path) -> Option<(u32, u32)> {
    None
}

/// Ctrl-C and Ctrl-Break (the C runtime raises SIGINT and SIGBREAK for the
/// console's control events; SIGTERM is for `raise`).
#[cfg(feature = "cli")]
pub(super) const STOP_SIGNALS: &[i32] =
    &[signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGBREAK];

/// A failed read through a map is an `EXCEPTION_IN_PAGE_ERROR` that ends the
/// process; there is no handler to install (`--no-mmap` avoids maps).
#[cfg(feature = "cli")]
pub(super) fn exit_on_mapped_read_fault(_message: &'static str, _code: u8) {}

/// `STD_OUTPUT_HANDLE` ((DWORD)-11): a process started without a standard
/// output has a null handle there (or `INVALID_HANDLE_VALUE`, -1).
#[cfg(feature = "cli")]
pub(super) fn standard_output_is_open() -> bool {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetStdHandle(which: u32) -> *mut core::ffi::c_void;
    }
    // SAFETY: GetStdHandle only reads the process's handle table.
    let handle = unsafe { GetStdHandle(-11i32 as u32) };
    !handle.is_null() && handle as isize != -1
}

/// Windows filesystems hold files, folders and reparse points (links) only:
/// there is no FIFO, socket or device file to name.
pub(super) fn special_file_kind(_metadata: &std::fs::Metadata) -> Option<&'static str> {
    None
}
