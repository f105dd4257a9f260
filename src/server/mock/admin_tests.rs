//! The admin service, called directly over a journal and the stubs of a stub file.

use http::HeaderMap;
use prost::Message as _;
use prost_reflect::DynamicMessage;
use serde_json::json;
use tonic::Code;

use super::*;
use crate::stubs::Stub;

/// Two stubs: GetFeature at line 1, ListFeatures at line 4.
const FEATURES: &str = "\
- method: routeguide.RouteGuide/GetFeature
  reply: {message: {name: here}}

- method: routeguide.RouteGuide/ListFeatures
  reply: {stream: []}
";

const CHAT: &str = "- method: routeguide.RouteGuide/RouteChat\n  reply: {stream: []}\n";
const RECORD: &str = "- method: routeguide.RouteGuide/RecordRoute\n  reply: {message: {}}\n";

fn pool() -> DescriptorPool {
    crate::descriptors::builtin_pool()
}

fn load(text: &str, name: &str) -> Vec<Stub> {
    stubs::load_text(text, name, &pool()).unwrap()
}

struct Double {
    admin: MockAdmin,
    journal: Arc<Journal>,
    stubs: Arc<ServedStubs>,
}

fn double() -> Double {
    let journal = Arc::new(Journal::new(100));
    let stubs = Arc::new(ServedStubs::new(load(FEATURES, "features.yaml")));
    let admin = MockAdmin::new(Arc::clone(&journal), Arc::clone(&stubs), pool());
    Double {
        admin,
        journal,
        stubs,
    }
}

/// A GetFeature call at this latitude, answered by the first stub, as the service would record.
fn get_feature(double: &Double, latitude: i32) {
    let method = filter::resolve(&pool(), "routeguide.RouteGuide/GetFeature").unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("authorization", "Bearer s3cret".parse().unwrap());
    headers.append("x-tag", "a".parse().unwrap());
    headers.append("x-tag", "b".parse().unwrap());
    let mut entry = Entry::begin(
        filter::full_name(&method).into(),
        method.input(),
        Some("127.0.0.1:4000".parse().unwrap()),
        &headers,
    );
    let mut request = DynamicMessage::new(method.input());
    request.set_field_by_name("latitude", prost_reflect::Value::I32(latitude));
    entry.push_encoded(&request.encode_to_vec());
    let set = double.stubs.load();
    let stub = &set.all()[0];
    stub.count_hit();
    entry.answered(Answer::Stub(stub.origin.clone()));
    double.journal.push(entry.end(Code::Ok, ""));
}

fn contains(fields: serde_json::Value) -> Option<prost_types::Struct> {
    match json::to_value(json!({ "contains": fields })).kind {
        Some(prost_types::value::Kind::StructValue(fields)) => Some(fields),
        _ => unreachable!("an object"),
    }
}

async fn verify(double: &Double, request: VerifyRequest) -> Result<u32, Status> {
    double
        .admin
        .verify(Request::new(request))
        .await
        .map(|response| response.into_inner().count)
}

