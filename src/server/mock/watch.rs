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
use prost_reflect::DescriptorPool;
use tracing::{info, warn};

use super::served::ServedStubs;
use crate::stubs;

/// How long the events must stop before the files are loaded again.
pub const QUIET: Duration = Duration::from_millis(100);
/// The longest a burst of events may hold a reload back.
pub const MOST_DELAY: Duration = Duration::from_secs(1);

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

/// What is watched: folders (everything under them) and files; and how to load them again.
struct Watched {
    /// As `--stubs` gave them, for the loader.
    paths: Vec<PathBuf>,
    /// What the stubs are checked against.
    pool: DescriptorPool,
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl StubWatch {
    /// Watches `paths` (files and folders, as `--stubs` gave them) and, on a change, loads them
    /// again, checked against `pool`, and serves the result. Fails, in words, if a path cannot
    /// be watched.
    pub fn start(
        paths: &[PathBuf],
        pool: DescriptorPool,
        served: Arc<ServedStubs>,
    ) -> Result<StubWatch, String> {
        let (sender, events) = mpsc::channel();
        let to_thread = sender.clone();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = to_thread.send(Message::Event(event));
        })
        .map_err(|err| format!("cannot watch the stub files: {err}"))?;
        let mut watched = Watched {
            paths: paths.to_vec(),
            pool,
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
            .spawn(move || run(&events, &watched, &served))
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
fn run(events: &mpsc::Receiver<Message>, watched: &Watched, served: &ServedStubs) {
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
        match stubs::load_paths(&watched.paths, &watched.pool) {
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
    use super::*;

    const GET: &str = "- method: routeguide.RouteGuide/GetFeature\n  reply: {message: {}}\n";
    const CHAT: &str = "- method: routeguide.RouteGuide/RouteChat\n  reply: {stream: []}\n";
    const LIST: &str = "- method: routeguide.RouteGuide/ListFeatures\n  reply: {stream: []}\n";
    const ADDED: &str = "- method: routeguide.RouteGuide/RecordRoute\n  reply: {message: {}}\n";

    fn pool() -> DescriptorPool {
        crate::descriptors::builtin_pool()
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

    fn methods(served: &ServedStubs) -> Vec<String> {
        let set = served.load();
        set.all()
            .iter()
            .map(|s| s.method_name().to_owned())
            .collect()
    }

    #[test]
    fn a_good_edit_is_served_and_a_bad_one_keeps_the_last_good_set() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("route.yaml");
        std::fs::write(&file, GET).unwrap();
        let paths = [file.clone()];
        let served = Arc::new(ServedStubs::new(
            stubs::load_paths(&paths, &pool()).unwrap(),
        ));
        served.add(stubs::load_text(ADDED, "AddStubs", &pool()).unwrap());
        let watch = StubWatch::start(&paths, pool(), Arc::clone(&served)).unwrap();

        std::fs::write(&file, format!("{GET}{CHAT}")).unwrap();
        eventually("the reload", || methods(&served).len() == 3);
        assert_eq!(
            methods(&served),
            [
                "routeguide.RouteGuide/GetFeature",
                "routeguide.RouteGuide/RouteChat",
                "routeguide.RouteGuide/RecordRoute"
            ]
        );

        // Broken, then mended by a rename, as editors save: only the mended one is served.
        std::fs::write(&file, format!("{LIST}- method: nope\n")).unwrap();
        std::thread::sleep(MOST_DELAY + QUIET);
        assert_eq!(methods(&served).len(), 3, "the last good set stays");
        let temporary = dir.path().join(".route.yaml.swp");
        std::fs::write(&temporary, LIST).unwrap();
        std::fs::rename(&temporary, &file).unwrap();
        eventually("the reload after a rename", || {
            methods(&served).first().map(String::as_str)
                == Some("routeguide.RouteGuide/ListFeatures")
        });
        assert_eq!(methods(&served).len(), 2);
        watch.stop();
    }

    #[test]
    fn a_folder_is_watched_for_stub_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let watched = Watched {
            paths: Vec::new(),
            pool: pool(),
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
        let served = Arc::new(ServedStubs::new(Vec::new()));
        let err = StubWatch::start(&[PathBuf::from("/no/such/stubs")], pool(), served)
            .err()
            .unwrap();
        assert!(err.starts_with("cannot watch /no/such/stubs: "), "{err}");
    }
}
