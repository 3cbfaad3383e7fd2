//! A small in-memory FUSE filesystem that fails on purpose, for the I/O-error
//! tests: reads of one file return EIO from a chosen offset, or come back
//! short; writes fail with EIO or ENOSPC once a byte budget is spent.
//!
//! It is mounted with `fuser` (pure Rust, default features: as root it mounts
//! with mount(2) on `/dev/fuse`, no libfuse or fusermount needed) in a
//! tempdir, and unmounted when the [`Mounted`] guard drops, also on panic.
//! Files are opened with `FOPEN_DIRECT_IO`, so every read and write reaches
//! the filesystem (no page cache in between to absorb or reorder a fault),
//! short reads reach the reader as they are, and shared memory maps are
//! refused (airlock then falls back to positioned reads, as it does for any
//! part it cannot map).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fuser::{
    Config, Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner, MountOption,
    OpenFlags, RenameFlags, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry, ReplyOpen,
    ReplyStatfs, ReplyWrite, Request, SessionACL, TimeOrNow, WriteFlags,
};

/// What goes wrong, and where.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Reads of the file with this name fail with EIO at and after this offset.
    pub eio_from: Option<(String, u64)>,
    /// Reads of every file return at most this many bytes at a time.
    pub short_reads: Option<u32>,
    /// Once this many bytes have been written (all files together), writes
    /// fail with this errno (`libc::EIO`, `libc::ENOSPC`).
    pub fail_writes_after: Option<(u64, i32)>,
    /// Open files through the page cache instead of `FOPEN_DIRECT_IO`, so
    /// they can be memory-mapped (a read fault then arrives as `SIGBUS`).
    pub page_cache: bool,
    /// Reads of this file that touch this byte range are answered only once
    /// the gate opens: a slow source that holds a reader in the middle of
    /// its work for as long as a test needs, without a sleep anywhere.
    pub hold: Option<(String, std::ops::Range<u64>, Arc<Gate>)>,
    /// Counts the bytes each file's reads return (every read reaches the
    /// filesystem: no page cache in between), so a test can tell how many
    /// times a run read a file.
    pub reads: Option<Arc<ReadCounts>>,
}

/// Bytes returned by reads, per file name (see [`Faults::reads`]).
#[derive(Debug, Default)]
pub struct ReadCounts(Mutex<HashMap<OsString, u64>>);

impl ReadCounts {
    /// Bytes read from the file `name` so far.
    pub fn of(&self, name: &str) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(OsStr::new(name)).copied().unwrap_or(0)
    }

    /// Starts counting from zero again.
    pub fn reset(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn add(&self, name: &OsStr, bytes: u64) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()).entry(name.to_owned()).or_default() += bytes;
    }
}

/// A gate a held read waits at (see [`Faults::hold`]).
#[derive(Debug, Default)]
pub struct Gate {
    state: Mutex<(bool, bool)>,
    changed: Condvar,
}

