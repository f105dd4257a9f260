//! The admin service `apicli.mock.v1.Mock`: lists and verifies the calls of the journal, and adds,
//! lists and resets the stubs being served. It runs beside the stubbed services, on the same
//! port and behind the same token.

use std::{
    fmt::Write as _,
    sync::Arc,
    time::{Duration, SystemTime},
};

use prost_reflect::DescriptorPool;
use tonic::{Request, Response, Status};

use super::{
    Answer,
    filter::{self, CallFilter},
    journal::{Entry, Journal},
    json,
    served::ServedStubs,
};
use crate::{
    exit::code_name,
    mock::{
        AddStubsRequest, AddStubsResponse, Call, ListCallsRequest, ListCallsResponse,
        ListStubsRequest, ListStubsResponse, ResetRequest, ResetResponse, StubSummary,
        VerifyRequest, VerifyResponse, mock_server::Mock, verify_request::Count,
    },
    stubs,
};

/// The name of AddStubs' text when its request gives none.
const ADDED: &str = "AddStubs";
/// The calls of the method that Verify's refusal shows, at most.
const CALLS_SHOWN: usize = 3;
/// The characters of a request that Verify's refusal shows, at most.
const REQUEST_SHOWN: usize = 200;

/// The admin service, over the state that the stubbed services share.
pub struct MockAdmin {
    journal: Arc<Journal>,
    stubs: Arc<ServedStubs>,
    /// The descriptors of the services served: the methods that filters name, and what AddStubs'
    /// stubs are checked against.
    pool: DescriptorPool,
}

impl MockAdmin {
    /// The admin service over the journal and the stubs that the stubbed services share; `pool`
    /// describes the services served.
    pub fn new(journal: Arc<Journal>, stubs: Arc<ServedStubs>, pool: DescriptorPool) -> MockAdmin {
        MockAdmin {
            journal,
            stubs,
            pool,
        }
    }

    fn filter(
        &self,
        method: &str,
        request: Option<&prost_types::Struct>,
        since: Option<SystemTime>,
        until: Option<SystemTime>,
    ) -> Result<CallFilter, Status> {
        CallFilter::new(
            &self.pool,
            method,
            request.map(json::from_struct),
            since,
            until,
        )
        .map_err(|bad| Status::invalid_argument(bad.0))
    }
}

#[tonic::async_trait]
impl Mock for MockAdmin {
    async fn list_calls(
        &self,
        request: Request<ListCallsRequest>,
    ) -> Result<Response<ListCallsResponse>, Status> {
        let request = request.into_inner();
        let since = request.since.map(time).transpose()?;
        let until = request.until.map(time).transpose()?;
        let mut filter = self.filter(&request.method, request.request.as_ref(), since, until)?;
        let (entries, dropped) = self.journal.snapshot();
        let passed: Vec<&Arc<Entry>> = entries
            .iter()
            .filter(|entry| filter.passes(entry))
            .collect();
        let skipped = match request.last {
            0 => 0,
            last => passed.len().saturating_sub(last as usize),
        };
        let calls = passed[skipped..].iter().map(|entry| call(entry)).collect();
        Ok(Response::new(ListCallsResponse { calls, dropped }))
    }

    async fn verify(
        &self,
        request: Request<VerifyRequest>,
    ) -> Result<Response<VerifyResponse>, Status> {
        let request = request.into_inner();
        if request.method.is_empty() {
            return Err(Status::invalid_argument(
                "Verify needs a method, SERVICE/METHOD",
            ));
        }
        let mut filter = self.filter(&request.method, request.request.as_ref(), None, None)?;
        let (entries, dropped) = self.journal.snapshot();
        let count = entries.iter().filter(|entry| filter.passes(entry)).count();
        let wanted = request.count.unwrap_or(Count::AtLeast(1));
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let met = match wanted {
            Count::Exactly(n) => count == n,
            Count::AtLeast(n) => count >= n,
            Count::AtMost(n) => count <= n,
        };
        if met {
            return Ok(Response::new(VerifyResponse { count }));
        }
        let method = filter.method().unwrap_or(&request.method);
        let of_method = entries.iter().filter(|entry| entry.method() == method);
        Err(Status::failed_precondition(refusal(
            wanted,
            method,
            filter.request(),
            count,
            of_method,
            dropped,
        )))
    }

    async fn add_stubs(
        &self,
        request: Request<AddStubsRequest>,
    ) -> Result<Response<AddStubsResponse>, Status> {
        let request = request.into_inner();
        let name = match request.name.as_str() {
            "" => ADDED,
            name => name,
        };
        let stubs = stubs::load_text(&request.text, name, &self.pool)
            .map_err(|err| Status::invalid_argument(err.to_string()))?;
        let added = stubs.len();
        let total = self.stubs.add(stubs);
        Ok(Response::new(AddStubsResponse {
            added: u32::try_from(added).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        }))
    }

