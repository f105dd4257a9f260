//! A file written whole or not at all: its bytes go to a partial file beside it
//! (`.NAME.PID.partial`), which takes the name once complete, so that no half file is ever left
//! under the name, and an existing file there is replaced only by a complete one. A file dropped
//! unfinished (an error, Ctrl-C) leaves nothing behind.
//!
//! `bench --html` and `--hdr-log`, `describe --protoset-out` and the stub files that
//! `serve --record-from` writes all go through it.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::{Path, PathBuf},
};

use crate::exit::io_words;

/// A file being written under a partial name.
pub struct WholeFile {
    path: PathBuf,
    partial: PathBuf,
    writer: BufWriter<File>,
    finished: bool,
}

impl WholeFile {
    /// Opens the partial file beside `path`, so that a `path` that cannot be written is known
    /// before anything is done. The error is in words for the user: "is a directory", "names no
    /// file", or why the file cannot be made.
    pub fn create(path: &Path) -> Result<WholeFile, String> {
        if path.is_dir() {
            return Err("is a directory".into());
        }
        let name = path.file_name().ok_or("names no file")?;
        let partial = path.with_file_name(format!(
            ".{}.{}.partial",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&partial).map_err(|err| io_words(&err))?;
        Ok(WholeFile {
            path: path.to_owned(),
            partial,
            writer: BufWriter::new(file),
            finished: false,
        })
    }

    /// The name the file takes once finished.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the bytes go, buffered.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// Writes out what is buffered, syncs it to the disk and gives the file its name, in place
    /// of any file that had it.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        std::fs::rename(&self.partial, &self.path)?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for WholeFile {
    /// A file not finished is removed.
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// Writes `bytes` to `path` whole; the error is in words, as [`WholeFile::create`]'s.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut file = WholeFile::create(path)?;
    file.writer()
        .write_all(bytes)
        .and_then(|()| file.finish())
        .map_err(|err| io_words(&err))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_takes_its_name_only_once_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let mut file = WholeFile::create(&path).unwrap();
        file.writer().write_all(b"new").unwrap();
        // Until it is finished, the old file is whole under the name.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()).len(), 2);
        file.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.txt"]);
        write_whole(&path, b"newer").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "newer");
        assert_eq!(names(dir.path()), ["out.txt"]);
    }

    #[test]
    fn a_file_dropped_unfinished_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let mut file = WholeFile::create(&path).unwrap();
        file.writer().write_all(b"half").unwrap();
        drop(file);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn what_cannot_be_written_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |path: &Path| WholeFile::create(path).err().unwrap();
        assert_eq!(refused(dir.path()), "is a directory");
        assert_eq!(refused(Path::new("/")), "is a directory");
        let missing = refused(&dir.path().join("missing/out.txt"));
        assert!(!missing.is_empty() && !missing.contains('\n'), "{missing}");
        assert!(names(dir.path()).is_empty());
    }
}
