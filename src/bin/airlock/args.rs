//! Command-line arguments (clap derive; the doc comments are the help text).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check, verify and extract multi-part offline installer download sets.
///
/// SET is the installer `.exe`, any part of the set (`NAME-3.bin`,
/// `NAME.7z.002`), or the folder holding it.
#[derive(Debug, Parser)]
#[command(name = "airlock", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Is the set complete? Names every missing, misplaced, partial or damaged part (headers only, seconds).
    Check {
        #[command(flatten)]
        set: SetArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// SHA-256 of every part against a manifest (found beside the set, or --manifest); prints the hashes when there is none.
    Verify {
        #[command(flatten)]
        set: SetArgs,
        /// Also decompress the whole payload (writing nothing) and check every file's own checksum.
        #[arg(long)]
        deep: bool,
        /// Password for an encrypted 7z, zip or Inno Setup payload (with --deep).
        #[arg(long, env = "AIRLOCK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Read the password from the first line of FILE (takes precedence over AIRLOCK_PASSWORD).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        /// Require the manifest to be signed by this minisign public key, and every part to be listed in it.
        #[arg(long, value_name = "PUBKEY")]
        trust: Option<PathBuf>,
        #[command(flatten)]
        choice: InnoChoiceArgs,
        #[command(flatten)]
        hashing: HashArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write a manifest of the set's parts: coreutils `sha256sum` format (default) or JSON.
    Manifest {
        #[command(flatten)]
        set: SetArgs,
        /// Write to FILE instead of standard output (`-`: standard output; an existing FILE is kept unless --overwrite says otherwise).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// What to do when FILE exists: never (refuse), always (replace), if-different (replace unless identical).
        #[arg(long, value_enum, value_name = "MODE", default_value_t = OverwriteArg::Never, requires = "output")]
        overwrite: OverwriteArg,
        /// Manifest format.
        #[arg(long, value_enum, default_value_t = ManifestFormatArg::Sha256sum)]
        format: ManifestFormatArg,
        /// Record the parts as they are now even where a manifest beside the set (or --manifest) says otherwise.
        #[arg(long)]
        rerecord: bool,
        /// Sign the manifest with this minisign secret key, writing FILE.minisig (password from AIRLOCK_KEY_PASSWORD).
        #[arg(long, value_name = "KEYFILE", requires = "output")]
        sign: Option<PathBuf>,
        #[command(flatten)]
        hashing: HashArgs,
        #[command(flatten)]
        output_args: OutputArgs,
    },
    /// List the files inside the payload: path, size, packed size, checksum, modified time.
    List {
        #[command(flatten)]
        set: SetArgs,
        /// Password for an encrypted 7z, zip or Inno Setup payload.
        #[arg(long, env = "AIRLOCK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Read the password from the first line of FILE (takes precedence over AIRLOCK_PASSWORD).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        choice: InnoChoiceArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Extract the payload into DEST: checked, verified, space-checked first; all or nothing.
    Extract {
        #[command(flatten)]
        set: SetArgs,
        /// Destination folder (created if missing).
        #[arg(short = 'd', long = "dest", value_name = "DEST")]
        dest: PathBuf,
        /// Extract only entries matching GLOB (repeatable; case-insensitive; `/` or `\`; `*` stays in one folder, `**` crosses folders).
        #[arg(long, value_name = "GLOB")]
        include: Vec<String>,
        /// Skip entries matching GLOB (repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        #[command(flatten)]
        choice: InnoChoiceArgs,
        /// What to do with files that already exist in DEST.
        #[arg(long, value_enum, value_name = "MODE", default_value_t = OverwriteArg::Never)]
        overwrite: OverwriteArg,
        /// When two 7z/zip entries would be one file in DEST (`README` and `readme` where case is ignored, or one name twice): refuse (default), rename the later, or keep-last.
        #[arg(long, value_enum, default_value_t = CollisionsArg::Refuse)]
        collisions: CollisionsArg,
        /// Refuse unless at least SIZE is free at DEST (and at least the size of what is extracted). `4GiB`, `500MB`, bytes; 0 removes the floor.
        #[arg(long, value_name = "SIZE", default_value = "4GiB", value_parser = airlock::parse_size)]
        min_free: u64,
        /// Do not verify the parts against a manifest before extracting.
        #[arg(long)]
        no_verify: bool,
        /// Password for an encrypted 7z, zip or Inno Setup payload.
        #[arg(long, env = "AIRLOCK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Read the password from the first line of FILE (takes precedence over AIRLOCK_PASSWORD).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        /// Require the manifest to be signed by this minisign public key.
        #[arg(long, value_name = "PUBKEY", conflicts_with = "no_verify")]
        trust: Option<PathBuf>,
        #[command(flatten)]
        hashing: HashArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Copy a checked set onto media, read every copy back from the device, then write SHA256SUMS and NAME.manifest.json beside it.
    Stage {
        /// The set: its `.exe`, any part, or the folder holding it.
        #[arg(value_name = "SET")]
        set: PathBuf,
        /// The folder on the media (created if missing).
        #[arg(value_name = "MEDIA_DIR")]
        media: PathBuf,
        /// Sign the manifests with this minisign secret key (password from AIRLOCK_KEY_PASSWORD).
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
        /// The source's manifest, instead of one found beside the set (the source must match it before anything is copied; `-`: standard input).
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// Require the source's manifest to be signed by this minisign public key, and every part to be listed in it.
        #[arg(long, value_name = "PUBKEY")]
        trust: Option<PathBuf>,
        /// Files on the media with a part's name but other content: never (refuse), always or if-different (replace them; identical copies are always kept).
        #[arg(long, value_enum, value_name = "MODE", default_value_t = OverwriteArg::Never)]
        overwrite: OverwriteArg,
        #[command(flatten)]
        signing: SignerArgs,
        #[command(flatten)]
        hashing: HashArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Check the Authenticode signature of Windows executables (an installer `.exe`, or any PE part or file): exit 0 only if every one is valid (and by --signer).
    Authenticode {
        /// The files to check.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        signing: SignerArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Download a whole set into one folder: from the installer's URL (its header names the slices), parallel, resumable, hashed as it streams; writes SHA256SUMS and NAME.manifest.json.
    Fetch(crate::cmd::fetch::FetchArgs),
    /// Write the man pages or a shell's completion script (for packagers; `scripts/dist.sh`).
    #[command(hide = true, subcommand)]
    Generate(crate::cmd::generate::Generate),
    /// Create a minisign key pair for signing manifests.
    Keygen {
        /// Where to write the public key (give it to the far side).
        #[arg(short = 'p', long, value_name = "FILE", default_value = "airlock.pub")]
        public: PathBuf,
        /// Where to write the secret key (keep it off the media).
        #[arg(short = 's', long, value_name = "FILE", default_value = "airlock.key")]
        secret: PathBuf,
        /// Leave the secret key without a password (otherwise AIRLOCK_KEY_PASSWORD is required).
        #[arg(long)]
        no_password: bool,
        /// What to do when a key file exists: never (refuse); always or if-different (replace both: a new pair always differs).
        #[arg(long, value_enum, value_name = "MODE", default_value_t = OverwriteArg::Never)]
        overwrite: OverwriteArg,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// The set and its manifest.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The set: its `.exe`, any part, or the folder holding it.
    #[arg(value_name = "SET")]
    pub set: PathBuf,
    /// Manifest to use instead of one found beside the set (SHA256SUMS, NAME.sha256, NAME.manifest.json; sha256sum, BSD tag, Get-FileHash CSV or airlock JSON; `-` reads it from standard input).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    #[command(flatten)]
    pub signing: SignerArgs,
}

/// Who must have signed the installer (Authenticode).
#[derive(Debug, Args, Default)]
pub struct SignerArgs {
    /// Require a valid Authenticode signature on the installer whose signing certificate's subject O or CN is NAME (case-insensitive); anything else is exit 1.
    #[arg(long, value_name = "NAME")]
    pub signer: Option<String>,
    /// Also trust this root certificate (PEM or DER; repeatable) besides the built-in Microsoft Root Certificate Authority 2010 and 2011.
    #[arg(long = "root", value_name = "FILE")]
    pub roots: Vec<PathBuf>,
}

/// An Inno Setup installer's wizard choices (`list`, `extract`, `verify --deep`).
#[derive(Debug, Args)]
pub struct InnoChoiceArgs {
    /// Inno Setup: the language to take files for (a name from `list`; default: the installer's first language). Files of no language are always taken.
    #[arg(long, value_name = "LANG")]
    pub language: Option<String>,
    /// Inno Setup: take only this component's files, with its subcomponents (repeatable; default: every component). Files of no component are always taken.
    #[arg(long = "component", value_name = "NAME")]
    pub components: Vec<String>,
    /// Inno Setup: take only this task's files (repeatable; default: every task). Files of no task are always taken.
    #[arg(long = "task", value_name = "NAME")]
    pub tasks: Vec<String>,
}

impl InnoChoiceArgs {
    pub fn choice(&self) -> airlock::InnoChoice {
        airlock::InnoChoice {
            language: self.language.clone(),
            components: self.components.clone(),
            tasks: self.tasks.clone(),
        }
    }
}

/// How parts are hashed.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// Worker threads, 1 to 1024 (default: all cores, or RAYON_NUM_THREADS; never more than there is work for).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Memory-map every part for hashing (default: map the parts already in the page cache, read the others).
    #[arg(long, conflicts_with = "no_mmap")]
    pub mmap: bool,
    /// Never memory-map parts for hashing: read them (immune to a part being truncated meanwhile).
    #[arg(long)]
    pub no_mmap: bool,
}

/// How results are printed.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print one JSON object on standard output instead of text.
    #[arg(long)]
    pub json: bool,
    /// No progress bars and no warnings; errors only.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ManifestFormatArg {
    /// `<sha256>  <name>` lines, as `sha256sum` writes and `sha256sum -c` reads.
    Sha256sum,
    /// airlock's JSON manifest (names, sizes, hashes, scheme, payload).
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OverwriteArg {
    /// Refuse and list the files that exist, before writing anything.
    Never,
    /// Replace existing files.
    Always,
    /// Replace only files whose content differs.
    IfDifferent,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CollisionsArg {
    /// Refuse before writing anything, naming both entries.
    Refuse,
    /// Keep both: the later is written as `NAME (2).EXT`.
    Rename,
    /// Keep only the later entry.
    KeepLast,
}

impl From<CollisionsArg> for airlock::Collisions {
    fn from(value: CollisionsArg) -> Self {
        match value {
            CollisionsArg::Refuse => airlock::Collisions::Refuse,
            CollisionsArg::Rename => airlock::Collisions::Rename,
            CollisionsArg::KeepLast => airlock::Collisions::KeepLast,
        }
    }
}

impl From<OverwriteArg> for airlock::Overwrite {
    fn from(value: OverwriteArg) -> Self {
        match value {
            OverwriteArg::Never => airlock::Overwrite::Never,
            OverwriteArg::Always => airlock::Overwrite::Always,
            OverwriteArg::IfDifferent => airlock::Overwrite::IfDifferent,
        }
    }
}

/// The most `--threads` may ask for: beyond this a number is a typo, and
/// each thread costs a stack and a buffer.
pub const MAX_THREADS: usize = 1024;

fn parse_threads(text: &str) -> Result<usize, String> {
    let n: usize = text.parse().map_err(|_| format!("{text:?} is not a number of threads"))?;
    if n == 0 || n > MAX_THREADS {
        return Err(format!("give 1 to {MAX_THREADS} threads, or leave --threads out to use all cores"));
    }
    Ok(n)
}

impl HashArgs {
    pub fn options(&self) -> airlock::HashOptions {
        airlock::HashOptions::default().threads(self.threads.unwrap_or(0)).access(match (self.mmap, self.no_mmap) {
            (true, _) => airlock::PartAccess::Map,
            (_, true) => airlock::PartAccess::Read,
            _ => airlock::PartAccess::Auto,
        })
    }
}

/// What `extract` was asked to do, beyond the common arguments.
pub struct ExtractArgs {
    pub dest: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub overwrite: airlock::Overwrite,
    pub collisions: airlock::Collisions,
    pub min_free: u64,
    pub verify: bool,
    pub password: Option<String>,
    pub trust: Option<PathBuf>,
    pub choice: airlock::InnoChoice,
}

/// What `stage` was asked beyond the set and the media: the key to sign
/// with, which manifest vouches for the source (`--manifest`, `--trust`;
/// both unset: the one found beside the set, if any), and the overwrite mode.
pub struct StageRequest {
    pub sign: Option<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub trust: Option<PathBuf>,
    pub overwrite: airlock::Overwrite,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
