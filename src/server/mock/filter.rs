//! Which journal entries ListCalls lists and Verify counts: a method, a match on the request (the
//! syntax of a stub's `match.request`), and a time window.
//!
//! The request match is the stub matcher's ([`RequestMatcher`]), so that a call is listed by the
//! very rules that would have chosen a stub for it.

use std::{collections::HashMap, time::SystemTime};

use prost_reflect::{DescriptorPool, MethodDescriptor};

use super::journal::Entry;
use crate::stubs::RequestMatcher;

/// A bad filter, in words for INVALID_ARGUMENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFilter(pub String);

/// The filters of one ListCalls or Verify.
pub struct CallFilter {
    /// `package.Service/Method`.
    method: Option<String>,
    request: Option<RequestFilter>,
    since: Option<SystemTime>,
    until: Option<SystemTime>,
}

/// A request match: compiled once when the method is known, else once per request type met.
struct RequestFilter {
    json: serde_json::Value,
    /// By request type's full name; None where the match does not fit the type.
    compiled: HashMap<String, Option<RequestMatcher>>,
}

impl CallFilter {
    /// A filter on `method` (empty: any; it must be a method of `pool`), a request match (it
    /// must fit the method's request type, when a method is given) and a start time in
    /// `since..until`.
    pub fn new(
        pool: &DescriptorPool,
        method: &str,
        request: Option<serde_json::Value>,
        since: Option<SystemTime>,
        until: Option<SystemTime>,
    ) -> Result<CallFilter, BadFilter> {
        let method = match method {
            "" => None,
            method => Some(resolve(pool, method)?),
        };
        let request = match request {
            None => None,
            Some(json) => {
                let mut compiled = HashMap::new();
                if let Some(method) = &method {
                    let input = method.input();
                    let matcher = RequestMatcher::from_json(&json, &input).map_err(|err| {
                        BadFilter(format!("the request match of {}: {err}", full_name(method)))
                    })?;
                    compiled.insert(input.full_name().to_owned(), Some(matcher));
                }
                Some(RequestFilter { json, compiled })
            }
        };
        Ok(CallFilter {
            method: method.as_ref().map(full_name),
            request,
            since,
            until,
        })
    }

    /// `package.Service/Method`, if the filter names one.
    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// The request match as it was given, if any.
    pub fn request(&self) -> Option<&serde_json::Value> {
        self.request.as_ref().map(|request| &request.json)
    }

    /// Whether the call passes every filter. A call with several request messages (a stream)
    /// passes the request match if any one of them matches.
    pub fn passes(&mut self, entry: &Entry) -> bool {
        if self.method.as_deref().is_some_and(|m| m != entry.method()) {
            return false;
        }
        if self.since.is_some_and(|since| entry.started() < since)
            || self.until.is_some_and(|until| entry.started() >= until)
        {
            return false;
        }
        let Some(request) = &mut self.request else {
            return true;
        };
        let input = entry.input();
        let json = &request.json;
        let matcher = request
            .compiled
            .entry(input.full_name().to_owned())
            .or_insert_with(|| RequestMatcher::from_json(json, input).ok());
        match matcher {
            Some(matcher) => entry.requests().any(|message| matcher.matches(&message)),
            None => false,
        }
    }
}

/// The method `name` names in `pool`: `package.Service/Method`, with or without a leading `/`.
pub fn resolve(pool: &DescriptorPool, name: &str) -> Result<MethodDescriptor, BadFilter> {
    let trimmed = name.trim_start_matches('/');
    let unknown = || {
        BadFilter(format!(
            "no method '{name}' is served (write it SERVICE/METHOD)"
        ))
    };
    let (service, method) = trimmed.rsplit_once('/').ok_or_else(unknown)?;
    pool.get_service_by_name(service)
        .and_then(|service| service.methods().find(|m| m.name() == method))
        .ok_or_else(unknown)
}