    async fn list_stubs(
        &self,
        request: Request<ListStubsRequest>,
    ) -> Result<Response<ListStubsResponse>, Status> {
        let request = request.into_inner();
        let method = match request.method.as_str() {
            "" => None,
            method => Some(
                filter::resolve(&self.pool, method)
                    .map(|method| filter::full_name(&method))
                    .map_err(|bad| Status::invalid_argument(bad.0))?,
            ),
        };
        let (files, added) = self.stubs.parts();
        let listed = files
            .iter()
            .map(|stub| (stub, false))
            .chain(added.iter().map(|stub| (stub, true)))
            .filter(|(stub, _)| method.as_deref().is_none_or(|m| m == stub.method_name()))
            .map(|(stub, added)| StubSummary {
                origin: stub.origin.to_string(),
                method: stub.method_name().to_owned(),
                hits: stub.hits(),
                times: stub.times.unwrap_or(0),
                priority: stub.priority,
                added,
            })
            .collect();
        Ok(Response::new(ListStubsResponse { stubs: listed }))
    }

    async fn reset(&self, _: Request<ResetRequest>) -> Result<Response<ResetResponse>, Status> {
        self.journal.clear();
        self.stubs.reset();
        Ok(Response::new(ResetResponse {}))
    }
}

/// A `Timestamp` of a request as a time, or INVALID_ARGUMENT.
fn time(timestamp: prost_types::Timestamp) -> Result<SystemTime, Status> {
    SystemTime::try_from(timestamp).map_err(|_| Status::invalid_argument("a time is out of range"))
}

/// A journal entry as ListCalls shows it.
fn call(entry: &Entry) -> Call {
    let mut headers = std::collections::HashMap::<String, String>::new();
    for (name, value) in entry.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|values| {
                values.push_str(", ");
                values.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    let (stub, miss) = match entry.answer() {
        Some(Answer::Stub(origin)) => (origin.to_string(), String::new()),
        Some(Answer::Miss(miss)) => (String::new(), miss.to_string()),
        None => (String::new(), String::new()),
    };
    Call {
        method: entry.method().to_owned(),
        peer: entry
            .peer()
            .map(|peer| peer.to_string())
            .unwrap_or_default(),
        headers,
        requests: entry
            .requests_json()
            .into_iter()
            .map(json::to_value)
            .collect(),
        requests_not_kept: entry.not_kept(),
        stub,
        miss,
        code: code_name(entry.code()).to_owned(),
        message: entry.message().to_owned(),
        start: Some(entry.started().into()),
        duration: prost_types::Duration::try_from(entry.duration())
            .ok()
            .or_else(|| prost_types::Duration::try_from(Duration::ZERO).ok()),
    }
}

/// Verify's refusal, on one line: what was wanted, what was seen, and the first calls of the
/// method with what became of them.
fn refusal<'a>(
    wanted: Count,
    method: &str,
    request: Option<&serde_json::Value>,
    count: u32,
    of_method: impl Iterator<Item = &'a Arc<Entry>>,
    dropped: u64,
) -> String {
    let (how, n) = match wanted {
        Count::Exactly(n) => ("exactly", n),
        Count::AtLeast(n) => ("at least", n),
        Count::AtMost(n) => ("at most", n),
    };
    let plural = |n: u64| if n == 1 { "call" } else { "calls" };
    let mut text = format!("wanted {how} {n} {} of {method}", plural(n.into()));
    if let Some(request) = request {
        let _ = write!(text, " with a request matching {request}");
    }
    let _ = write!(text, ", saw {count}");
    let of_method: Vec<_> = of_method.collect();
    if of_method.is_empty() {
        let _ = write!(text, "; no call of {method} is in the journal");
    } else {
        let _ = write!(
            text,
            "; the journal has {} {} of {method}:",
            of_method.len(),
            plural(of_method.len() as u64)
        );
        for (n, entry) in of_method.iter().take(CALLS_SHOWN).enumerate() {
            if n > 0 {
                text.push(';');
            }
            let _ = write!(text, " {}", shown(entry));
        }
        if of_method.len() > CALLS_SHOWN {
            let _ = write!(text, "; …");
        }
    }
    if dropped > 0 {
        let _ = write!(
            text,
            " ({dropped} older {} were dropped from the journal)",
            plural(dropped)
        );
    }
    text
}

/// One call in a few words: its requests, its status, and its stub or miss.
fn shown(entry: &Entry) -> String {
    let requests: Vec<String> = entry
        .requests_json()
        .iter()
        .map(serde_json::Value::to_string)
        .collect();
    let mut requests = requests.join(" ");
    if let Some((at, _)) = requests.char_indices().nth(REQUEST_SHOWN) {
        requests.truncate(at);
        requests.push('…');
    }
    let answer = match entry.answer() {
        Some(Answer::Stub(origin)) => format!(" by {origin}"),
        Some(Answer::Miss(miss)) => format!(" ({miss})"),
        None => String::new(),
    };
    format!("{requests} → {}{answer}", code_name(entry.code()))
}

#[cfg(test)]
#[path = "admin_tests.rs"]
mod tests;
