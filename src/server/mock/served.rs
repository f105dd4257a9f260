//! The stubs being served, and where they came from: the files of `--stubs`, and what the admin
//! service's AddStubs added.
//!
//! Calls read the set through an [`ArcSwap`], without a lock; the changes (an AddStubs, a hot
//! reload, a Reset) build a new set and swap it in whole, one change at a time. A stub keeps its
//! hit count through the changes that keep it, since the new set holds the same stub.
//!
//! A hot reload replaces the stubs of the files and keeps those that AddStubs added: a test
//! that added stubs does not lose them because a file was saved meanwhile. Reset removes them.

use std::sync::{Arc, Mutex, MutexGuard};

use arc_swap::{ArcSwap, Guard};

use crate::stubs::{Stub, StubSet};

/// The set being served: the stubs of the files first, in load order, then those AddStubs added.
pub struct ServedStubs {
    set: ArcSwap<StubSet>,
    /// How many of the set's stubs, at its start, come from the files. Held while a change is
    /// made, so that changes come one at a time.
    from_files: Mutex<usize>,
}

impl ServedStubs {
    /// Serves the stubs of the files.
    pub fn new(files: Vec<Stub>) -> ServedStubs {
        let count = files.len();
        ServedStubs {
            set: ArcSwap::from_pointee(StubSet::new(files)),
            from_files: Mutex::new(count),
        }
    }

    /// The set as calls see it now.
    pub fn load(&self) -> Guard<Arc<StubSet>> {
        self.set.load()
    }

    /// Adds stubs after all the others; returns how many are served now.
    pub fn add(&self, stubs: Vec<Stub>) -> usize {
        let _change = self.lock();
        let set = self.set.load();
        let all: Vec<Arc<Stub>> = (set.all().iter().cloned())
            .chain(stubs.into_iter().map(Arc::new))
            .collect();
        let total = all.len();
        self.set.store(Arc::new(StubSet::from_arcs(all)));
        total
    }

    /// Replaces the stubs of the files (a hot reload); the added ones stay.
    pub fn replace_files(&self, files: Vec<Stub>) {
        let mut from_files = self.lock();
        let set = self.set.load();
        let count = files.len();
        let all = (files.into_iter().map(Arc::new))
            .chain(set.all()[*from_files..].iter().cloned())
            .collect();
        self.set.store(Arc::new(StubSet::from_arcs(all)));
        *from_files = count;
    }

    /// Back to the stubs of the files, each with no hits.
    pub fn reset(&self) {
        let from_files = self.lock();
        let set = self.set.load();
        let files = set.all()[..*from_files].to_vec();
        for stub in &files {
            stub.reset_hits();
        }
        self.set.store(Arc::new(StubSet::from_arcs(files)));
    }

    /// The stubs of the files, then the added ones.
    pub fn parts(&self) -> (Vec<Arc<Stub>>, Vec<Arc<Stub>>) {
        let from_files = self.lock();
        let set = self.set.load();
        let (files, added) = set.all().split_at(*from_files);
        (files.to_vec(), added.to_vec())
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        // Each change stores a whole set before it lets go, so a panic leaves a consistent one.
        self.from_files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stubs::load_text;

    /// The stubs of `text`, named `name`, for the built-in descriptors.
    fn stubs(name: &str, text: &str) -> Vec<Stub> {
        let pool = crate::descriptors::builtin_pool();
        load_text(text, name, &pool).unwrap()
    }

    const GET: &str = "- method: routeguide.RouteGuide/GetFeature\n  reply: {message: {}}\n";
    const LIST: &str = "- method: routeguide.RouteGuide/ListFeatures\n  reply: {stream: []}\n";

    fn origins(served: &ServedStubs) -> Vec<String> {
        let set = served.load();
        set.all().iter().map(|s| s.origin.to_string()).collect()
    }

    #[test]
    fn adds_keep_the_stubs_and_their_hits_and_reset_goes_back_to_the_files() {
        let served = ServedStubs::new(stubs("a.yaml", GET));
        served.load().all()[0].count_hit();
        assert_eq!(served.add(stubs("AddStubs", LIST)), 2);
        assert_eq!(origins(&served), ["a.yaml:1", "AddStubs:1"]);
        let set = served.load();
        assert_eq!(set.all()[0].hits(), 1, "the same stub, with its hits");
        set.all()[1].count_hit();

        served.reset();
        assert_eq!(origins(&served), ["a.yaml:1"]);
        assert_eq!(served.load().all()[0].hits(), 0);
    }

    #[test]
    fn a_reload_replaces_the_files_and_keeps_the_added() {
        let served = ServedStubs::new(stubs("a.yaml", GET));
        served.add(stubs("AddStubs", LIST));
        served.replace_files(stubs("a.yaml", &format!("{GET}{LIST}")));
        assert_eq!(origins(&served), ["a.yaml:1", "a.yaml:3", "AddStubs:1"]);
        let (files, added) = served.parts();
        assert_eq!((files.len(), added.len()), (2, 1));
    }
}
