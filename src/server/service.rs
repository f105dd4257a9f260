//! The api.Api service: sayHello, getAll and getStream.

use std::{pin::Pin, time::Duration};

use futures_util::Stream;
use tokio::time::Instant;
use tonic::{Request, Response, Status};

use super::{deadline, items_reply::ItemsReply, paced::paced};
use crate::api::{ApiRequest, Hello, HelloRequest, Item, Items, api_server::Api};

#[derive(Debug, Clone)]
pub struct ApiService {
    /// Wait before each getStream item.
    stream_interval: Duration,
    /// The longest getAll served: its reply is one message.
    max_items: u32,
}

impl ApiService {
    pub fn new(stream_interval: Duration, max_items: u32) -> ApiService {
        ApiService {
            stream_interval,
            max_items,
        }
    }

    /// getAll's reply to `request`, to be made as it is encoded (see `items_reply.rs`), or
    /// INVALID_ARGUMENT for a length out of range, or RESOURCE_EXHAUSTED for a reply over
    /// gRPC's limit of 4 GiB for one message (over 191,660,524 items, which only a
    /// `--max-items` above that allows).
    pub(super) fn get_all_reply(&self, request: &ApiRequest) -> Result<ItemsReply, Status> {
        let length = request.length;
        if length < 0 || length as u32 > self.max_items {
            return Err(Status::invalid_argument(format!(
                "length {length} is out of range: getAll serves 0 to {} items \
                 (the server's --max-items); use getStream for more",
                self.max_items
            )));
        }
        let reply = ItemsReply::new(length as u32);
        let size = reply.encoded_len();
        if u32::try_from(size).is_err() {
            return Err(Status::resource_exhausted(format!(
                "getAll of {length} items would be one message of {size} bytes, over gRPC's \
                 4 GiB; use getStream for more"
            )));
        }
        Ok(reply)
    }
}

type ItemStream = Pin<Box<dyn Stream<Item = Result<Item, Status>> + Send>>;

#[tonic::async_trait]
impl Api for ApiService {
    async fn say_hello(&self, request: Request<HelloRequest>) -> Result<Response<Hello>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(Hello {
            message: format!("Hello {name}!"),
        }))
    }

    /// getAll through the generated route, which builds the whole `Items` before prost encodes
    /// it: what a server of `ApiServer` alone does (the benchmarks' default tonic server).
    /// `apicli serve` routes getAll past it, to [`ItemsReply`] (see `api_routes.rs`).
    async fn get_all(&self, request: Request<ApiRequest>) -> Result<Response<Items>, Status> {
        let reply = self.get_all_reply(request.get_ref())?;
        Ok(Response::new(reply.into_items()))
    }

    type getStreamStream = ItemStream;

    async fn get_stream(
        &self,
        request: Request<ApiRequest>,
    ) -> Result<Response<Self::getStreamStream>, Status> {
        let deadline = deadline::deadline(request.metadata());
        let length = request.into_inner().length;
        if length < 0 {
            return Err(Status::invalid_argument(format!(
                "length {length} is out of range: it must be 0 or more"
            )));
        }
        Ok(Response::new(Box::pin(items(
            length,
            self.stream_interval,
            deadline,
        ))))
    }
}

fn item(id: i32) -> Item {
    Item {
        id,
        name: format!("name {id}"),
    }
}

/// Items 1..=length, paced by `interval` and cut at the deadline (see `paced.rs`).
fn items(
    length: i32,
    interval: Duration,
    deadline: Option<Instant>,
) -> impl Stream<Item = Result<Item, Status>> + Send {
    paced((1..=length).map(item), interval, deadline, move |sent| {
        format!("deadline exceeded after {sent} of {length} items")
    })
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt as _;

    use super::*;

    #[tokio::test]
    async fn hello_and_get_all() {
        let api = ApiService::new(Duration::ZERO, 3);
        let hello = api
            .say_hello(Request::new(HelloRequest {
                name: "Gonzalo".into(),
            }))
            .await;
        assert_eq!(hello.unwrap().into_inner().message, "Hello Gonzalo!");
        let items = api
            .get_all(Request::new(ApiRequest { length: 3 }))
            .await
            .unwrap();
        let names: Vec<_> = items
            .into_inner()
            .items
            .into_iter()
            .map(|i| i.name)
            .collect();
        assert_eq!(names, ["name 1", "name 2", "name 3"]);
    }

    #[tokio::test]
    async fn get_all_refuses_lengths_out_of_range() {
        let api = ApiService::new(Duration::ZERO, 3);
        for length in [4, -1, i32::MAX] {
            let status = api
                .get_all(Request::new(ApiRequest { length }))
                .await
                .unwrap_err();
            assert_eq!(status.code(), tonic::Code::InvalidArgument);
            assert!(
                status.message().contains("0 to 3 items"),
                "{}",
                status.message()
            );
        }
    }

    #[test]
    fn get_all_refuses_a_reply_over_4_gib() {
        let api = ApiService::new(Duration::ZERO, i32::MAX as u32);
        let reply = |length| api.get_all_reply(&ApiRequest { length });
        assert!(reply(191_660_524).is_ok());
        let status = reply(191_660_525).unwrap_err();
        assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        assert!(status.message().contains("4 GiB"), "{}", status.message());
        assert!(reply(i32::MAX).is_err());
    }

    #[tokio::test]
    async fn stream_ends_at_length() {
        let all: Vec<_> = items(3, Duration::ZERO, None).collect().await;
        let ids: Vec<_> = all.into_iter().map(|i| i.unwrap().id).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(items(0, Duration::ZERO, None).count().await, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn paced_stream_stops_at_the_deadline() {
        let deadline = Instant::now() + Duration::from_millis(2500);
        let all: Vec<_> = items(5, Duration::from_secs(1), Some(deadline))
            .collect()
            .await;
        assert_eq!(all.len(), 3, "two items, then the deadline");
        assert_eq!(all[1].as_ref().unwrap().id, 2);
        let status = all[2].as_ref().unwrap_err();
        assert_eq!(status.code(), tonic::Code::DeadlineExceeded);
        assert!(status.message().contains("2 of 5"), "{}", status.message());
    }
}
