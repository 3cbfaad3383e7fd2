//! Everything that differs between operating systems, behind one portable
//! API: positioned reads, cache advice, folder fsync, file modes, file
//! identity, links, local time, locks and free space; with the `cli`
//! feature also the process hooks a front end installs (stop signals, faults
//! of mapped reads).
//!
//! The rest of the library calls only these functions and never names an
//! OS (`cfg(unix)`, `std::os::unix`, `libc` appear nowhere else; the test
//! `tests/source_rules.rs` keeps it so). Each function says what it does on
//! each system. `unix.rs` is the implementation airlock is developed on;
//! `windows.rs` is built by `scripts/build-windows.sh` and tested under Wine
//! (`tests/windows.rs` and the unit tests for the Windows target).
//!
//! What must not live here: policy. These functions do one system call's
//! worth of work and report what the system said; deciding what an error
//! means stays with the caller.

use std::fs::File;
use std::io;
use std::path::Path;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as os;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

/// Reads up to `buf.len()` bytes at `offset` of `file`, without a shared
/// cursor, so threads can read one file side by side: `pread(2)` on Unix,
/// `ReadFile` with an `OVERLAPPED` offset (`FileExt::seek_read`) on Windows,
/// where it also moves the file's cursor (no caller uses the cursor).
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    os::read_at(file, buf, offset)
}

/// Fills `buf` from `offset` of `file`; `UnexpectedEof` when the file ends first.
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset = offset.saturating_add(n as u64); // n ≤ buf.len()
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Tells the system that `file` will be read once from start to end
/// (`posix_fadvise(SEQUENTIAL)` on Linux). Advice only: nothing elsewhere.
pub(crate) fn advise_sequential(file: &File) {
    os::advise_sequential(file);
}

/// Asks the system to drop `file`'s clean cached pages, so that the next
/// read reaches the device (`posix_fadvise(DONTNEED)` on Linux, after the
/// caller's `sync_all`). Nothing elsewhere: a read-back may then come from
/// the cache, which the caller's documentation says.
pub(crate) fn forget_cached_pages(file: &File) {
    os::forget_cached_pages(file);
}

/// Tells the system that `map` will be read once from start to end
/// (`madvise(SEQUENTIAL)` on Unix; nothing on Windows). Not `WILLNEED`:
/// on a cold part it reads the whole part before the first byte is hashed
/// (3.2 GB cold on 2 cores: 4.09 s with it, 3.70 s without).
pub(crate) fn advise_map_sequential(map: &memmap2::Mmap) {
    os::advise_map_sequential(map);
}

/// The share of `map`'s pages that the system holds in memory (`mincore` on
/// Unix), or `None` when it cannot tell (on Windows; or where the kernel
/// only answers for files the caller may write, it answers for pages
/// already mapped, which is `Some(0.0)` for a fresh map).
pub(crate) fn cached_fraction(map: &memmap2::Mmap) -> Option<f64> {
    os::cached_fraction(map)
}

/// Asks the system to fault in `len` bytes of `map` from `offset` in one go
/// (`madvise(POPULATE_READ)`, Linux 5.14+; nothing elsewhere or if refused).
pub(crate) fn populate_map(map: &memmap2::Mmap, offset: usize, len: usize) {
    os::populate_map(map, offset, len);
}

/// Lets the system drop `len` bytes of `map` from `offset` that will not be
/// read again, keeping resident memory small (`madvise(DONTNEED)` on Unix;
/// nothing on Windows, where the working set trims itself). `map` must be a
/// read-only map of a file: dropped pages are faulted in again from it.
pub(crate) fn forget_map_range(map: &memmap2::Mmap, offset: usize, len: usize) {
    os::forget_map_range(map, offset, len);
}

/// Makes the entries of folder `dir` (new names, renames) durable, best
/// effort: `fsync` of the folder on Unix; nothing on Windows, where NTFS
/// journals the metadata and a folder cannot be opened as a file.
pub(crate) fn sync_dir(dir: &Path) {
    os::sync_dir(dir);
}

/// Puts the data of `files`, all just written under folder `dir` on one
/// filesystem, on the disk before they are renamed into place, so that a
/// rename surviving a crash never points at data that did not. In one call
/// where the system has one: `syncfs(2)` on Linux flushes the filesystem
/// holding `dir` (on the Inno bench set, one `fsync` per file made the
/// extraction 1.47× slower; one `syncfs` cost nothing measurable). Elsewhere
/// each file is flushed in turn (`fsync`, `FlushFileBuffers` on Windows).
pub(crate) fn sync_written(dir: &Path, files: &[std::path::PathBuf]) -> io::Result<()> {
    os::sync_written(dir, files)
}

