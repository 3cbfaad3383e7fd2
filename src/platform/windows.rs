//! The Windows implementation of [`crate::platform`], compiled by
//! `scripts/build-windows.sh` and exercised under Wine by `tests/windows.rs`
//! (the far side's workflow against `airlock.exe`) and by the library's unit
//! tests built for the Windows target.
//!
//! Kernel calls go through `windows-sys`; what std or a crate already does
//! portably is not repeated here: `File::sync_all` is `FlushFileBuffers`,
//! locks go through fs4 (`LockFileEx`), maps through memmap2, file identity
//! through same-file, and paths longer than `MAX_PATH` through std, which
//! gives every file call the `\\?\` form when a path needs it.

use std::fs::File;
use std::io::{self, Read};
use std::os::windows::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::time::SystemTime;

use windows_sys::Win32::Foundation::{FILETIME, SYSTEMTIME};

pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    // ReadFile with an OVERLAPPED offset; it also moves the cursor, which
    // no caller of `read_at` uses.
    file.seek_read(buf, offset)
}

// No fadvise or madvise on Windows: the cache manager decides on its own
// (`FILE_FLAG_SEQUENTIAL_SCAN` is an open-time flag, and std opens the files).
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

// No whole-volume flush without administrator rights (FlushFileBuffers of a
// volume handle needs them).
pub(super) fn flush_filesystem(_dir: &Path) -> Option<io::Result<()>> {
    None
}

// No syncfs: FlushFileBuffers each file, which needs write access.
pub(super) fn sync_written(_dir: &Path, files: &[std::path::PathBuf]) -> io::Result<()> {
    files.iter().try_for_each(|file| std::fs::OpenOptions::new().write(true).open(file)?.sync_all())
}

// Windows writes dirty pages back on its own schedule.
pub(super) fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

/// `THREAD_PRIORITY_BELOW_NORMAL` for this thread: its CPU priority only.
/// Not `THREAD_MODE_BACKGROUND_BEGIN`, which also lowers the thread's I/O
/// priority and would slow the very reads it hashes.
pub(super) fn lower_thread_priority() {
    use windows_sys::Win32::System::Threading::{GetCurrentThread, SetThreadPriority, THREAD_PRIORITY_BELOW_NORMAL};
    // SAFETY: the pseudo-handle of the calling thread, valid for the call.
    unsafe {
        SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    }
}

// A new file inherits its folder's ACL; there are no mode bits.
pub(super) fn owner_only(_options: &mut std::fs::OpenOptions) {}
pub(super) fn usual_mode(_builder: &mut tempfile::Builder) {}

/// Same volume serial number and file index (`GetFileInformationByHandle`,
/// through same-file).
pub(super) fn same_file(file: &File, path: &Path) -> bool {
    let held = file.try_clone().and_then(same_file::Handle::from_file);
    match (held, same_file::Handle::from_path(path)) {
        (Ok(held), Ok(named)) => held == named,
        _ => false,
    }
}

pub(super) fn local_time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<SystemTime> {
    use windows_sys::Win32::System::Time::{SystemTimeToFileTime, TzSpecificLocalTimeToSystemTime};
    let local = SYSTEMTIME {
        wYear: year,
        wMonth: month.into(),
        wDayOfWeek: 0,
        wDay: day.into(),
        wHour: hour.into(),
        wMinute: minute.into(),
        wSecond: second.into(),
        wMilliseconds: 0,
    };
    let mut universal = SYSTEMTIME { ..local };
    let mut ticks = FILETIME { dwLowDateTime: 0, dwHighDateTime: 0 };
    // SAFETY: both functions read and write only the structs passed, which
    // live for the calls; a null zone means the machine's current zone.
    let ok = unsafe {
        TzSpecificLocalTimeToSystemTime(std::ptr::null(), &local, &mut universal) != 0
            && SystemTimeToFileTime(&universal, &mut ticks) != 0
    };
    ok.then(|| {
        crate::vocab::time::from_filetime(u64::from(ticks.dwHighDateTime) << 32 | u64::from(ticks.dwLowDateTime))
    })?
}

