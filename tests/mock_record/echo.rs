//! A server for what `apicli serve` does not send: reply headers of the caller's choosing, and
//! a failed status with details.

/// api.Api whose sayHello sends back the request's headers as its reply headers (or, failing
/// for the name "fail", as the trailers of a status with details).
pub struct Echo;

/// `google.rpc.ErrorInfo`, built by hand for the details.
#[derive(Clone, PartialEq, prost::Message)]
struct ErrorInfo {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
}

#[tonic::async_trait]
impl apicli::api::api_server::Api for Echo {
    async fn say_hello(
        &self,
        request: tonic::Request<apicli::api::HelloRequest>,
    ) -> Result<tonic::Response<apicli::api::Hello>, tonic::Status> {
        use prost::Message as _;
        let mut echoed = tonic::metadata::MetadataMap::new();
        for name in ["x-user", "authorization", "cookie", "x-api-key", "x-secret"] {
            if let Some(value) = request.metadata().get(name) {
                echoed.insert(name, value.clone());
            }
        }
        echoed.insert("set-cookie", "id=set-cookie-value".parse().unwrap());
        let name = request.into_inner().name;
        if name == "fail" {
            let info = ErrorInfo {
                reason: "STOCKOUT".into(),
                domain: "example.com".into(),
            };
            let status = apicli::details::RpcStatus {
                code: tonic::Code::FailedPrecondition as i32,
                message: "out of stock".into(),
                details: vec![prost_types::Any {
                    type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
                    value: info.encode_to_vec(),
                }],
            };
            return Err(tonic::Status::with_details_and_metadata(
                tonic::Code::FailedPrecondition,
                "out of stock",
                status.encode_to_vec().into(),
                echoed,
            ));
        }
        let mut response = tonic::Response::new(apicli::api::Hello {
            message: format!("Hello {name}!"),
        });
        *response.metadata_mut() = echoed;
        Ok(response)
    }

    async fn get_all(
        &self,
        _: tonic::Request<apicli::api::ApiRequest>,
    ) -> Result<tonic::Response<apicli::api::Items>, tonic::Status> {
        Err(tonic::Status::unimplemented("not here"))
    }

    type getStreamStream = tokio_stream::Empty<Result<apicli::api::Item, tonic::Status>>;

    async fn get_stream(
        &self,
        _: tonic::Request<apicli::api::ApiRequest>,
    ) -> Result<tonic::Response<Self::getStreamStream>, tonic::Status> {
        Err(tonic::Status::unimplemented("not here"))
    }
}
