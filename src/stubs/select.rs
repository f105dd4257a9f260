//! Choosing the stub that answers a call, and explaining a miss.

use std::{collections::HashMap, sync::Arc};

use super::{CallView, Miss, Stub, compare::Tally};

/// The stubs being served, indexed by method.
#[derive(Debug, Default)]
pub struct StubSet {
    /// In the order they were loaded: files in path order, stubs in file order.
    all: Vec<Arc<Stub>>,
    /// Each method's stubs with their load order, most specific first, then by priority (higher
    /// first), then in load order: the order in which they are tried.
    by_method: HashMap<String, Vec<(usize, Arc<Stub>)>>,
}

/// A stub that answers a call, and the call's number for it (`{{n}}`, from 1).
#[derive(Debug, Clone)]
pub struct Hit {
    pub stub: Arc<Stub>,
    pub n: u64,
}

impl StubSet {
    pub fn new(stubs: Vec<Stub>) -> StubSet {
        StubSet::from_arcs(stubs.into_iter().map(Arc::new).collect())
    }

    /// A set of stubs that may be shared with another set (those kept when stubs are added),
    /// hit counts and all.
    pub fn from_arcs(all: Vec<Arc<Stub>>) -> StubSet {
        let mut by_method: HashMap<String, Vec<(usize, Arc<Stub>)>> = HashMap::new();
        for (order, stub) in all.iter().enumerate() {
            by_method
                .entry(stub.method_name().to_owned())
                .or_default()
                .push((order, Arc::clone(stub)));
        }
        for stubs in by_method.values_mut() {
            // Stable: equal keys keep load order.
            stubs.sort_by_key(|(_, stub)| {
                (
                    std::cmp::Reverse(stub.matcher.specificity()),
                    std::cmp::Reverse(stub.priority),
                )
            });
        }
        StubSet { all, by_method }
    }

    /// Every stub, in load order.
    pub fn all(&self) -> &[Arc<Stub>] {
        &self.all
    }

    /// The stub that answers `call`: the most specific of those that match, `priority` breaking
    /// ties, then load order. A stub whose `times` is used up is skipped. The hit is counted.
    pub fn find(&self, call: &CallView<'_>) -> Result<Arc<Stub>, Miss> {
        self.take(call).map(|hit| hit.stub)
    }

    /// As [`StubSet::find`], with the call's number for the stub (`{{n}}`). Taking the last of a
    /// stub's `times` is atomic: of two calls racing for it, one gets it and the other goes on to
    /// the next stub.
    pub fn take(&self, call: &CallView<'_>) -> Result<Hit, Miss> {
        let stubs = self
            .by_method
            .get(call.method)
            .map_or(&[][..], Vec::as_slice);
        for (_, stub) in stubs {
            if !stub.matcher.matches(call) {
                continue;
            }
            if let Some(n) = stub.try_hit() {
                return Ok(Hit {
                    stub: Arc::clone(stub),
                    n,
                });
            }
        }
        Err(self.miss(call))
    }

    /// Why no stub answered `call`: the closest stub (fewest failed conditions, then priority,
    /// then load order) and the first condition it failed; or, when the method has no stubs,
    /// the methods that have.
    pub fn miss(&self, call: &CallView<'_>) -> Miss {
        let Some(stubs) = self.by_method.get(call.method) else {
            let mut methods: Vec<&str> = self.by_method.keys().map(String::as_str).collect();
            methods.sort_unstable();
            return Miss(match methods.len() {
                0 => format!("no stub for {}; no stubs are loaded", call.method),
                n if n > 5 => format!(
                    "no stub for {}; stubs exist for: {}, and {} more",
                    call.method,
                    methods[..5].join(", "),
                    n - 5
                ),
                _ => format!(
                    "no stub for {}; stubs exist for: {}",
                    call.method,
                    methods.join(", ")
                ),
            });
        };
        let closest = stubs
            .iter()
            .map(|(order, stub)| {
                let mut tally = Tally::default();
                stub.matcher.check(call, &mut tally);
                if tally.failed == 0 {
                    tally.failed = 1;
                    tally.first = Some(format!(
                        "used up: it answers {} calls",
                        stub.times.unwrap_or_default()
                    ));
                }
                (tally, *order, stub)
            })
            .min_by_key(|(tally, order, stub)| {
                (tally.failed, std::cmp::Reverse(stub.priority), *order)
            });
        let Some((tally, _, stub)) = closest else {
            return Miss(format!("no stub for {}", call.method));
        };
        Miss(crate::exit::one_line(format!(
            "no stub matched {}; closest is {}: {}",
            call.method,
            stub.origin,
            tally.first.unwrap_or_default()
        )))
    }
}
