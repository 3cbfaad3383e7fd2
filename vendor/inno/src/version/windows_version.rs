use std::io;

use zerocopy::LE;

use crate::{ReadBytesExt, version::InnoVersion};

/// A Windows version as Inno Setup records it: `major.minor.build`.
#[derive(Clone, Copy, Debug, Default, Eq, Ord, PartialEq, PartialOrd)]
pub struct Version {
    major: u8,
    minor: u8,
    build: u16,
}

impl Version {
    /// Returns the major version number.
    #[must_use]
    #[inline]
    pub const fn major(self) -> u8 {
        self.major
    }

    /// Returns the minor version number.
    #[must_use]
    #[inline]
    pub const fn minor(self) -> u8 {
        self.minor
    }

    /// Returns the build number.
    #[must_use]
    #[inline]
    pub const fn build(self) -> u16 {
        self.build
    }

    fn read<R>(reader: &mut R, inno_version: InnoVersion) -> io::Result<Self>
    where
        R: io::Read,
    {
        let mut version = Self::default();

        if inno_version >= (1, 3, 19) {
            version.build = reader.read_u16::<LE>()?;
        }
        version.minor = reader.read_u8()?;
        version.major = reader.read_u8()?;

        Ok(version)
    }
}

/// A service pack level, `major.minor`.
#[derive(Clone, Copy, Debug, Default, Eq, Ord, PartialEq, PartialOrd)]
pub struct ServicePack {
    major: u8,
    minor: u8,
}

/// One bound of a version range: the Windows 9x version (unused since Inno
/// Setup 6), the NT version and the NT service pack.
#[derive(Clone, Copy, Debug, Default, Eq, Ord, PartialEq, PartialOrd)]
pub struct WindowsVersion {
    pub win_version: Version,
    pub nt_version: Version,
    pub nt_service_pack: ServicePack,
}

impl ServicePack {
    /// Returns the major service pack number.
    #[must_use]
    #[inline]
    pub const fn major(self) -> u8 {
        self.major
    }

    /// Returns the minor service pack number.
    #[must_use]
    #[inline]
    pub const fn minor(self) -> u8 {
        self.minor
    }
}

impl WindowsVersion {
    /// Returns the Windows 9x version.
    #[must_use]
    #[inline]
    pub const fn win_version(self) -> Version {
        self.win_version
    }

    /// Returns the Windows NT version.
    #[must_use]
    #[inline]
    pub const fn nt_version(self) -> Version {
        self.nt_version
    }

    /// Returns the Windows NT service pack.
    #[must_use]
    #[inline]
    pub const fn nt_service_pack(self) -> ServicePack {
        self.nt_service_pack
    }

    pub fn read_from<R>(src: &mut R, version: InnoVersion) -> io::Result<Self>
    where
        R: io::Read,
    {
        let mut windows_version = Self {
            win_version: Version::read(src, version)?,
            nt_version: Version::read(src, version)?,
            ..Self::default()
        };

        if version >= (1, 3, 19) {
            windows_version.nt_service_pack.minor = src.read_u8()?;
            windows_version.nt_service_pack.major = src.read_u8()?;
        }

        Ok(windows_version)
    }
}

#[derive(Clone, Copy, Debug, Default, Eq, Ord, PartialEq, PartialOrd)]
pub struct WindowsVersionRange {
    begin: WindowsVersion,
    end: WindowsVersion,
}

impl WindowsVersionRange {
    /// Returns the lowest version the entry applies to (`MinVersion`); all
    /// zero means no lower bound.
    #[must_use]
    #[inline]
    pub const fn begin(&self) -> WindowsVersion {
        self.begin
    }

    /// Returns the version from which the entry no longer applies
    /// (`OnlyBelowVersion`); all zero means no upper bound.
    #[must_use]
    #[inline]
    pub const fn end(&self) -> WindowsVersion {
        self.end
    }

    pub fn read_from<R>(src: &mut R, version: InnoVersion) -> io::Result<Self>
    where
        R: io::Read,
    {
        Ok(Self {
            begin: WindowsVersion::read_from(src, version)?,
            end: WindowsVersion::read_from(src, version)?,
        })
    }
}
