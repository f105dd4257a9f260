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

use arc_swap::ArcSwap;

use crate::stubs::{Stub, StubSet};

/// A set of stubs as calls look them up, built from the stubs it holds.
pub trait StubIndex: Send + Sync + 'static {
    /// The index of these stubs, tried in this order among equals.
    fn from_stubs(stubs: Vec<Arc<Stub>>) -> Self;

    /// Every stub, in that order.
    fn stubs(&self) -> &[Arc<Stub>];
}

/// The set being served, with the parts it is made of.
pub struct ServedStubs<S = StubSet> {
    current: Arc<ArcSwap<S>>,
    parts: Mutex<Parts>,
}

#[derive(Default)]
struct Parts {
    /// Those of the files, in load order.
    files: Vec<Arc<Stub>>,
    /// Those AddStubs added, in the order they came.
    added: Vec<Arc<Stub>>,
}

impl<S: StubIndex> ServedStubs<S> {
    /// Serves the stubs of the files.
    pub fn new(files: Vec<Stub>) -> ServedStubs<S> {
        let parts = Parts {
            files: files.into_iter().map(Arc::new).collect(),
            added: Vec::new(),
        };
        ServedStubs {
            current: Arc::new(ArcSwap::from_pointee(parts.index())),
            parts: Mutex::new(parts),
        }
    }

    /// The set as calls see it: `load()` it once per call.
    pub fn current(&self) -> &Arc<ArcSwap<S>> {
        &self.current
    }

    /// Adds stubs after all the others; returns how many are served now.
    pub fn add(&self, stubs: Vec<Stub>) -> usize {
        let mut parts = self.lock();
        parts.added.extend(stubs.into_iter().map(Arc::new));
        self.current.store(Arc::new(parts.index()));
        parts.files.len() + parts.added.len()
    }

    /// Replaces the stubs of the files (a hot reload); the added ones stay.
    pub fn replace_files(&self, files: Vec<Stub>) {
        let mut parts = self.lock();
        parts.files = files.into_iter().map(Arc::new).collect();
        self.current.store(Arc::new(parts.index()));
    }

    /// Back to the stubs of the files, each with no hits.
    pub fn reset(&self) {
        let mut parts = self.lock();
        parts.added.clear();
        for stub in &parts.files {
            stub.reset_hits();
        }
        self.current.store(Arc::new(parts.index()));
    }

    /// The stubs of the files, then the added ones.
    pub fn parts(&self) -> (Vec<Arc<Stub>>, Vec<Arc<Stub>>) {
        let parts = self.lock();
        (parts.files.clone(), parts.added.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Parts> {
        // Each change stores a whole set before it lets go, so a panic leaves a consistent one.
        self.parts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Parts {
    fn index<S: StubIndex>(&self) -> S {
        S::from_stubs(self.files.iter().chain(&self.added).cloned().collect())
    }
}

/// Stubs for the tests of this folder: the methods of the built-in routeguide.RouteGuide.
#[cfg(test)]
pub mod testing {
    use std::sync::Arc;

    use prost_reflect::DescriptorPool;

    use super::StubIndex;
    use crate::stubs::{CallMatcher, Origin, Reply, Stub};

    /// A set that is its stubs, in order.
    pub struct Plain(pub Vec<Arc<Stub>>);

    impl StubIndex for Plain {
        fn from_stubs(stubs: Vec<Arc<Stub>>) -> Plain {
            Plain(stubs)
        }

        fn stubs(&self) -> &[Arc<Stub>] {
            &self.0
        }
    }

    pub fn pool() -> DescriptorPool {
        DescriptorPool::decode(crate::api::FILE_DESCRIPTOR_SET).expect("the built-in descriptors")
    }

    /// A stub of `routeguide.RouteGuide/METHOD` written at `file:line`.
    pub fn stub(file: &str, line: u32, method: &str) -> Stub {
        let method = pool()
            .get_service_by_name("routeguide.RouteGuide")
            .and_then(|service| service.methods().find(|m| m.name() == method))
            .expect("a RouteGuide method");
        Stub::new(
            Origin {
                file: file.into(),
                line,
            },
            method,
            CallMatcher::default(),
            Reply::default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{
        testing::{Plain, stub},
        *,
    };

    fn origins(served: &ServedStubs<Plain>) -> Vec<String> {
        let set = served.current().load();
        set.stubs().iter().map(|s| s.origin.to_string()).collect()
    }

    #[test]
    fn adds_keep_the_stubs_and_their_hits_and_reset_goes_back_to_the_files() {
        let served = ServedStubs::<Plain>::new(vec![stub("a.yaml", 1, "GetFeature")]);
        served.current().load().stubs()[0].count_hit();
        assert_eq!(served.add(vec![stub("AddStubs", 1, "ListFeatures")]), 2);
        assert_eq!(origins(&served), ["a.yaml:1", "AddStubs:1"]);
        let set = served.current().load();
        assert_eq!(set.stubs()[0].hits(), 1, "the same stub, with its hits");
        set.stubs()[1].count_hit();

        served.reset();
        assert_eq!(origins(&served), ["a.yaml:1"]);
        assert_eq!(served.current().load().stubs()[0].hits(), 0);
    }

    #[test]
    fn a_reload_replaces_the_files_and_keeps_the_added() {
        let served = ServedStubs::<Plain>::new(vec![stub("a.yaml", 1, "GetFeature")]);
        served.add(vec![stub("AddStubs", 1, "ListFeatures")]);
        served.replace_files(vec![
            stub("a.yaml", 1, "GetFeature"),
            stub("a.yaml", 5, "RouteChat"),
        ]);
        assert_eq!(origins(&served), ["a.yaml:1", "a.yaml:5", "AddStubs:1"]);
        let (files, added) = served.parts();
        assert_eq!((files.len(), added.len()), (2, 1));
    }
}
