//! Stubs: what `apicli serve` answers for a service it knows only by its descriptors. Read from
//! YAML or JSON files (`--stubs`) or the admin service, checked against the descriptors when they
//! are loaded, and chosen for each call by matching its request and headers.
//!
//! Only the values and the rules: the server that runs a stub's reply is `server::mock`.

mod compare;
mod error;
mod load;
mod matcher;
mod message;
mod messages;
mod model;
mod paths;
mod read;
mod render;
mod reply;
mod select;
mod status;
mod stub;

pub use error::StubError;
pub use load::{load_paths, load_text};
pub use matcher::{CallMatcher, RequestMatcher};
pub use model::{
    Fault, FaultKind, HeaderTemplate, Origin, Reply, Rule, StatusReply, Step, Stub, Wait,
};
pub use paths::FieldPath;
pub use render::{JsonStep, MessageTemplate, RenderContext, RenderError};
pub use select::{Hit, StubSet};

use prost_reflect::DynamicMessage;

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

#[cfg(test)]
mod tests;