impl Gate {
    /// Whether a read is (or was) waiting at the gate.
    pub fn reached(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    /// Lets every held read, and every later one, through.
    pub fn open(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 = true;
        self.changed.notify_all();
    }

    fn is_open(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    /// Waits until the gate opens (at most a minute, so a failing test
    /// cannot leave the filesystem stuck).
    fn pass(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = true;
        let _ = self.changed.wait_timeout_while(state, Duration::from_secs(60), |s| !s.0);
    }
}

enum Kind {
    Dir(BTreeMap<OsString, u64>),
    File(Vec<u8>),
}

struct Node {
    parent: u64,
    kind: Kind,
    name: OsString,
    mode: u32,
    mtime: SystemTime,
}

struct State {
    nodes: HashMap<u64, Node>,
    next: u64,
    written: u64,
}

/// The filesystem.
pub struct FaultFs {
    state: Mutex<State>,
    faults: Faults,
}

const TTL: Duration = Duration::ZERO;
const ROOT: u64 = 1;

impl FaultFs {
    /// A filesystem holding copies of the regular files of `from` at its root.
    pub fn with_files_of(from: Option<&Path>, faults: Faults) -> Self {
        let mut nodes = HashMap::new();
        let mut root = BTreeMap::new();
        let mut next = ROOT + 1;
        if let Some(from) = from {
            let mut entries: Vec<_> = std::fs::read_dir(from).unwrap().flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                if !entry.file_type().unwrap().is_file() {
                    continue;
                }
                let data = std::fs::read(entry.path()).unwrap();
                nodes.insert(
                    next,
                    Node {
                        parent: ROOT,
                        kind: Kind::File(data),
                        name: entry.file_name(),
                        mode: 0o644,
                        mtime: SystemTime::now(),
                    },
                );
                root.insert(entry.file_name(), next);
                next += 1;
            }
        }
        nodes.insert(
            ROOT,
            Node { parent: ROOT, kind: Kind::Dir(root), name: OsString::new(), mode: 0o755, mtime: SystemTime::now() },
        );
        FaultFs { state: Mutex::new(State { nodes, next, written: 0 }), faults }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn attr(ino: u64, node: &Node) -> FileAttr {
    let (kind, size, nlink) = match &node.kind {
        Kind::Dir(_) => (FileType::Directory, 0, 2),
        Kind::File(data) => (FileType::RegularFile, data.len() as u64, 1),
    };
    FileAttr {
        ino: INodeNo(ino),
        size,
        blocks: size.div_ceil(512),
        atime: node.mtime,
        mtime: node.mtime,
        ctime: node.mtime,
        crtime: node.mtime,
        kind,
        perm: node.mode as u16,
        nlink,
        uid: 0,
        gid: 0,
        rdev: 0,
        flags: 0,
        blksize: 4096,
    }
}

impl State {
    fn child(&self, parent: u64, name: &OsStr) -> Option<u64> {
        match &self.nodes.get(&parent)?.kind {
            Kind::Dir(children) => children.get(name).copied(),
            Kind::File(_) => None,
        }
    }

    fn add(&mut self, parent: u64, name: &OsStr, kind: Kind, mode: u32) -> Result<u64, Errno> {
        if self.child(parent, name).is_some() {
            return Err(Errno::EEXIST);
        }
        let ino = self.next;
        self.next += 1;
        match self.nodes.get_mut(&parent).map(|n| &mut n.kind) {
            Some(Kind::Dir(children)) => children.insert(name.to_owned(), ino),
            _ => return Err(Errno::ENOTDIR),
        };
        self.nodes
            .insert(ino, Node { parent, kind, name: name.to_owned(), mode: mode & 0o7777, mtime: SystemTime::now() });
        Ok(ino)
    }

    fn remove(&mut self, parent: u64, name: &OsStr, dir: bool) -> Result<(), Errno> {
        let ino = self.child(parent, name).ok_or(Errno::ENOENT)?;
        match (&self.nodes[&ino].kind, dir) {
            (Kind::Dir(children), true) if !children.is_empty() => return Err(Errno::ENOTEMPTY),
            (Kind::Dir(_), false) => return Err(Errno::EISDIR),
            (Kind::File(_), true) => return Err(Errno::ENOTDIR),
            _ => {}
        }
        if let Some(Kind::Dir(children)) = self.nodes.get_mut(&parent).map(|n| &mut n.kind) {
            children.remove(name);
        }
        self.nodes.remove(&ino);
        Ok(())
    }
}

impl Filesystem for FaultFs {
    fn lookup(&self, _: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let state = self.lock();
        match state.child(parent.0, name) {
            Some(ino) => reply.entry(&TTL, &attr(ino, &state.nodes[&ino]), Generation(0)),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn getattr(&self, _: &Request, ino: INodeNo, _: Option<FileHandle>, reply: ReplyAttr) {
        let state = self.lock();
        match state.nodes.get(&ino.0) {
            Some(node) => reply.attr(&TTL, &attr(ino.0, node)),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn setattr(
        &self,
        _: &Request,
        ino: INodeNo,
        mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let mut state = self.lock();
        let Some(node) = state.nodes.get_mut(&ino.0) else { return reply.error(Errno::ENOENT) };
        if let Some(mode) = mode {
            node.mode = mode & 0o7777;
        }
        if let (Some(size), Kind::File(data)) = (size, &mut node.kind) {
            data.resize(size as usize, 0);
        }
        match mtime {
            Some(TimeOrNow::SpecificTime(time)) => node.mtime = time,
            Some(TimeOrNow::Now) => node.mtime = SystemTime::now(),
            None => {}
        }
        reply.attr(&TTL, &attr(ino.0, node));
    }

    fn mkdir(&self, _: &Request, parent: INodeNo, name: &OsStr, mode: u32, _umask: u32, reply: ReplyEntry) {
        let mut state = self.lock();
        match state.add(parent.0, name, Kind::Dir(BTreeMap::new()), mode) {
            Ok(ino) => reply.entry(&TTL, &attr(ino, &state.nodes[&ino]), Generation(0)),
            Err(e) => reply.error(e),
        }
    }

    fn unlink(&self, _: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        match self.lock().remove(parent.0, name, false) {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn rmdir(&self, _: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        match self.lock().remove(parent.0, name, true) {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn rename(
        &self,
        _: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        _flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        let mut state = self.lock();
        let Some(ino) = state.child(parent.0, name) else { return reply.error(Errno::ENOENT) };
        if let Some(existing) = state.child(newparent.0, newname) {
            if matches!(state.nodes[&existing].kind, Kind::Dir(ref c) if !c.is_empty()) {
                return reply.error(Errno::ENOTEMPTY);
            }
            state.nodes.remove(&existing);
        }
        if let Some(Kind::Dir(children)) = state.nodes.get_mut(&parent.0).map(|n| &mut n.kind) {
            children.remove(name);
        }
        match state.nodes.get_mut(&newparent.0).map(|n| &mut n.kind) {
            Some(Kind::Dir(children)) => {
                children.insert(newname.to_owned(), ino);
            }
            _ => return reply.error(Errno::ENOTDIR),
        }
        if let Some(node) = state.nodes.get_mut(&ino) {
            node.parent = newparent.0;
            node.name = newname.to_owned();
        }
        reply.ok();
    }

    fn open(&self, _: &Request, _ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        let flags = if self.faults.page_cache { FopenFlags::empty() } else { FopenFlags::FOPEN_DIRECT_IO };
        reply.opened(FileHandle(0), flags);
    }

    fn create(
        &self,
        _: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        _umask: u32,
        _flags: i32,
        reply: ReplyCreate,
    ) {
        let mut state = self.lock();
        let ino = match state.child(parent.0, name) {
            Some(ino) => ino,
            None => match state.add(parent.0, name, Kind::File(Vec::new()), mode) {
                Ok(ino) => ino,
                Err(e) => return reply.error(e),
            },
        };
        reply.created(&TTL, &attr(ino, &state.nodes[&ino]), Generation(0), FileHandle(0), FopenFlags::FOPEN_DIRECT_IO);
    }

    fn read(
        &self,
        _: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock: Option<LockOwner>,
        reply: ReplyData,
    ) {
        let state = self.lock();
        let Some(node) = state.nodes.get(&ino.0) else { return reply.error(Errno::ENOENT) };
        let Kind::File(data) = &node.kind else { return reply.error(Errno::EISDIR) };
        let mut end = offset.saturating_add(u64::from(size)).min(data.len() as u64);
        if let Some(max) = self.faults.short_reads {
            end = end.min(offset.saturating_add(u64::from(max)));
        }
        if let Some((name, from)) = &self.faults.eio_from
            && node.name == OsStr::new(name)
            && end > *from
        {
            return reply.error(Errno::EIO);
        }
        let start = offset.min(end) as usize;
        if let Some(reads) = &self.faults.reads {
            reads.add(&node.name, end - start as u64);
        }
        if let Some((name, range, gate)) = &self.faults.hold
            && node.name == OsStr::new(name)
            && offset < range.end
            && end > range.start
            && !gate.is_open()
        {
            // Answered from another thread once the gate opens, so the
            // filesystem keeps serving every other request meanwhile.
            let (bytes, gate) = (data[start..end as usize].to_vec(), Arc::clone(gate));
            std::thread::spawn(move || {
                gate.pass();
                reply.data(&bytes);
            });
            return;
        }
        reply.data(&data[start..end as usize]);
    }

    fn write(
        &self,
        _: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        bytes: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        let mut state = self.lock();
        if let Some((budget, errno)) = self.faults.fail_writes_after
            && state.written.saturating_add(bytes.len() as u64) > budget
        {
            return reply.error(Errno::from_i32(errno));
        }
        state.written = state.written.saturating_add(bytes.len() as u64);
        let Some(node) = state.nodes.get_mut(&ino.0) else { return reply.error(Errno::ENOENT) };
        let Kind::File(data) = &mut node.kind else { return reply.error(Errno::EISDIR) };
        let end = offset as usize + bytes.len();
        if data.len() < end {
            data.resize(end, 0);
        }
        data[offset as usize..end].copy_from_slice(bytes);
        node.mtime = SystemTime::now();
        reply.written(bytes.len() as u32);
    }

    fn flush(&self, _: &Request, _: INodeNo, _: FileHandle, _: LockOwner, reply: ReplyEmpty) {
        reply.ok();
    }

    fn release(
        &self,
        _: &Request,
        _: INodeNo,
        _: FileHandle,
        _: OpenFlags,
        _: Option<LockOwner>,
        _: bool,
        reply: ReplyEmpty,
    ) {
        reply.ok();
    }

    fn fsync(&self, _: &Request, _: INodeNo, _: FileHandle, _: bool, reply: ReplyEmpty) {
        reply.ok();
    }

    fn opendir(&self, _: &Request, _: INodeNo, _: OpenFlags, reply: ReplyOpen) {
        reply.opened(FileHandle(0), FopenFlags::empty());
    }

    fn readdir(&self, _: &Request, ino: INodeNo, _: FileHandle, offset: u64, mut reply: ReplyDirectory) {
        let state = self.lock();
        let Some(node) = state.nodes.get(&ino.0) else { return reply.error(Errno::ENOENT) };
        let Kind::Dir(children) = &node.kind else { return reply.error(Errno::ENOTDIR) };
        let mut entries = vec![
            (ino.0, FileType::Directory, OsString::from(".")),
            (node.parent, FileType::Directory, OsString::from("..")),
        ];
        for (name, child) in children {
            let kind = match state.nodes[child].kind {
                Kind::Dir(_) => FileType::Directory,
                Kind::File(_) => FileType::RegularFile,
            };
            entries.push((*child, kind, name.clone()));
        }
        for (i, (child, kind, name)) in entries.into_iter().enumerate().skip(offset as usize) {
            if reply.add(INodeNo(child), (i + 1) as u64, kind, &name) {
                break;
            }
        }
        reply.ok();
    }

    fn releasedir(&self, _: &Request, _: INodeNo, _: FileHandle, _: OpenFlags, reply: ReplyEmpty) {
        reply.ok();
    }

    fn fsyncdir(&self, _: &Request, _: INodeNo, _: FileHandle, _: bool, reply: ReplyEmpty) {
        reply.ok();
    }

    fn statfs(&self, _: &Request, _: INodeNo, reply: ReplyStatfs) {
        // 64 GiB free, so the free-space rule passes and the fault comes mid-write.
        reply.statfs(1 << 24, 1 << 24, 1 << 24, 1 << 20, 1 << 20, 4096, 255, 4096);
    }
}

/// Why FUSE cannot be used here, if it cannot (checked before mounting).
pub fn unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not running as root (mount(2) of a FUSE filesystem needs it; CI runs as root)".to_owned());
    }
    if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/fuse") {
        return Some(format!("/dev/fuse cannot be opened ({e})"));
    }
    None
}

/// A mounted [`FaultFs`]; unmounted on drop (also when a test panics).
pub struct Mounted {
    session: Option<fuser::BackgroundSession>,
    pub path: PathBuf,
}

impl Mounted {
    /// Mounts `fs` on the new folder `at` and waits (bounded) until the mount
    /// is visible there.
    pub fn new(fs: FaultFs, at: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(at)?;
        let mut config = Config::default();
        config.mount_options = vec![MountOption::FSName("airlock-faultfs".to_owned()), MountOption::NoAtime];
        config.acl = SessionACL::Owner;
        let session = fuser::spawn_mount(fs, at, &config)?;
        let mounted = Mounted { session: Some(session), path: at.to_path_buf() };
        // The mount is in place when spawn_mount returns; confirm it by the
        // filesystem's own root inode, with a bound instead of a sleep.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            use std::os::unix::fs::MetadataExt;
            if std::fs::metadata(at).is_ok_and(|m| m.ino() == ROOT) {
                return Ok(mounted);
            }
            if std::time::Instant::now() > deadline {
                return Err(std::io::Error::other(format!("{} did not show the FUSE mount", at.display())));
            }
            std::thread::yield_now();
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            let _ = session.umount_and_join();
        }
    }
}

/// A fixed time for files the tests create, so trees compare equal.
pub fn epoch() -> SystemTime {
    UNIX_EPOCH
}

/// Whether FUSE can be used; if not, says why past libtest's capture (and
/// fails when CI asked for it with `AIRLOCK_FUSE`).
pub fn available() -> bool {
    match unavailable() {
        None => true,
        Some(reason) if std::env::var_os("AIRLOCK_FUSE").is_some() => {
            panic!("AIRLOCK_FUSE is set but FUSE cannot be used: {reason}")
        }
        Some(reason) => {
            // Straight to file descriptor 2, past libtest's capture, so the skip is seen.
            let line = format!("SKIPPED (no FUSE here): {reason}; set AIRLOCK_FUSE=1 to make this a failure\n");
            // SAFETY: write(2) on the process's own stderr with a valid buffer.
            unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
            false
        }
    }
}