/// Free bytes for this user on the volume holding `path`, asked of the
/// volume's root (`GetVolumePathNameW`, then `GetDiskFreeSpaceExW`): a folder
/// deeper than `MAX_PATH` is named in the `\\?\` form, and a volume mounted
/// in a folder answers for itself. Not through `canonicalize`, which Wine
/// fails for a path longer than `MAX_PATH`.
/// The root of the volume holding `path` (`\\?\E:\`, `\\?\UNC\server\share\`,
/// or a mounted folder), NUL-terminated.
fn volume_root(path: &Path) -> io::Result<Vec<u16>> {
    use windows_sys::Win32::Storage::FileSystem::GetVolumePathNameW;
    let wide = verbatim_wide(path)?;
    let mut root = vec![0u16; wide.len() + 1];
    let capacity = u32::try_from(root.len()).map_err(|_| io::Error::other("path too long"))?;
    // SAFETY: `wide` is NUL-terminated; `root` has `capacity` elements,
    // enough for any prefix of the path and its NUL.
    if unsafe { GetVolumePathNameW(wide.as_ptr(), root.as_mut_ptr(), capacity) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(root)
}

pub(super) fn available_space(path: &Path) -> io::Result<u64> {
    use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
    let root = volume_root(path)?;
    let mut available = 0u64;
    // SAFETY: `root` is NUL-terminated (written by the call above); the
    // out-pointers we do not want are null, as the API allows.
    if unsafe { GetDiskFreeSpaceExW(root.as_ptr(), &mut available, std::ptr::null_mut(), std::ptr::null_mut()) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(available)
}

pub(super) fn removable_media(path: &Path) -> Option<bool> {
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    use windows_sys::Win32::System::WindowsProgramming::{
        DRIVE_CDROM, DRIVE_FIXED, DRIVE_RAMDISK, DRIVE_REMOTE, DRIVE_REMOVABLE,
    };
    let root = volume_root(path).ok()?;
    let letter = drive_letter(&root);
    // GetDriveTypeW is asked of the plain root (`E:\`) where there is one.
    let plain: Vec<u16> = match letter {
        Some(letter) => format!("{letter}:\\").encode_utf16().chain([0]).collect(),
        None => root,
    };
    // SAFETY: `plain` is NUL-terminated (made so above, or by `volume_root`).
    match unsafe { GetDriveTypeW(plain.as_ptr()) } {
        DRIVE_REMOVABLE | DRIVE_CDROM => Some(true),
        // A USB disk calls itself fixed; its bus says otherwise.
        DRIVE_FIXED => Some(letter.and_then(on_usb_bus).unwrap_or(false)),
        DRIVE_REMOTE | DRIVE_RAMDISK => Some(false),
        _ => None,
    }
}

/// The letter of a root `\\?\E:\` (or `E:\`), if it is a drive letter's.
fn drive_letter(root: &[u16]) -> Option<char> {
    let text = String::from_utf16(root.split(|&unit| unit == 0).next()?).ok()?;
    let rest = text.strip_prefix(r"\\?\").unwrap_or(&text);
    let mut chars = rest.chars();
    match (chars.next(), chars.next(), chars.next(), chars.next()) {
        (Some(letter), Some(':'), Some('\\') | None, None) if letter.is_ascii_alphabetic() => Some(letter),
        _ => None,
    }
}

/// Whether the disk behind drive `letter` sits on a USB bus (or says its
/// media are removable), from `IOCTL_STORAGE_QUERY_PROPERTY`; `None` when
/// the device cannot be asked. Opened with no access rights, which a
/// property query needs none of (no administrator).
fn on_usb_bus(letter: char) -> Option<bool> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{BusTypeUsb, FILE_SHARE_READ, FILE_SHARE_WRITE};
    use windows_sys::Win32::System::IO::DeviceIoControl;
    use windows_sys::Win32::System::Ioctl::{
        IOCTL_STORAGE_QUERY_PROPERTY, PropertyStandardQuery, STORAGE_DEVICE_DESCRIPTOR, STORAGE_PROPERTY_QUERY,
        StorageDeviceProperty,
    };
    let device = std::fs::OpenOptions::new()
        .access_mode(0)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .open(format!(r"\\.\{letter}:"))
        .ok()?;
    let query = STORAGE_PROPERTY_QUERY {
        PropertyId: StorageDeviceProperty,
        QueryType: PropertyStandardQuery,
        AdditionalParameters: [0],
    };
    let mut descriptor = STORAGE_DEVICE_DESCRIPTOR::default();
    let mut returned = 0u32;
    // SAFETY: the handle is `device`'s, open for the call; the in and out
    // buffers are the two structs with their exact sizes; no OVERLAPPED.
    let done = unsafe {
        DeviceIoControl(
            device.as_raw_handle(),
            IOCTL_STORAGE_QUERY_PROPERTY,
            (&raw const query).cast(),
            size_of::<STORAGE_PROPERTY_QUERY>() as u32,
            (&raw mut descriptor).cast(),
            size_of::<STORAGE_DEVICE_DESCRIPTOR>() as u32,
            &mut returned,
            std::ptr::null_mut(),
        )
    };
    // The fixed fields (up to the bus type) must have been written; the
    // strings after them do not fit and are not wanted.
    let wanted = std::mem::offset_of!(STORAGE_DEVICE_DESCRIPTOR, RawPropertiesLength);
    (done != 0 && returned as usize >= wanted).then(|| descriptor.BusType == BusTypeUsb || descriptor.RemovableMedia)
}

/// `path` made absolute in the `\\?\` form (`\\?\UNC\` for a share), as
/// UTF-16 with a NUL, for calls std does not wrap.
fn verbatim_wide(path: &Path) -> io::Result<Vec<u16>> {
    use std::os::windows::ffi::OsStrExt;
    let absolute = std::path::absolute(path)?;
    let wide: Vec<u16> = absolute.as_os_str().encode_wide().collect();
    let text = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let mut out = if wide.starts_with(&text(r"\\?\")) || wide.starts_with(&text(r"\\.\")) {
        wide
    } else if let Some(share) = wide.strip_prefix(text(r"\\").as_slice()) {
        [text(r"\\?\UNC\").as_slice(), share].concat()
    } else {
        [text(r"\\?\").as_slice(), wide.as_slice()].concat()
    };
    out.push(0);
    Ok(out)
}

/// Reads a file as the device holds it: opened with `FILE_FLAG_NO_BUFFERING`,
/// which bypasses the system cache and requires every read to start at a
/// sector boundary into a sector-aligned buffer, in whole sectors. 4 KiB
/// covers the 512- and 4096-byte sectors of disks and USB drives.
pub(super) struct UncachedReader {
    file: File,
    /// Bytes of the file not yet read from the device.
    left: u64,
    buffer: Vec<u8>,
    /// Where the aligned window starts in `buffer`.
    start: usize,
    /// The window's unread bytes: `start + at .. start + filled`.
    at: usize,
    filled: usize,
}

const SECTOR_ALIGN: usize = 4096;
const UNCACHED_BLOCK: usize = 1 << 20;

pub(super) fn open_uncached(path: &Path) -> io::Result<UncachedReader> {
    use windows_sys::Win32::Storage::FileSystem::{FILE_FLAG_NO_BUFFERING, FILE_FLAG_SEQUENTIAL_SCAN};
    // What a writer left in the cache reaches the device first.
    if let Ok(file) = std::fs::OpenOptions::new().write(true).open(path) {
        let _ = file.sync_all();
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_NO_BUFFERING | FILE_FLAG_SEQUENTIAL_SCAN)
        .open(path)?;
    let left = file.metadata()?.len();
    let buffer = vec![0u8; UNCACHED_BLOCK + SECTOR_ALIGN];
    let start = buffer.as_ptr().align_offset(SECTOR_ALIGN);
    if start > SECTOR_ALIGN {
        return Err(io::Error::other("no sector-aligned buffer"));
    }
    Ok(UncachedReader { file, left, buffer, start, at: 0, filled: 0 })
}

impl Read for UncachedReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.filled {
            if self.left == 0 {
                return Ok(0);
            }
            // Whole blocks only; the last read of the file returns what is
            // left of it. No read is asked for after that: its offset would
            // not be on a sector boundary.
            let window = &mut self.buffer[self.start..self.start + UNCACHED_BLOCK];
            let n = loop {
                match self.file.read(window) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.left = self.left.saturating_sub(n as u64);
            if n % SECTOR_ALIGN != 0 {
                self.left = 0; // the end of the file: nothing follows
            }
            self.at = 0;
            self.filled = n;
        }
        let n = out.len().min(self.filled - self.at);
        out[..n].copy_from_slice(&self.buffer[self.start + self.at..self.start + self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
pub(super) fn device_error() -> io::Error {
    io::Error::from_raw_os_error(23) // ERROR_CRC: "Data error (cyclic redundancy check)"
}

#[cfg(test)]
pub(super) fn mode_and_umask(_path: &Path) -> Option<(u32, u32)> {
    None
}

/// The flag the console control handler sets.
#[cfg(feature = "cli")]
static STOP: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> = std::sync::OnceLock::new();

/// A console control handler, not the C runtime's `signal` (through
/// signal-hook): it sees Ctrl-Break, the window closed, log-off and shutdown
/// too, and Wine's C runtime stores signal-hook's `SIG_GET` query as a
/// handler and jumps to address 2 on the first Ctrl-C.
#[cfg(feature = "cli")]
pub(super) fn cancel_on_signals(cancel: &crate::Cancel) {
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
    if STOP.set(cancel.as_atomic()).is_ok() {
        // SAFETY: the handler is a plain function that lives for the process.
        unsafe {
            SetConsoleCtrlHandler(Some(on_console_event), 1);
        }
    }
}

#[cfg(feature = "cli")]
unsafe extern "system" fn on_console_event(event: u32) -> i32 {
    use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT};
    if let Some(stop) = STOP.get() {
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    if event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT {
        // The window closed, log-off or shutdown: Windows ends the process
        // when this returns, so it does not return while the cleanup runs
        // (the process exits from its main thread, or is ended at the limit).
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
    1 // handled: not the default action, which ends the process at once
}

#[cfg(feature = "cli")]
static MAPPED_READ_FAULT: std::sync::OnceLock<(&'static str, u8)> = std::sync::OnceLock::new();

/// A failed read through a map is an `EXCEPTION_IN_PAGE_ERROR`; a vectored
/// exception handler turns it into the message and exit code, as the SIGBUS
/// handler does on Unix. Any other exception goes on to the next handler.
#[cfg(feature = "cli")]
pub(super) fn exit_on_mapped_read_fault(message: &'static str, code: u8) {
    use windows_sys::Win32::System::Diagnostics::Debug::AddVectoredExceptionHandler;
    if MAPPED_READ_FAULT.set((message, code)).is_ok() {
        // SAFETY: the handler is a plain function that lives for the process.
        unsafe {
            AddVectoredExceptionHandler(1, Some(on_exception));
        }
    }
}

#[cfg(feature = "cli")]
unsafe extern "system" fn on_exception(
    info: *mut windows_sys::Win32::System::Diagnostics::Debug::EXCEPTION_POINTERS,
) -> i32 {
    use windows_sys::Win32::Foundation::EXCEPTION_IN_PAGE_ERROR;
    use windows_sys::Win32::Storage::FileSystem::WriteFile;
    use windows_sys::Win32::System::Console::{GetStdHandle, STD_ERROR_HANDLE};
    use windows_sys::Win32::System::Threading::ExitProcess;
    const EXCEPTION_CONTINUE_SEARCH: i32 = 0;
    // SAFETY: the system passes a valid record for the exception it raises.
    let code =
        unsafe { info.as_ref().and_then(|info| info.ExceptionRecord.as_ref()).map(|record| record.ExceptionCode) };
    match (code, MAPPED_READ_FAULT.get()) {
        (Some(EXCEPTION_IN_PAGE_ERROR), Some(&(message, exit))) => {
            let line = message.as_bytes();
            // SAFETY: writes a static string to this process's stderr handle,
            // then ends the process; nothing here allocates or takes a lock.
            unsafe {
                let mut written = 0;
                WriteFile(
                    GetStdHandle(STD_ERROR_HANDLE),
                    line.as_ptr(),
                    line.len() as u32,
                    &mut written,
                    std::ptr::null_mut(),
                );
                WriteFile(GetStdHandle(STD_ERROR_HANDLE), b"\n".as_ptr(), 1, &mut written, std::ptr::null_mut());
                ExitProcess(u32::from(exit));
            }
        }
        _ => EXCEPTION_CONTINUE_SEARCH,
    }
}

/// `STD_OUTPUT_HANDLE` ((DWORD)-11): a process started without a standard
/// output has a null handle there (or `INVALID_HANDLE_VALUE`, -1).
#[cfg(feature = "cli")]
pub(super) fn standard_output_is_open() -> bool {
    use windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
    use windows_sys::Win32::System::Console::{GetStdHandle, STD_OUTPUT_HANDLE};
    // SAFETY: GetStdHandle only reads the process's handle table.
    let handle = unsafe { GetStdHandle(STD_OUTPUT_HANDLE) };
    !handle.is_null() && handle != INVALID_HANDLE_VALUE
}

/// Windows filesystems hold files, folders and reparse points (links) only:
/// there is no FIFO, socket or device file to name.
pub(super) fn special_file_kind(_metadata: &std::fs::Metadata) -> Option<&'static str> {
    None
}

#[cfg(test)]
pub(super) fn link(target: &Path, link: &Path) -> io::Result<()> {
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

/// Windows' cache manager writes behind on its own and has no call that
/// waits for a range of a file; the flush before the commit does the rest.
pub(super) fn settle_written(_file: &File, _offset: u64, _len: u64) {}
