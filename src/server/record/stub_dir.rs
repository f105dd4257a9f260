//! The folder the recorder writes to: one stub file per call, named so that the files sort in
//! the order they were written and say the method (`0001-routeguide.RouteGuide-GetFeature.yaml`).
//! Numbers go on from the highest already there. A file appears whole (`crate::whole_file`): it
//! is written under a name no loader reads, then renamed.

use std::{
    fs, io,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use crate::whole_file::write_whole;

/// The recorder's folder.
#[derive(Debug)]
pub struct StubDir {
    dir: PathBuf,
    next: AtomicU64,
}

impl StubDir {
    /// The folder `dir`, made if it is not there; the next file is numbered after the highest
    /// number already in it.
    pub fn open(dir: &Path) -> io::Result<StubDir> {
        fs::create_dir_all(dir)?;
        let mut highest = 0;
        for entry in fs::read_dir(dir)? {
            let name = entry?.file_name();
            let number = name
                .to_str()
                .and_then(|name| name.split_once('-'))
                .and_then(|(digits, _)| digits.parse::<u64>().ok());
            highest = highest.max(number.unwrap_or(0));
        }
        Ok(StubDir {
            dir: dir.to_owned(),
            next: AtomicU64::new(highest + 1),
        })
    }

    /// Writes `text`, the stub of a call of `method` (`package.Service/Method`), as the next
    /// file; returns its path, or why it could not be written, in words.
    pub fn write(&self, method: &str, text: &str) -> Result<PathBuf, String> {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let method: String = method
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '_' => c,
                _ => '-',
            })
            .collect();
        let name = format!("{number:04}-{method}.yaml");
        let path = self.dir.join(&name);
        // Whole, so that the watching serve never reads half a stub file.
        write_whole(&path, text.as_bytes())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_go_on_after_the_files_there() {
        let dir = tempfile::tempdir().unwrap();
        let empty = StubDir::open(&dir.path().join("new")).unwrap();
        let first = empty.write("a.B/C", "x: 1\n").unwrap();
        assert_eq!(first.file_name().unwrap(), "0001-a.B-C.yaml");
        assert_eq!(fs::read_to_string(&first).unwrap(), "x: 1\n");

        fs::write(dir.path().join("0041-a.B-C.yaml"), "").unwrap();
        fs::write(dir.path().join("notes.txt"), "").unwrap();
        fs::write(dir.path().join("7-odd-name.json"), "").unwrap();
        let there = StubDir::open(dir.path()).unwrap();
        let next = there.write("routeguide.RouteGuide/GetFeature", "").unwrap();
        assert_eq!(
            next.file_name().unwrap(),
            "0042-routeguide.RouteGuide-GetFeature.yaml"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with('.'))
            .collect();
        assert!(names.is_empty(), "partial files left: {names:?}");
    }
}
