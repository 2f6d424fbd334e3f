//! Media files on disk, content-addressed: `<data>/media/ab/cdef…` is named by the SHA-256 of
//! its bytes, so two messages with the same photo share one file, and a name cannot be guessed
//! or chosen by a resident. Files are written to a temporary name, synced, then renamed, so a
//! crash never leaves half a file under a real name.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::store::media::relative_path;

/// The media folder of one data directory.
#[derive(Debug, Clone)]
pub struct MediaFiles {
    data_dir: PathBuf,
}

impl MediaFiles {
    pub fn new(data_dir: &Path) -> MediaFiles {
        MediaFiles {
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Where the file with this hex SHA-256 is; `None` for anything that is not one, so a
    /// damaged row can never point outside the media folder.
    pub fn path(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        valid.then(|| self.data_dir.join(relative_path(sha256)))
    }

    /// Stores `bytes` under `sha256`, which must be [`sha256_hex`] of them. A file with that
    /// name holds the same bytes, so it is kept as it is.
    pub fn store(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self
            .path(sha256)
            .ok_or_else(|| std::io::Error::other("hex digest is not a file name"))?;
        if path.is_file() {
            return Ok(());
        }
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("media path has no folder"))?;
        std::fs::create_dir_all(dir)?;
        let temp = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
        let written = write_then_rename(&temp, &path, bytes);
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    /// The bytes of a stored file.
    pub fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self
            .path(sha256)
            .ok_or_else(|| std::io::Error::other("not a SHA-256 file name"))?;
        std::fs::read(path)
    }
}

/// Writes `bytes` to `temp`, syncs, and renames it to `path`; the folder is synced too, so
/// the rename itself reaches the disk.
fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(temp, path)?;
    match path.parent() {
        Some(dir) => std::fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

/// The hex SHA-256 of `bytes`: a media file's name.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether Meta's checksum (hex or base64, both occur) matches `sha256_hex`. `None` when Meta's
/// value is neither, so it cannot be checked.
pub fn checksum_matches(declared: &str, sha256_hex: &str) -> Option<bool> {
    use base64::Engine;
    let declared = declared.trim();
    let digest = hex::decode(sha256_hex).ok()?;
    let given = match hex::decode(declared) {
        Ok(bytes) if bytes.len() == 32 => bytes,
        _ => base64::engine::general_purpose::STANDARD
            .decode(declared)
            .ok()
            .filter(|b| b.len() == 32)?,
    };
    Some(given == digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_by_their_hash_and_shared() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = MediaFiles::new(dir.path());
        let first = sha256_hex(b"%PDF-1.7 a");
        files.store(&first, b"%PDF-1.7 a").expect("stored");
        files.store(&first, b"%PDF-1.7 a").expect("stored again");
        assert_eq!(first, hex::encode(Sha256::digest(b"%PDF-1.7 a")));
        let path = dir.path().join("media").join(&first[..2]).join(&first[2..]);
        assert_eq!(std::fs::read(path).expect("on disk"), b"%PDF-1.7 a");
        assert_eq!(files.read(&first).expect("read"), b"%PDF-1.7 a");
        let leftovers = std::fs::read_dir(dir.path().join("media").join(&first[..2]))
            .expect("folder")
            .count();
        assert_eq!(leftovers, 1, "no temporary file stays behind");
    }

    #[test]
    fn only_hex_digests_are_paths() {
        let files = MediaFiles::new(Path::new("/data"));
        assert!(files.path("../../etc/passwd").is_none());
        assert!(files.path(&"A".repeat(64)).is_none());
        assert!(files.path(&"a".repeat(64)).is_some());
    }

    #[test]
    fn meta_checksums_are_read_as_hex_or_base64() {
        let hex_digest = hex::encode(Sha256::digest(b"x"));
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"x"));
        assert_eq!(checksum_matches(&hex_digest, &hex_digest), Some(true));
        assert_eq!(checksum_matches(&b64, &hex_digest), Some(true));
        let other = hex::encode(Sha256::digest(b"y"));
        assert_eq!(checksum_matches(&other, &hex_digest), Some(false));
        assert_eq!(checksum_matches("a1b2c3d4e5f6...", &hex_digest), None);
    }
}
