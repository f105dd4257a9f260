//! Choosing the stub that answers a call, and explaining a miss.

use std::{collections::HashMap, sync::Arc};

use bytes::Bytes;

use super::{
    CallView, Miss, Stub,
    compare::{Tally, canonical_bytes},
};

/// The stubs being served, indexed by method.
#[derive(Debug, Default)]
pub struct StubSet {
    /// In the order they were loaded: files in path order, stubs in file order.
    all: Vec<Arc<Stub>>,
    by_method: HashMap<String, MethodStubs>,
}

/// One method's stubs.
#[derive(Debug, Default)]
struct MethodStubs {
    /// With their load order; most specific first, then by priority (higher first), then in
    /// load order: the order in which they are tried.
    sorted: Vec<(usize, Arc<Stub>)>,
    /// The stubs whose only condition is `request.equals`, by the encoded request they want:
    /// their positions in `sorted`. With many such stubs, a call finds its own without trying
    /// each.
    by_request: HashMap<Bytes, Vec<usize>>,
    /// The positions of the other stubs.
    others: Vec<usize>,
}

impl MethodStubs {
    fn new(sorted: Vec<(usize, Arc<Stub>)>) -> MethodStubs {
        let mut by_request: HashMap<Bytes, Vec<usize>> = HashMap::new();
        let mut others = Vec::new();
        for (position, (_, stub)) in sorted.iter().enumerate() {
            match stub.matcher.equals_only().and_then(canonical_bytes) {
                Some(want) => by_request
                    .entry(Bytes::from(want))
                    .or_default()
                    .push(position),
                None => others.push(position),
            }
        }
        MethodStubs {
            sorted,
            by_request,
            others,
        }
    }

    /// The first stub, in trying order, that matches and can still answer.
    fn take(&self, call: &CallView<'_>) -> Option<Hit> {
        let try_at = |position: usize| {
            let stub = &self.sorted[position].1;
            if !stub.matcher.matches(call) {
                return None;
            }
            stub.try_hit().map(|n| Hit {
                stub: Arc::clone(stub),
                n,
            })
        };
        if self.by_request.is_empty() {
            return self.others.iter().find_map(|position| try_at(*position));
        }
        let indexed = match call.messages {
            [request] => canonical_bytes(request).and_then(|key| self.by_request.get(&key[..])),
            _ => None,
        };
        let indexed = indexed.map_or(&[][..], Vec::as_slice);
        // Both lists are in trying order: walk them together.
        let (mut a, mut b) = (indexed.iter().peekable(), self.others.iter().peekable());
        loop {
            let position = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x < y => a.next(),
                (Some(_), None) => a.next(),
                (_, Some(_)) => b.next(),
                (None, None) => break,
            };
            if let Some(hit) = position.and_then(|position| try_at(*position)) {
                return Some(hit);
            }
        }
        None
    }
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
        let mut sorted: HashMap<String, Vec<(usize, Arc<Stub>)>> = HashMap::new();
        for (order, stub) in all.iter().enumerate() {
            sorted
                .entry(stub.method_name().to_owned())
                .or_default()
                .push((order, Arc::clone(stub)));
        }
        for stubs in sorted.values_mut() {
            // Stable: equal keys keep load order.
            stubs.sort_by_key(|(_, stub)| {
                (
                    std::cmp::Reverse(stub.matcher.specificity()),
                    std::cmp::Reverse(stub.priority),
                )
            });
        }
        let by_method = sorted
            .into_iter()
            .map(|(method, stubs)| (method, MethodStubs::new(stubs)))
            .collect();
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
        if let Some(hit) = self
            .by_method
            .get(call.method)
            .and_then(|stubs| stubs.take(call))
        {
            return Ok(hit);
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
            .sorted
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