/// Flushes the whole filesystem holding `dir` to the disk, the disk's own
/// cache included (`syncfs(2)` on Linux), while other threads go on
/// writing; `None` where the system has no such call (elsewhere). For the
/// flush behind extraction's decoding: the flush before a commit then finds
/// little left. Its result is advice; the commit's [`sync_written`] is what
/// reports.
pub(crate) fn flush_filesystem(dir: &Path) -> Option<io::Result<()>> {
    os::flush_filesystem(dir)
}

/// Asks the system to start writing `len` bytes of `file` from `offset` to
/// the disk now, without waiting (`sync_file_range(SYNC_FILE_RANGE_WRITE)` on
/// Linux; nothing elsewhere). Extraction calls it as it writes, so that the
/// flush before the commit ([`sync_written`]) finds little left to do:
/// otherwise a 1.3 GB extraction stays dirty in the page cache (the kernel's
/// background threshold is a tenth of memory) and all of it is written while
/// the user waits. Advice only: errors are the flush's to report.
pub(crate) fn start_writeback(file: &File, offset: u64, len: u64) {
    os::start_writeback(file, offset, len);
}

/// Makes the calling thread yield the processor to the process's other
/// threads (`nice` 10 for that thread on Linux; nothing elsewhere). For
/// hashing that runs beside a decoder that has one stream to decode: the
/// hashes finish in the decoder's idle time instead of taking turns with
/// it. Best effort.
pub(crate) fn lower_thread_priority() {
    os::lower_thread_priority();
}

/// Makes `options` create a file only its owner can read (mode `0600` on
/// Unix; nothing on Windows, where the file inherits its folder's ACL).
pub(crate) fn owner_only(options: &mut std::fs::OpenOptions) {
    os::owner_only(options);
}

/// Makes `builder`'s temporary files get the usual mode of a new file
/// (`0666` less the umask, as `touch` would) rather than tempfile's private
/// `0600`, for files that replace ordinary ones. Nothing on Windows.
pub(crate) fn usual_mode(builder: &mut tempfile::Builder) {
    os::usual_mode(builder);
}

/// Whether the open `file` is the file at `path` now (same device and inode
/// on Unix; on Windows a file held open cannot be removed, so it is whether
/// `path` exists).
pub(crate) fn same_file(file: &File, path: &Path) -> bool {
    os::same_file(file, path)
}

/// The moment a wall-clock time of this machine's time zone stands for
/// (`mktime(3)` on Unix, `TzSpecificLocalTimeToSystemTime` on Windows), or
/// `None` when it cannot be held. `month` is 1 to 12.
pub(crate) fn local_time(
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
) -> Option<std::time::SystemTime> {
    os::local_time(year, month, day, hour, minute, second)
}

/// Takes an exclusive advisory lock on `file` without waiting: `Ok(false)`
/// when another process holds it (fs4: `flock` on Unix, `LockFileEx` on
/// Windows).
pub(crate) fn try_lock(file: &File) -> io::Result<bool> {
    match fs4::FileExt::try_lock(file) {
        Ok(()) => Ok(true),
        Err(fs4::TryLockError::WouldBlock) => Ok(false),
        Err(fs4::TryLockError::Error(e)) => Err(e),
    }
}

/// Bytes this user may still write on the filesystem holding `path` (fs4:
/// `statvfs`'s `f_bavail` on Unix, `GetDiskFreeSpaceExW` on Windows, asked
/// of the `\\?\` form so a folder deeper than `MAX_PATH` works).
pub(crate) fn available_space(path: &Path) -> io::Result<u64> {
    os::available_space(path)
}

/// Whether `path` lives on removable media — a USB stick or disk, a DVD, a
/// card — as far as the system says, or `None` when it cannot tell (a
/// filesystem with no block device under it, such as tmpfs, FUSE or a
/// network share; a system other than Linux and Windows).
///
/// On Linux, from sysfs: the disk holding the file's device
/// (`/sys/dev/block/MAJ:MIN`, a partition's parent) is removable when its
/// `removable` flag is set (sticks, card readers, optical drives) or it
/// hangs off a USB bus (a USB disk, which says it is fixed). On Windows,
/// `GetDriveTypeW` of the volume (`DRIVE_REMOVABLE`, `DRIVE_CDROM`), or the
/// bus the volume's device sits on (`IOCTL_STORAGE_QUERY_PROPERTY`,
/// `BusTypeUsb`) for a USB disk that calls itself fixed.
pub(crate) fn removable_media(path: &Path) -> Option<bool> {
    os::removable_media(path)
}

/// Opens `path` to read what the device holds, not what the system cached,
/// for a read-back after a copy: on Linux the file is flushed (`fsync`) and
/// its cached pages dropped (`POSIX_FADV_DONTNEED`), then read as usual; on
/// Windows it is flushed and opened unbuffered (`FILE_FLAG_NO_BUFFERING`,
/// read in whole sectors through an aligned buffer). Elsewhere a plain read,
/// which may come from the cache.
pub(crate) fn open_uncached(path: &Path) -> io::Result<impl io::Read> {
    os::open_uncached(path)
}