/// `package.Service/Method`.
pub fn full_name(method: &MethodDescriptor) -> String {
    format!("{}/{}", method.parent_service().full_name(), method.name())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::HeaderMap;
    use prost::Message as _;
    use prost_reflect::DynamicMessage;
    use serde_json::json;
    use tonic::Code;

    use super::*;

    fn pool() -> DescriptorPool {
        crate::descriptors::builtin_pool()
    }

    fn call(method: &str, latitude: i32) -> Entry {
        let pool = pool();
        let method = resolve(&pool, method).unwrap();
        let mut entry = Entry::begin(
            full_name(&method).into(),
            method.input(),
            None,
            &HeaderMap::new(),
        );
        let mut request = DynamicMessage::new(method.input());
        if let Some(field) = method.input().get_field_by_name("latitude") {
            request.set_field(&field, prost_reflect::Value::I32(latitude));
        }
        entry.push_encoded(&request.encode_to_vec());
        entry.end(Code::Ok, "")
    }

    fn filter(method: &str, request: Option<serde_json::Value>) -> Result<CallFilter, BadFilter> {
        CallFilter::new(&pool(), method, request, None, None)
    }

    #[test]
    fn methods_are_resolved_in_the_descriptors() {
        let pool = pool();
        let get = "routeguide.RouteGuide/GetFeature";
        assert_eq!(full_name(&resolve(&pool, get).unwrap()), get);
        assert_eq!(full_name(&resolve(&pool, &format!("/{get}")).unwrap()), get);
        let err = resolve(&pool, "routeguide.RouteGuide/GetFeatures").unwrap_err();
        assert_eq!(
            err.0,
            "no method 'routeguide.RouteGuide/GetFeatures' is served (write it SERVICE/METHOD)"
        );
        assert!(resolve(&pool, "routeguide.RouteGuide").is_err());
    }

    #[test]
    fn filters_by_method_and_request() {
        let get = call("routeguide.RouteGuide/GetFeature", 1);
        let other = call("routeguide.RouteGuide/GetFeature", 5);
        let chat = call("routeguide.RouteGuide/RouteChat", 0);

        let mut by_method = filter("routeguide.RouteGuide/GetFeature", None).unwrap();
        assert!(by_method.passes(&get) && by_method.passes(&other) && !by_method.passes(&chat));

        let mut by_request = filter(
            "routeguide.RouteGuide/GetFeature",
            Some(json!({"contains": {"latitude": 1}})),
        )
        .unwrap();
        assert!(by_request.passes(&get) && !by_request.passes(&other));
        let mut by_regex = filter("", Some(json!({"matches": {"latitude": "^5$"}}))).unwrap();
        assert!(!by_regex.passes(&get) && by_regex.passes(&other));

        // Without a method, a match that does not fit a type passes none of its calls.
        let mut anywhere = filter("", Some(json!({"contains": {"latitude": 5}}))).unwrap();
        assert!(!anywhere.passes(&get) && anywhere.passes(&other) && !anywhere.passes(&chat));
    }

    #[test]
    fn a_match_that_does_not_fit_the_method_is_refused() {
        let err = filter(
            "routeguide.RouteGuide/GetFeature",
            Some(json!({"contains": {"lat": 1}})),
        )
        .err()
        .unwrap();
        assert_eq!(
            err.0,
            "the request match of routeguide.RouteGuide/GetFeature: unknown field 'lat' in \
             routeguide.Point; did you mean 'latitude'?"
        );
    }

    #[test]
    fn filters_by_time() {
        let entry = call("routeguide.RouteGuide/GetFeature", 1);
        let at = entry.started();
        let second = Duration::from_secs(1);
        let window = |since, until| {
            CallFilter::new(&pool(), "", None, since, until)
                .unwrap()
                .passes(&entry)
        };
        assert!(window(Some(at), None), "since is inclusive");
        assert!(!window(None, Some(at)), "until is exclusive");
        assert!(window(Some(at - second), Some(at + second)));
        assert!(!window(Some(at + second), None));
    }
}
