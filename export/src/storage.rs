//! Where releases are written: the [`Storage`] trait and [`LocalFolder`], its implementation
//! over a local folder.
//!
//! The trait speaks the publication protocol, not a file system: files are created in the
//! *staging* area of one release, the staged release is *published* (made visible under
//! `releases/<name>/`) in one step, and the pointer files are *replaced* whole. A local folder
//! publishes by one `rename`; an object store (a later implementation) would write the dated
//! objects where they belong and let `manifest.json`, written last, and the pointers flipped
//! after it make the release visible, so nothing above this trait changes.
//!
//! The layout of a [`LocalFolder`], which is also the layout served over HTTP:
//!
//! ```text
//! <root>/.lock                    held by the export that is running (an OS file lock)
//! <root>/.staging/<name>/…        a release being written; left behind only by a crash
//! <root>/releases/<name>/…        published releases, never changed afterwards (but see retention)
//! <root>/latest.json, state.txt, releases.atom, datasets/dcat
//! ```
//!
//! Paths given to a storage are relative, `/`-separated, without `.` or `..` parts.

use std::fs::{self, File, TryLockError};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::StorageError;

/// Where the release files go.
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Takes the exclusive export lock, or fails with [`StorageError::Locked`] at once when
    /// another export holds it. The lock is held until the returned guard is dropped, and by
    /// the operating system no longer than the process lives.
    fn lock(&self) -> Result<StorageLock, StorageError>;

    /// Removes what a crashed export left in the staging area; returns the release names
    /// removed. Call it only while holding the lock.
    fn clear_staging(&self) -> Result<Vec<String>, StorageError>;

    /// Creates the file `path` of the staged release `release`, empty; the parent folders are
    /// created as needed.
    fn create_staged(&self, release: &str, path: &str) -> Result<Box<dyn StagedFile>, StorageError>;

    /// Removes a file of the staged release.
    fn remove_staged(&self, release: &str, path: &str) -> Result<(), StorageError>;

    /// Publishes the staged release `release` as `releases/<release>/`, all at once.
    fn publish(&self, release: &str) -> Result<(), StorageError>;

    /// Opens a published file (`releases/…/manifest.json`, `latest.json`), or `None` when it
    /// does not exist.
    fn read(&self, path: &str) -> Result<Option<Box<dyn Read + Send>>, StorageError>;

    /// Replaces the file `path` outside the releases (`latest.json`, `datasets/dcat`) with
    /// `bytes`, atomically: a reader sees the old file or the new one, never a mix.
    fn replace(&self, path: &str, bytes: &[u8]) -> Result<(), StorageError>;

    /// The names of the published release folders, in no particular order.
    fn releases(&self) -> Result<Vec<String>, StorageError>;

    /// Removes a published release folder (`releases/<name>`) or one file of it.
    fn remove(&self, path: &str) -> Result<(), StorageError>;
}

/// A file being written into a staged release.
pub trait StagedFile: Write + Send {
    /// Flushes the file and makes it durable.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// The export lock; released when dropped.
pub struct StorageLock(#[allow(dead_code)] Box<dyn Send + Sync>);

impl std::fmt::Debug for StorageLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorageLock")
    }
}

impl StorageLock {
    /// A lock guard holding `guard` until dropped.
    pub fn new(guard: impl Send + Sync + 'static) -> Self {
        Self(Box::new(guard))
    }
}

/// A [`Storage`] over a local folder; see the module docs for the layout.
#[derive(Debug, Clone)]
pub struct LocalFolder {
    root: PathBuf,
}

const STAGING: &str = ".staging";
const RELEASES: &str = "releases";
const LOCK: &str = ".lock";

impl LocalFolder {
    /// The folder `root`; it is created when the first export takes the lock.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, relative: &str) -> Result<PathBuf, StorageError> {
        Ok(self.root.join(checked(relative)?))
    }

    fn staged(&self, release: &str) -> Result<PathBuf, StorageError> {
        Ok(self.root.join(STAGING).join(checked(release)?))
    }
}

/// `relative` when it is a plain relative path: no empty, `.` or `..` parts, not absolute, no
/// backslash.
fn checked(relative: &str) -> Result<&str, StorageError> {
    let plain = !relative.is_empty()
        && !relative.contains('\\')
        && relative.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    if plain { Ok(relative) } else { Err(StorageError::BadPath(relative.to_owned())) }
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StorageError + 'a {
    move |source| StorageError::Io { action, path: path.to_owned(), source }
}

/// Makes a rename or a new file in `folder` durable.
fn sync_folder(folder: &Path) -> Result<(), StorageError> {
    File::open(folder).and_then(|f| f.sync_all()).map_err(io_error("sync", folder))
}

struct LocalFile {
    file: BufWriter<File>,
}

impl Write for LocalFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl StagedFile for LocalFile {
    fn finish(self: Box<Self>) -> io::Result<()> {
        let file = self.file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()
    }
}

