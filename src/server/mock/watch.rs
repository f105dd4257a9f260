//! Hot reload: the `--stubs` paths are watched, and a change loads every file again. A set that
//! loads replaces the stubs of the files at once (those added by AddStubs stay, see
//! `served.rs`); one that does not leaves the last good set served, and its error is logged
//! with its `file:line:column`. `--no-watch` means this is never started.
//!
//! An edit is often several events (an editor writes a temporary file and renames it over the
//! old one): the reload waits until the events have stopped for [`QUIET`], or at most
//! [`MOST_DELAY`] after the first, and then loads once. A file is watched through its folder, so
//! that a file replaced by a rename is still seen.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc,
        mpsc::{self, RecvTimeoutError},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tracing::{info, warn};

use super::served::{ServedStubs, StubIndex};
use crate::stubs::Stub;

/// How long the events must stop before the files are loaded again.
pub const QUIET: Duration = Duration::from_millis(100);
/// The longest a burst of events may hold a reload back.
pub const MOST_DELAY: Duration = Duration::from_secs(1);

/// Loads every stub file again: the stubs, or the first error as one line,
/// `file:line:column: message`.
pub type Reload = dyn Fn() -> Result<Vec<Stub>, String> + Send + Sync;

/// The extensions of stub files; other files in a watched folder are not stubs.
const STUB_FILES: &[&str] = &["yaml", "yml", "json"];

