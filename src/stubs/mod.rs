//! Stubs: what `apicli serve` answers for a service it knows only by its descriptors. Read from
//! YAML or JSON files (`--stubs`) or the admin service, checked against the descriptors when they
//! are loaded, and chosen for each call by matching its request and headers.
//!
//! Only the values and the rules: the server that runs a stub's reply is `server::mock`.

mod model;

pub use model::{
    CallMatcher, Fault, FaultKind, HeaderTemplate, MessageTemplate, Origin, RenderContext,
    RenderError, Reply, Rule, StatusReply, Step, Stub, Wait,
};

use std::sync::Arc;

use prost_reflect::DynamicMessage;

/// The stubs being served, indexed by method.
#[derive(Debug, Default)]
pub struct StubSet {
    /// In the order they were loaded: files in path order, stubs in file order.
    all: Vec<Arc<Stub>>,
}

/// A call as matching sees it.
pub struct CallView<'a> {
    /// `package.Service/Method`.
    pub method: &'a str,
    pub headers: &'a http::HeaderMap,
    /// Unary and server stream: the request. Client stream: every message, once the client has
    /// half-closed. Bidi: none (a bidi stub matches on its headers; its rules see each message).
    pub messages: &'a [DynamicMessage],
}

/// No stub matched a call: why, in one line naming the closest stub (`file:line`) and the first
/// condition it failed, want vs got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss(pub String);

impl StubSet {
    pub fn new(stubs: Vec<Stub>) -> StubSet {
        StubSet {
            all: stubs.into_iter().map(Arc::new).collect(),
        }
    }

    /// Every stub, in load order.
    pub fn all(&self) -> &[Arc<Stub>] {
        &self.all
    }

    /// The stub that answers `call`: the most specific of those that match, `priority` breaking
    /// ties, then load order. A stub whose `times` is used up is skipped. The hit is counted.
    pub fn find(&self, call: &CallView<'_>) -> Result<Arc<Stub>, Miss> {
        self.all
            .iter()
            .find(|stub| stub.method_name() == call.method)
            .map(|stub| {
                stub.count_hit();
                Arc::clone(stub)
            })
            .ok_or_else(|| Miss(format!("no stub for {}", call.method)))
    }
}