/// An error as a failing device reports it (`EIO`; `ERROR_CRC` on Windows).
#[cfg(test)]
pub(crate) fn device_error() -> io::Error {
    os::device_error()
}

/// Makes `link` a symbolic link to `target`, for tests of links found in
/// DEST (on Windows a directory or file symbolic link, by what `target` is).
#[cfg(test)]
pub(crate) fn link(target: &Path, link: &Path) -> io::Result<()> {
    os::link(target, link)
}

/// The permission bits of `path` and the process's umask, where the system
/// has them (Unix).
#[cfg(test)]
pub(crate) fn mode_and_umask(path: &Path) -> Option<(u32, u32)> {
    os::mode_and_umask(path)
}

// ------------------------------------------------ a front end's process hooks
//
// What a command-line front end installs once at start-up. They live here,
// not in the binary, so that porting airlock is this folder's work alone;
// they are public only with the `cli` feature, and a tool that embeds the
// library keeps its own signal handling.

/// Sets `cancel` when the user or the system asks the process to stop:
/// Ctrl-C, `kill` (SIGTERM) and a dropped terminal (SIGHUP) on Unix
/// (signal-hook); on Windows Ctrl-C, Ctrl-Break, the console window closed,
/// log-off and shutdown (a console control handler; for the last three the
/// handler then waits, so the cleanup runs before Windows ends the process,
/// up to its 5-second limit). However many arrive, they only set the flag:
/// the cleanup the work does on seeing it runs once and is not cut short by
/// a second Ctrl-C.
#[cfg(feature = "cli")]
pub fn cancel_on_signals(cancel: &crate::Cancel) {
    os::cancel_on_signals(cancel);
}

/// Makes a read of a memory-mapped part that the system cannot satisfy (the
/// file was truncated under the map, or the device failed to read the page)
/// end the process with `message` on stderr and exit code `code`, instead of
/// a crash. Nothing can resume such a read. On Unix this is a SIGBUS
/// handler; on Windows the fault is an exception that ends the process, and
/// this does nothing.
#[cfg(feature = "cli")]
pub fn exit_on_mapped_read_fault(message: &'static str, code: u8) {
    os::exit_on_mapped_read_fault(message, code);
}

/// Whether the process was started with a standard output: `false` when it
/// was closed (`airlock manifest SET >&-`: on Unix, descriptor 1 as a
/// constructor found it before Rust's start-up pointed it at `/dev/null`;
/// on Windows, `GetStdHandle` gives no handle). Writes then go nowhere and
/// report success, so a front end asks this before it prints a result.
#[cfg(feature = "cli")]
pub fn standard_output_is_open() -> bool {
    os::standard_output_is_open()
}

/// What a file that is neither a regular file, a folder nor a link is, in
/// words ("a FIFO (named pipe)", "a socket", "a device"), for a message that
/// says why it cannot be a part; `None` for anything else (and on Windows,
/// whose filesystems hold no such files).
pub(crate) fn special_file_kind(metadata: &std::fs::Metadata) -> Option<&'static str> {
    os::special_file_kind(metadata)
}