/// Watching the stub files; stops when stopped or dropped.
pub struct StubWatch {
    watcher: Option<RecommendedWatcher>,
    stop: mpsc::Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

/// What is watched: folders (everything under them) and files.
struct Watched {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl StubWatch {
    /// Watches `paths` (files and folders, as `--stubs` gave them) and, on a change, loads them
    /// with `reload` and serves the result. Fails, in words, if a path cannot be watched.
    pub fn start<S: StubIndex>(
        paths: &[PathBuf],
        reload: Arc<Reload>,
        served: Arc<ServedStubs<S>>,
    ) -> Result<StubWatch, String> {
        let (sender, events) = mpsc::channel();
        let to_thread = sender.clone();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = to_thread.send(Message::Event(event));
        })
        .map_err(|err| format!("cannot watch the stub files: {err}"))?;
        let mut watched = Watched {
            folders: Vec::new(),
            files: Vec::new(),
        };
        for path in paths {
            let cannot =
                |err: &dyn std::fmt::Display| format!("cannot watch {}: {err}", path.display());
            let path = path.canonicalize().map_err(|err| cannot(&err))?;
            if path.is_dir() {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|err| cannot(&err))?;
                watched.folders.push(path);
            } else {
                let folder = path.parent().unwrap_or(Path::new("/"));
                watcher
                    .watch(folder, RecursiveMode::NonRecursive)
                    .map_err(|err| cannot(&err))?;
                watched.files.push(path);
            }
        }
        let thread = std::thread::Builder::new()
            .name("stub-watch".into())
            .spawn(move || run(&events, &watched, &*reload, &served))
            .map_err(|err| format!("cannot watch the stub files: {err}"))?;
        Ok(StubWatch {
            watcher: Some(watcher),
            stop: sender,
            thread: Some(thread),
        })
    }

    /// Stops watching; a reload under way finishes first.
    pub fn stop(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        self.watcher = None;
        let _ = self.stop.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for StubWatch {
    fn drop(&mut self) {
        self.shut();
    }
}

/// The watching thread: waits for a change, lets its burst pass, reloads; until stopped.
fn run<S: StubIndex>(
    events: &mpsc::Receiver<Message>,
    watched: &Watched,
    reload: &Reload,
    served: &ServedStubs<S>,
) {
    loop {
        match events.recv() {
            Ok(Message::Event(event)) if watched.changed_by(&event) => {}
            Ok(Message::Event(_)) => continue,
            Ok(Message::Stop) | Err(_) => return,
        }
        let deadline = Instant::now() + MOST_DELAY;
        loop {
            let wait = QUIET.min(deadline.saturating_duration_since(Instant::now()));
            match events.recv_timeout(wait) {
                Ok(Message::Event(_)) if Instant::now() < deadline => {}
                Ok(Message::Event(_)) | Err(RecvTimeoutError::Timeout) => break,
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        match reload() {
            Ok(stubs) => {
                let count = stubs.len();
                served.replace_files(stubs);
                info!("stubs reloaded: {count} from the files");
            }
            Err(err) => warn!("stubs not reloaded, the last good ones are still served: {err}"),
        }
    }
}

impl Watched {
    /// Whether an event may have changed a stub file.
    fn changed_by(&self, event: &notify::Result<notify::Event>) -> bool {
        let event = match event {
            Ok(event) => event,
            // Events were lost (the queue overflowed, say): better to load once too often.
            Err(_) => return true,
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        event.paths.iter().any(|path| self.covers(path))
    }

    fn covers(&self, path: &Path) -> bool {
        if self.files.iter().any(|file| file == path) {
            return true;
        }
        // A folder under a watched one (moved or removed) has no extension, and may hold stubs.
        let stub_like = path
            .extension()
            .is_none_or(|ext| STUB_FILES.iter().any(|stub| ext.eq_ignore_ascii_case(stub)));
        stub_like && self.folders.iter().any(|folder| path.starts_with(folder))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::server::mock::served::testing::{Plain, stub};

    /// A stand-in for the loader: each line of each file a RouteGuide method, `bad` an error.
    fn loader(paths: Vec<PathBuf>, loads: Arc<AtomicUsize>) -> Arc<Reload> {
        Arc::new(move || {
            loads.fetch_add(1, Ordering::SeqCst);
            let mut stubs = Vec::new();
            for path in &paths {
                let text = std::fs::read_to_string(path).map_err(|err| err.to_string())?;
                let name = path.file_name().unwrap().to_string_lossy();
                for (n, line) in text.lines().enumerate() {
                    if line == "bad" {
                        return Err(format!("{name}:{}:1: unknown key 'bad'", n + 1));
                    }
                    stubs.push(stub(&name, u32::try_from(n + 1).unwrap(), line));
                }
            }
            Ok(stubs)
        })
    }

    /// Waits (bounded) until `done` holds.
    fn eventually(what: &str, done: impl Fn() -> bool) {
        for _ in 0..500 {
            if done() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{what} did not happen");
    }

    fn methods(served: &ServedStubs<Plain>) -> Vec<String> {
        let set = served.current().load();
        set.0.iter().map(|s| s.method_name().to_owned()).collect()
    }

    #[test]
    fn a_good_edit_is_served_and_a_bad_one_keeps_the_last_good_set() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("route.yaml");
        std::fs::write(&file, "GetFeature\n").unwrap();
        let loads = Arc::new(AtomicUsize::new(0));
        let reload = loader(vec![file.clone()], Arc::clone(&loads));
        let served = Arc::new(ServedStubs::<Plain>::new(reload().unwrap()));
        served.add(vec![stub("AddStubs", 1, "RecordRoute")]);
        let watch =
            StubWatch::start(std::slice::from_ref(&file), reload, Arc::clone(&served)).unwrap();

        std::fs::write(&file, "GetFeature\nRouteChat\n").unwrap();
        eventually("the reload", || methods(&served).len() == 3);
        assert_eq!(
            methods(&served),
            [
                "routeguide.RouteGuide/GetFeature",
                "routeguide.RouteGuide/RouteChat",
                "routeguide.RouteGuide/RecordRoute"
            ]
        );

        let before = loads.load(Ordering::SeqCst);
        std::fs::write(&file, "ListFeatures\nbad\n").unwrap();
        eventually("the failed reload", || {
            loads.load(Ordering::SeqCst) > before
        });
        assert_eq!(methods(&served).len(), 3, "the last good set stays");

        // Replaced by a rename, as editors save.
        let temporary = dir.path().join(".route.yaml.swp");
        std::fs::write(&temporary, "ListFeatures\n").unwrap();
        std::fs::rename(&temporary, &file).unwrap();
        eventually("the reload after a rename", || {
            methods(&served).first().map(String::as_str)
                == Some("routeguide.RouteGuide/ListFeatures")
        });
        watch.stop();
    }

    #[test]
    fn a_folder_is_watched_for_stub_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let watched = Watched {
            folders: vec![dir.path().to_owned()],
            files: vec![PathBuf::from("/elsewhere/one.yaml")],
        };
        assert!(watched.covers(&dir.path().join("a/b.yml")));
        assert!(watched.covers(&dir.path().join("a/b.JSON")));
        assert!(watched.covers(&dir.path().join("sub")));
        assert!(!watched.covers(&dir.path().join("notes.txt")));
        assert!(!watched.covers(Path::new("/other/b.yaml")));
        assert!(watched.covers(Path::new("/elsewhere/one.yaml")));
        assert!(!watched.covers(Path::new("/elsewhere/two.yaml")));
    }

    #[test]
    fn a_path_that_cannot_be_watched_is_an_error() {
        let served = Arc::new(ServedStubs::<Plain>::new(Vec::new()));
        let reload: Arc<Reload> = Arc::new(|| Ok(Vec::new()));
        let err = StubWatch::start(&[PathBuf::from("/no/such/stubs")], reload, served)
            .err()
            .unwrap();
        assert!(err.starts_with("cannot watch /no/such/stubs: "), "{err}");
    }
}