impl Storage for LocalFolder {
    fn lock(&self) -> Result<StorageLock, StorageError> {
        fs::create_dir_all(&self.root).map_err(io_error("create", &self.root))?;
        let path = self.root.join(LOCK);
        let file =
            File::options().create(true).truncate(false).write(true).open(&path).map_err(io_error("lock", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(StorageLock::new(file)),
            Err(TryLockError::WouldBlock) => Err(StorageError::Locked { path }),
            Err(TryLockError::Error(source)) => Err(StorageError::Io { action: "lock", path, source }),
        }
    }

    fn clear_staging(&self) -> Result<Vec<String>, StorageError> {
        let staging = self.root.join(STAGING);
        let entries = match fs::read_dir(&staging) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(StorageError::Io { action: "list", path: staging, source: error }),
        };
        let mut removed = Vec::new();
        for entry in entries {
            let path = entry.map_err(io_error("list", &staging))?.path();
            if path.is_dir() {
                fs::remove_dir_all(&path).map_err(io_error("remove", &path))?;
            } else {
                fs::remove_file(&path).map_err(io_error("remove", &path))?;
            }
            removed.push(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
        removed.sort();
        Ok(removed)
    }

    fn create_staged(&self, release: &str, path: &str) -> Result<Box<dyn StagedFile>, StorageError> {
        let path = self.staged(release)?.join(checked(path)?);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        let file = File::create_new(&path).map_err(io_error("create", &path))?;
        Ok(Box::new(LocalFile { file: BufWriter::with_capacity(256 * 1024, file) }))
    }

    fn remove_staged(&self, release: &str, path: &str) -> Result<(), StorageError> {
        let path = self.staged(release)?.join(checked(path)?);
        match fs::remove_file(&path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                Err(StorageError::Io { action: "remove", path, source: error })
            }
            _ => Ok(()),
        }
    }

    fn publish(&self, release: &str) -> Result<(), StorageError> {
        let from = self.staged(release)?;
        let releases = self.root.join(RELEASES);
        fs::create_dir_all(&releases).map_err(io_error("create", &releases))?;
        let to = releases.join(checked(release)?);
        if to.exists() {
            return Err(StorageError::Io {
                action: "publish",
                path: to,
                source: io::Error::new(io::ErrorKind::AlreadyExists, "a release of that name exists"),
            });
        }
        // Every file was synced when finished; the rename is the one step that publishes.
        sync_folder(&from)?;
        fs::rename(&from, &to).map_err(io_error("rename", &from))?;
        sync_folder(&releases)?;
        if let Some(staging) = from.parent() {
            sync_folder(staging)?;
        }
        Ok(())
    }

    fn read(&self, path: &str) -> Result<Option<Box<dyn Read + Send>>, StorageError> {
        let path = self.path(path)?;
        match File::open(&path) {
            Ok(file) => Ok(Some(Box::new(io::BufReader::with_capacity(256 * 1024, file)))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(StorageError::Io { action: "read", path, source: error }),
        }
    }

    fn replace(&self, path: &str, bytes: &[u8]) -> Result<(), StorageError> {
        let target = self.path(path)?;
        let folder = target.parent().unwrap_or(&self.root).to_owned();
        fs::create_dir_all(&folder).map_err(io_error("create", &folder))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = folder.join(format!(".{name}.tmp"));
        let mut file = File::create(&temporary).map_err(io_error("create", &temporary))?;
        file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io_error("write", &temporary))?;
        fs::rename(&temporary, &target).map_err(io_error("rename", &temporary))?;
        sync_folder(&folder)
    }

    fn releases(&self) -> Result<Vec<String>, StorageError> {
        let folder = self.root.join(RELEASES);
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(StorageError::Io { action: "list", path: folder, source: error }),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error("list", &folder))?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        Ok(names)
    }

    fn remove(&self, path: &str) -> Result<(), StorageError> {
        let relative = checked(path)?;
        if !relative.starts_with("releases/") {
            return Err(StorageError::BadPath(path.to_owned()));
        }
        let path = self.root.join(relative);
        let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        match result {
            Err(error) if error.kind() != io::ErrorKind::NotFound => {
                Err(StorageError::Io { action: "remove", path, source: error })
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_folder_are_refused() {
        for bad in ["", "/etc/passwd", "../vuxnav.db", "releases/../../x", "a//b", "./a", "a\\b"] {
            assert!(matches!(checked(bad), Err(StorageError::BadPath(_))), "{bad}");
        }
        assert!(checked("releases/2026-11-27/csv/offerings.csv.gz").is_ok());
    }

    #[test]
    fn a_second_lock_is_refused_while_the_first_is_held_and_granted_after() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalFolder::new(dir.path());
        let first = storage.lock().unwrap();
        assert!(matches!(storage.lock(), Err(StorageError::Locked { .. })));
        drop(first);
        assert!(storage.lock().is_ok());
    }

    #[test]
    fn a_staged_release_appears_whole_when_published() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalFolder::new(dir.path());
        let mut file = storage.create_staged("2026-11-27", "csv/x.csv.gz").unwrap();
        file.write_all(b"x").unwrap();
        file.finish().unwrap();
        assert!(storage.releases().unwrap().is_empty());
        storage.publish("2026-11-27").unwrap();
        assert_eq!(storage.releases().unwrap(), ["2026-11-27"]);
        let mut text = String::new();
        storage.read("releases/2026-11-27/csv/x.csv.gz").unwrap().unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "x");
        assert!(storage.read("releases/2026-11-28/manifest.json").unwrap().is_none());
    }
}
