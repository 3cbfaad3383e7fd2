//! The Unix implementation of [`crate::platform`] (Linux is what airlock is
//! built and tested on; Linux-only calls are marked).

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, SystemTime};

pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    file.read_at(buf, offset)
}

/// `posix_fadvise` over the whole file; advice only changes performance and
/// caching, never what is read, so its result is ignored.
#[cfg(target_os = "linux")]
fn fadvise(file: &File, advice: libc::c_int) {
    use std::os::fd::AsRawFd;
    // SAFETY: an advisory syscall on a descriptor we own.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, advice);
    }
}

pub(super) fn advise_sequential(file: &File) {
    #[cfg(target_os = "linux")]
    fadvise(file, libc::POSIX_FADV_SEQUENTIAL);
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

pub(super) fn forget_cached_pages(file: &File) {
    #[cfg(target_os = "linux")]
    fadvise(file, libc::POSIX_FADV_DONTNEED);
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

pub(super) fn advise_map_sequential(map: &memmap2::Mmap) {
    // Advice is a hint: what is read is the same whether or not it is taken.
    let _ = map.advise(memmap2::Advice::Sequential);
}

pub(super) fn cached_fraction(map: &memmap2::Mmap) -> Option<f64> {
    // SAFETY: sysconf has no memory arguments.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok().filter(|&page| page > 0)?;
    let pages = map.len().div_ceil(page);
    if pages == 0 {
        return Some(1.0);
    }
    let mut resident = vec![0u8; pages];
    // SAFETY: the range is exactly the live map (page-aligned by mmap), and
    // `resident` has one byte per page of it, as mincore writes.
    let status = unsafe { libc::mincore(map.as_ptr() as *mut libc::c_void, map.len(), resident.as_mut_ptr().cast()) };
    if status != 0 {
        return None;
    }
    let cached = resident.iter().filter(|&&flags| flags & 1 != 0).count();
    Some(cached as f64 / pages as f64)
}

pub(super) fn populate_map(map: &memmap2::Mmap, offset: usize, len: usize) {
    #[cfg(target_os = "linux")]
    let _ = map.advise_range(memmap2::Advice::PopulateRead, offset, len);
    #[cfg(not(target_os = "linux"))]
    let _ = (map, offset, len);
}

pub(super) fn forget_map_range(map: &memmap2::Mmap, offset: usize, len: usize) {
    // SAFETY: callers pass read-only private maps of files (see the portable
    // docs): dropped pages are only faulted in again from the file.
    let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
}

pub(super) fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(target_os = "linux")]
pub(super) fn sync_written(dir: &Path, _files: &[std::path::PathBuf]) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let handle = File::open(dir)?;
    // SAFETY: syncfs only reads the descriptor, which `handle` keeps open.
    if unsafe { libc::syncfs(handle.as_raw_fd()) } == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn sync_written(_dir: &Path, files: &[std::path::PathBuf]) -> io::Result<()> {
    files.iter().try_for_each(|file| File::open(file)?.sync_all())
}

pub(super) fn flush_filesystem(dir: &Path) -> Option<io::Result<()>> {
    #[cfg(target_os = "linux")]
    {
        Some(sync_written(dir, &[]))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

pub(super) fn start_writeback(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (libc::off64_t::try_from(offset), libc::off64_t::try_from(len)) else { return };
        // SAFETY: sync_file_range only reads the descriptor, which `file`
        // keeps open; the range is plain numbers.
        let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

pub(super) fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no arguments; setpriority on this thread's id
    // changes only this thread's nice value (Linux threads are tasks).
    unsafe {
        let tid = libc::gettid();
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

pub(super) fn owner_only(options: &mut std::fs::OpenOptions) {
    options.mode(0o600);
}

pub(super) fn usual_mode(builder: &mut tempfile::Builder) {
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

pub(super) fn available_space(path: &Path) -> io::Result<u64> {
    fs4::available_space(path)
}

pub(super) fn removable_media(path: &Path) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        let dev = std::fs::metadata(path).ok()?.dev();
        removable_in_sysfs(Path::new("/sys"), libc::major(dev), libc::minor(dev))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

/// [`removable_media`] of block device `major:minor` as the sysfs under
/// `sys` describes it: `None` when it has no entry (not a block device).
#[cfg(target_os = "linux")]
fn removable_in_sysfs(sys: &Path, major: u32, minor: u32) -> Option<bool> {
    // `dev/block/M:m` links to the device's folder under `devices/`, whose
    // path names the buses it hangs off (`…/usb2/2-1/…/block/sdb/sdb1`).
    let device = std::fs::canonicalize(sys.join(format!("dev/block/{major}:{minor}"))).ok()?;
    // A partition's flags are its disk's: the folder above it.
    let disk = if device.join("partition").exists() { device.parent()?.to_path_buf() } else { device };
    let flagged = std::fs::read_to_string(disk.join("removable")).is_ok_and(|flag| flag.trim() == "1");
    let on_usb = disk.components().any(|part| part.as_os_str().to_str().is_some_and(|name| name.starts_with("usb")));
    Some(flagged || on_usb)
}

pub(super) fn open_uncached(path: &Path) -> io::Result<File> {
    let file = File::open(path)?;
    // Dirty pages cannot be dropped: flush them first. Both are best effort;
    // the read that follows is right either way.
    let _ = file.sync_all();
    forget_cached_pages(&file);
    Ok(file)
}

pub(super) fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

pub(super) fn local_time(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<SystemTime> {
    // SAFETY: `tm` is plain data, zero-initialised and then filled in; an
    // all-zero `tm` (null `tm_zone` included) is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = i32::from(year).saturating_sub(1900);
    tm.tm_mon = i32::from(month).saturating_sub(1);
    tm.tm_mday = i32::from(day);
    tm.tm_hour = i32::from(hour);
    tm.tm_min = i32::from(minute);
    tm.tm_sec = i32::from(second);
    tm.tm_isdst = -1;
    // SAFETY: `tm` is a valid, exclusively borrowed `struct tm`; mktime only
    // normalises it in place and returns -1 when the time cannot be held.
    let seconds = unsafe { libc::mktime(&mut tm) };
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

#[cfg(test)]
pub(super) fn device_error() -> io::Error {
    io::Error::from_raw_os_error(libc::EIO)
}

#[cfg(test)]
pub(super) fn mode_and_umask(path: &Path) -> Option<(u32, u32)> {
    // SAFETY: umask only reads and sets this process's mask.
    let mask = unsafe {
        let mask = libc::umask(0o022);
        libc::umask(mask);
        mask
    };
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    #[allow(clippy::useless_conversion)] // mode_t is u16 on some Unixes
    Some((mode, u32::from(mask)))
}

/// Ctrl-C, `kill` and a dropped terminal (ssh).
#[cfg(feature = "cli")]
const STOP_SIGNALS: &[libc::c_int] = &[libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

#[cfg(feature = "cli")]
pub(super) fn cancel_on_signals(cancel: &crate::Cancel) {
    for signal in STOP_SIGNALS {
        // A signal that cannot be hooked (the system refuses) keeps its
        // default action; there is nothing better to do about it.
        let _ = signal_hook::flag::register(*signal, cancel.as_atomic());
    }
}

#[cfg(feature = "cli")]
mod bus_error {
    use std::sync::OnceLock;

    /// What the handler writes and the code it exits with: set once before
    /// the handler is installed, only read inside it.
    static EXIT: OnceLock<(&'static str, u8)> = OnceLock::new();

    extern "C" fn on_sigbus(_: libc::c_int) {
        // SAFETY: OnceLock::get is an atomic load; write(2) and _exit(2) are
        // async-signal-safe; the message is 'static.
        unsafe {
            let (message, code) = EXIT.get().copied().unwrap_or(("airlock: error: a mapped read failed\n", 6));
            libc::write(2, message.as_ptr().cast(), message.len());
            libc::_exit(i32::from(code));
        }
    }

    pub(in crate::platform) fn install(message: &'static str, code: u8) {
        let _ = EXIT.set((message, code));
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    }
}

#[cfg(feature = "cli")]
pub(super) use bus_error::install as exit_on_mapped_read_fault;

/// Whether descriptor 1 was closed when the process started, recorded by a
/// constructor that runs before Rust's runtime start-up: that start-up
/// points closed standard descriptors at `/dev/null`, after which a closed
/// output can no longer be told from a discarded one.
#[cfg(feature = "cli")]
mod start_up {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub(super) static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn record() {
        // SAFETY: F_GETFD on a descriptor number reads its flags and nothing else.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }

    #[used]
    #[cfg_attr(target_vendor = "apple", unsafe(link_section = "__DATA,__mod_init_func"))]
    #[cfg_attr(not(target_vendor = "apple"), unsafe(link_section = ".init_array"))]
    static RECORD: extern "C" fn() = record;

    pub(in crate::platform) fn standard_output_is_open() -> bool {
        !STDOUT_CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(feature = "cli")]
pub(super) use start_up::standard_output_is_open;

pub(super) fn special_file_kind(metadata: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if kind.is_socket() {
        Some("a socket")
    } else if kind.is_block_device() || kind.is_char_device() {
        Some("a device")
    } else {
        None
    }
}

#[cfg(test)]
pub(super) fn link(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

pub(super) fn settle_written(file: &File, offset: u64, len: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (libc::off64_t::try_from(offset), libc::off64_t::try_from(len)) else { return };
        let flags = libc::SYNC_FILE_RANGE_WAIT_BEFORE | libc::SYNC_FILE_RANGE_WRITE | libc::SYNC_FILE_RANGE_WAIT_AFTER;
        // SAFETY: both calls only read the descriptor, which `file` keeps
        // open; the range is plain numbers.
        unsafe {
            if libc::sync_file_range(file.as_raw_fd(), offset, len, flags) == 0 {
                libc::posix_fadvise(file.as_raw_fd(), offset, len, libc::POSIX_FADV_DONTNEED);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, offset, len);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A sysfs tree with one device folder (and a `removable` flag on its
    /// disk), linked from `dev/block/major:minor` as the kernel links it.
    fn sysfs(sys: &Path, disk: &str, partition: Option<&str>, removable: &str, numbers: &str) {
        let disk = sys.join("devices").join(disk);
        std::fs::create_dir_all(&disk).unwrap();
        std::fs::write(disk.join("removable"), format!("{removable}\n")).unwrap();
        let device = match partition {
            Some(name) => {
                let partition = disk.join(name);
                std::fs::create_dir_all(&partition).unwrap();
                std::fs::write(partition.join("partition"), "1\n").unwrap();
                partition
            }
            None => disk,
        };
        std::fs::create_dir_all(sys.join("dev/block")).unwrap();
        std::os::unix::fs::symlink(device, sys.join("dev/block").join(numbers)).unwrap();
    }

    #[test]
    fn removable_media_is_read_from_the_disk_of_the_partition_and_its_bus() {
        let dir = tempfile::tempdir().unwrap();
        let sys = dir.path();
        // A USB stick: flagged removable, on a USB bus.
        sysfs(
            sys,
            "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb",
            Some("sdb1"),
            "1",
            "8:17",
        );
        // A USB disk: says it is fixed, but hangs off a USB bus.
        sysfs(
            sys,
            "pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host7/target7:0:0/7:0:0:0/block/sdc",
            Some("sdc1"),
            "0",
            "8:33",
        );
        // A DVD drive on SATA: flagged removable, no partitions.
        sysfs(sys, "pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sr0", None, "1", "11:0");
        // The internal NVMe disk.
        sysfs(sys, "pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1", Some("nvme0n1p2"), "0", "259:2");

        assert_eq!(removable_in_sysfs(sys, 8, 17), Some(true));
        assert_eq!(removable_in_sysfs(sys, 8, 33), Some(true));
        assert_eq!(removable_in_sysfs(sys, 11, 0), Some(true));
        assert_eq!(removable_in_sysfs(sys, 259, 2), Some(false));
        // No block device (tmpfs, FUSE, a network share): cannot tell.
        assert_eq!(removable_in_sysfs(sys, 0, 45), None);
    }
}