/// Waits until `len` bytes of `file` from `offset`, whose writeback
/// [`start_writeback`] started, are written, then lets the system drop their
/// pages from the cache (`sync_file_range(WAIT_BEFORE | WRITE | WAIT_AFTER)`
/// and `posix_fadvise(DONTNEED)` on Linux; nothing elsewhere). Extraction
/// calls it one window behind the writes: the cache then holds a few
/// windows of a file instead of the whole set, and the memory it hands out
/// for the next writes is the memory just given back. Not durability (the
/// disk's cache and the file's metadata are [`sync_written`]'s): advice, and
/// errors are the flush's to report.
pub(crate) fn settle_written(file: &File, offset: u64, len: u64) {
    os::settle_written(file, offset, len);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of the fixed disk is not on removable media; a drive the
    /// system calls removable is. On Windows (under Wine) that drive is the
    /// one `scripts/test-windows.sh` maps as a CD-ROM and names in
    /// `AIRLOCK_TEST_REMOVABLE_DRIVE` when it builds the tests (a setting of
    /// the test build, not something airlock reads).
    #[cfg(windows)]
    #[test]
    fn removable_media_tells_a_cd_drive_from_the_system_disk() {
        let temp = tempfile::tempdir().unwrap();
        assert_eq!(removable_media(temp.path()), Some(false));
        let drive = option_env!("AIRLOCK_TEST_REMOVABLE_DRIVE").expect(
            "AIRLOCK_TEST_REMOVABLE_DRIVE names a drive mapped as removable: build with scripts/test-windows.sh",
        );
        assert_eq!(removable_media(Path::new(&drive)), Some(true), "{drive}");
    }

    /// The crate's own folder is on a fixed disk, or on something with no
    /// block device under it: never taken for removable media.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_crates_own_disk_is_not_removable() {
        assert_ne!(removable_media(Path::new(env!("CARGO_MANIFEST_DIR"))), Some(true));
    }

    /// What [`PartAccess::Auto`](crate::read::hash::PartAccess) decides from: a
    /// file just written is in the page cache, and one whose pages were
    /// dropped is not. In the crate's `target` folder, on a disk (a tmpfs
    /// `/tmp` would keep dropped pages).
    #[cfg(target_os = "linux")]
    #[test]
    fn cached_fraction_tells_a_cached_file_from_a_dropped_one() {
        let on_disk = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        std::fs::create_dir_all(on_disk).unwrap();
        let temp = tempfile::tempdir_in(on_disk).unwrap();
        let path = temp.path().join("part");
        std::fs::write(&path, vec![7u8; 4 << 20]).unwrap();
        let file = File::open(&path).unwrap();
        // SAFETY: a private read-only map of a file nothing else changes.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        let cached = cached_fraction(&map).unwrap();
        assert!(cached >= 0.95, "a file just written reported {cached} cached");
        drop(map);
        file.sync_all().unwrap(); // dirty pages cannot be dropped
        forget_cached_pages(&file);
        // SAFETY: as above.
        let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
        let dropped = cached_fraction(&map).unwrap();
        assert!(dropped < 0.5, "a file whose pages were dropped reported {dropped} cached");
    }

    /// A written range that `settle_written` waited for is on the disk and
    /// gone from the cache (extraction's staged files stop filling memory),
    /// and the file still reads back whole.
    #[cfg(target_os = "linux")]
    #[test]
    fn settled_writes_leave_the_cache_and_keep_their_bytes() {
        use std::io::Write;
        let on_disk = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        std::fs::create_dir_all(on_disk).unwrap();
        let temp = tempfile::tempdir_in(on_disk).unwrap();
        let path = temp.path().join("staged");
        let bytes: Vec<u8> = (0..16u32 << 20).map(|i| (i % 253) as u8).collect();
        let mut file = File::create(&path).unwrap();
        file.write_all(&bytes).unwrap();
        start_writeback(&file, 0, bytes.len() as u64);
        settle_written(&file, 0, bytes.len() as u64);
        let reader = File::open(&path).unwrap();
        // SAFETY: a private read-only map of a file nothing else changes.
        let map = unsafe { memmap2::Mmap::map(&reader) }.unwrap();
        let cached = cached_fraction(&map).unwrap();
        assert!(cached < 0.5, "{cached} of a settled file still cached");
        drop(map);
        assert!(std::fs::read(&path).unwrap() == bytes);
    }

    /// The read-back reader returns a file's exact bytes whatever its size
    /// against the sector (on Windows it reads whole sectors, unbuffered,
    /// into an aligned buffer, and must stop at the file's end).
    #[test]
    fn an_uncached_read_returns_every_byte_of_files_of_any_size() {
        use std::io::Read;
        let temp = tempfile::tempdir().unwrap();
        for size in [0usize, 1, 511, 4095, 4096, 4097, (1 << 20) + 3, (3 << 20) - 1] {
            let path = temp.path().join(format!("f{size}"));
            let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            let mut back = Vec::new();
            open_uncached(&path).unwrap().read_to_end(&mut back).unwrap();
            assert!(back == bytes, "{size} bytes came back as {}", back.len());
        }
    }

    /// Free space is asked of a folder deeper than Windows' 260-character
    /// `MAX_PATH` as of any other.
    #[test]
    fn free_space_of_a_folder_deeper_than_max_path() {
        let temp = tempfile::tempdir().unwrap();
        let deep = (0..6).fold(temp.path().to_path_buf(), |path, n| path.join(format!("{n}{}", "d".repeat(59))));
        std::fs::create_dir_all(&deep).unwrap();
        assert!(deep.as_os_str().len() > 300);
        assert!(available_space(&deep).unwrap() > 0);
    }

    #[test]
    fn sync_written_flushes_a_folder_of_new_files_and_reports_a_missing_one() {
        let temp = tempfile::tempdir().unwrap();
        let files: Vec<_> = (0..3).map(|n| temp.path().join(format!("f{n}"))).collect();
        for file in &files {
            std::fs::write(file, b"staged").unwrap();
        }
        sync_written(temp.path(), &files).expect("flushing new files");
        let gone = temp.path().join("gone");
        let error = sync_written(&gone, &[gone.join("f")]).expect_err("a folder that is not there");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }
}