#[tokio::test]
async fn lists_the_calls_that_pass_the_filters() {
    let double = double();
    get_feature(&double, 1);
    get_feature(&double, 5);
    let all = double
        .admin
        .list_calls(Request::new(ListCallsRequest::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.calls.len(), 2);
    let first = &all.calls[0];
    assert_eq!(first.method, "routeguide.RouteGuide/GetFeature");
    assert_eq!(first.peer, "127.0.0.1:4000");
    assert_eq!(first.headers["authorization"], "[redacted]");
    assert_eq!(first.headers["x-tag"], "a, b");
    assert_eq!(first.requests.len(), 1);
    assert_eq!(json::from_value(&first.requests[0]), json!({"latitude": 1}));
    assert_eq!(
        (first.stub.as_str(), first.code.as_str()),
        ("features.yaml:1", "OK")
    );
    assert!(first.start.is_some() && first.duration.is_some());

    let at_5 = double
        .admin
        .list_calls(Request::new(ListCallsRequest {
            method: "routeguide.RouteGuide/GetFeature".into(),
            request: contains(json!({"latitude": 5})),
            ..ListCallsRequest::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(at_5.calls.len(), 1);
    assert_eq!(
        json::from_value(&at_5.calls[0].requests[0]),
        json!({"latitude": 5})
    );

    let later = double
        .admin
        .list_calls(Request::new(ListCallsRequest {
            since: Some((SystemTime::now() + Duration::from_secs(60)).into()),
            ..ListCallsRequest::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(later.calls.is_empty());

    let last = double
        .admin
        .list_calls(Request::new(ListCallsRequest {
            last: 1,
            ..ListCallsRequest::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(last.calls.len(), 1);
    assert_eq!(
        json::from_value(&last.calls[0].requests[0]),
        json!({"latitude": 5})
    );
}

#[tokio::test]
async fn a_bad_filter_is_invalid_argument() {
    let double = double();
    let unknown = double
        .admin
        .list_calls(Request::new(ListCallsRequest {
            method: "routeguide.RouteGuide/Nope".into(),
            ..ListCallsRequest::default()
        }))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::InvalidArgument);
    let misfit = verify(
        &double,
        VerifyRequest {
            method: "routeguide.RouteGuide/GetFeature".into(),
            request: contains(json!({"lat": 1})),
            count: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(misfit.code(), Code::InvalidArgument);
    assert!(misfit.message().contains("'lat'"), "{misfit:?}");
    let no_method = verify(&double, VerifyRequest::default()).await.unwrap_err();
    assert_eq!(no_method.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn verify_counts_and_says_what_it_saw() {
    let double = double();
    get_feature(&double, 1);
    get_feature(&double, 5);
    let get = |request, count| VerifyRequest {
        method: "routeguide.RouteGuide/GetFeature".into(),
        request,
        count,
    };
    assert_eq!(verify(&double, get(None, None)).await.unwrap(), 2);
    assert_eq!(
        verify(&double, get(None, Some(Count::Exactly(2))))
            .await
            .unwrap(),
        2
    );
    let one = contains(json!({"latitude": 1}));
    assert_eq!(
        verify(&double, get(one.clone(), Some(Count::AtMost(1))))
            .await
            .unwrap(),
        1
    );

    let refused = verify(&double, get(one, Some(Count::Exactly(2))))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(
        refused.message(),
        "wanted exactly 2 calls of routeguide.RouteGuide/GetFeature with a request matching \
         {\"contains\":{\"latitude\":1}}, saw 1; the journal has 2 calls of \
         routeguide.RouteGuide/GetFeature: {\"latitude\":1} → OK by features.yaml:1; \
         {\"latitude\":5} → OK by features.yaml:1"
    );

    let never = verify(
        &double,
        VerifyRequest {
            method: "routeguide.RouteGuide/RouteChat".into(),
            request: None,
            count: Some(Count::AtLeast(1)),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        never.message(),
        "wanted at least 1 call of routeguide.RouteGuide/RouteChat, saw 0; no call of \
         routeguide.RouteGuide/RouteChat is in the journal"
    );
}

#[tokio::test]
async fn add_stubs_adds_or_changes_nothing() {
    let double = double();
    let bad = double
        .admin
        .add_stubs(Request::new(AddStubsRequest {
            text: format!("{CHAT}  repy: {{}}\n"),
            name: String::new(),
        }))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert!(
        bad.message()
            .starts_with("AddStubs:3:3: unknown key 'repy'"),
        "{bad:?}"
    );
    assert_eq!(double.stubs.load().all().len(), 2, "unchanged");

    let added = double
        .admin
        .add_stubs(Request::new(AddStubsRequest {
            text: format!("{CHAT}{RECORD}"),
            name: "chat.yaml".into(),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((added.added, added.total), (2, 4));
    let origins: Vec<String> = double
        .stubs
        .load()
        .all()
        .iter()
        .map(|stub| stub.origin.to_string())
        .collect();
    assert_eq!(
        origins,
        [
            "features.yaml:1",
            "features.yaml:4",
            "chat.yaml:1",
            "chat.yaml:3"
        ]
    );
}

#[tokio::test]
async fn list_stubs_and_reset() {
    let double = double();
    get_feature(&double, 1);
    double
        .admin
        .add_stubs(Request::new(AddStubsRequest {
            text: CHAT.into(),
            name: String::new(),
        }))
        .await
        .unwrap();
    let listed = |method: &str| {
        let request = Request::new(ListStubsRequest {
            method: method.into(),
        });
        async {
            double
                .admin
                .list_stubs(request)
                .await
                .unwrap()
                .into_inner()
                .stubs
        }
    };
    let all = listed("").await;
    let summary: Vec<_> = all
        .iter()
        .map(|s| (s.origin.as_str(), s.method.as_str(), s.hits, s.added))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "features.yaml:1",
                "routeguide.RouteGuide/GetFeature",
                1,
                false
            ),
            (
                "features.yaml:4",
                "routeguide.RouteGuide/ListFeatures",
                0,
                false
            ),
            ("AddStubs:1", "routeguide.RouteGuide/RouteChat", 0, true),
        ]
    );
    assert_eq!(listed("/routeguide.RouteGuide/RouteChat").await.len(), 1);

    double
        .admin
        .reset(Request::new(ResetRequest {}))
        .await
        .unwrap();
    assert!(double.journal.snapshot().0.is_empty());
    let after: Vec<_> = listed("")
        .await
        .iter()
        .map(|s| (s.origin.clone(), s.hits))
        .collect();
    assert_eq!(
        after,
        [
            ("features.yaml:1".to_owned(), 0),
            ("features.yaml:4".to_owned(), 0)
        ]
    );
}

#[tokio::test]
async fn answers_over_grpc() {
    use crate::mock::{mock_client::MockClient, mock_server::MockServer};

    let double = double();
    get_feature(&double, 1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(MockServer::new(double.admin))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    let mut client = MockClient::connect(format!("http://{addr}")).await.unwrap();
    let listed = client
        .list_calls(ListCallsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.calls.len(), 1);
    let refused = client
        .verify(VerifyRequest {
            method: "routeguide.RouteGuide/GetFeature".into(),
            request: None,
            count: Some(Count::AtMost(0)),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    server.abort();
}

#[test]
fn the_admin_service_has_descriptors_of_its_own() {
    let pool = DescriptorPool::decode(crate::mock::FILE_DESCRIPTOR_SET).unwrap();
    let service = pool.get_service_by_name("apicli.mock.v1.Mock").unwrap();
    assert_eq!(service.methods().count(), 5);
    assert!(pool.get_service_by_name("routeguide.RouteGuide").is_none());
    let comments = service
        .parent_file()
        .file_descriptor_proto()
        .source_code_info
        .is_some();
    assert!(comments, "comments, for describe");
}
