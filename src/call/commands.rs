//! What each command sends: the typed commands with their generated messages, and
//! `apicli call` with a method and messages known by their descriptors.

use std::io::Write;

use tonic_health::pb::{
    HealthCheckRequest, HealthCheckResponse, health_check_response::ServingStatus,
};
use tonic_prost::ProstCodec;

use super::{CallRun, DynamicCodec, Invocation, RequestData, Requests, requests};
use crate::{
    api::{ApiRequest, Hello, HelloRequest, Item, Items},
    exit::{NotServing, Tally, UsageError},
    output::Printer,
    settings::{Call, UnknownFields},
};

impl CallRun<'_> {
    pub(super) async fn call<W: Write>(
        &mut self,
        call: &Call,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<()> {
        if let Call::Method {
            method,
            data,
            unknown_fields,
            ..
        } = call
        {
            return self.dynamic(method, data, *unknown_fields, printer).await;
        }
        if let Call::Stream { .. } = call {
            // `--get` sends unary calls only: refused before anything is dialed.
            let settings = self.settings;
            crate::settings::check_streaming(
                settings.protocol,
                settings.http,
                settings.get,
                crate::settings::Streaming::Server,
                "api.Api/getStream",
            )?;
        }
        let channel = self.connect().await?;
        let mut grpc = self.grpc(channel);
        match call {
            Call::Hello { name } => {
                let request = HelloRequest { name: name.clone() };
                let codec = ProstCodec::<HelloRequest, Hello>::default();
                let path = Invocation::typed("/api.Api/sayHello", false, None);
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::GetAll { length } => {
                let request = ApiRequest { length: *length };
                let codec = ProstCodec::<ApiRequest, Items>::default();
                let path = Invocation::typed("/api.Api/getAll", false, None);
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::Stream { length } => {
                let request = ApiRequest { length: *length };
                let codec = ProstCodec::<ApiRequest, Item>::default();
                let path = Invocation::typed("/api.Api/getStream", true, Some(*length));
                self.invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
            }
            Call::Health { service } => {
                let request = HealthCheckRequest {
                    service: service.clone(),
                };
                let codec = ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
                let path = Invocation::typed("/grpc.health.v1.Health/Check", false, None);
                let answer = self
                    .invoke(&mut grpc, &path, codec, Requests::One(request), printer)
                    .await?;
                let status = answer.map_or(ServingStatus::Unknown, |a| a.status());
                if status != ServingStatus::Serving {
                    let service = match service.as_str() {
                        "" => "the server".to_owned(),
                        name => name.to_owned(),
                    };
                    let status = status.as_str_name().to_owned();
                    return Err(NotServing { service, status }.into());
                }
            }
            Call::Method { .. } => unreachable!("handled above"),
        }
        Ok(())
    }

    /// `apicli call`: resolve the method, read the requests, and call it with dynamic messages.
    async fn dynamic<W: Write>(
        &mut self,
        name: &str,
        data: &RequestData,
        unknown: UnknownFields,
        printer: &mut Printer<W>,
    ) -> anyhow::Result<()> {
        let (mut descriptors, channel) = self.descriptors().await?;
        let method = match self.stop.race(descriptors.method(name)).await {
            Ok(method) => method.map_err(|err| self.reflection_failed(err))?,
            Err(stopped) => return Err(self.stopped(stopped, &Tally::default())),
        };
        self.pool = Some(descriptors.pool().clone());
        // The method and its messages are known: the reflection session ends beside the call.
        tokio::spawn(descriptors.close_reflection());
        let shown = format!("{}/{}", method.parent_service().full_name(), method.name());
        self.check_streaming(None, &method, &shown)?;
        let requests = if method.is_client_streaming() {
            Requests::Stream(requests::read_stream(data, &method.input(), unknown)?)
        } else if matches!(data, RequestData::Stdin | RequestData::File(_)) {
            let reading = requests::read_one_in_background(data, &method.input(), &shown, unknown)?;
            match self.stop.race(reading).await {
                Ok(Ok(request)) => Requests::One(request?),
                Ok(Err(_)) => anyhow::bail!("reading the request stopped unexpectedly"),
                Err(stopped) => return Err(self.stopped(stopped, &Tally::default())),
            }
        } else {
            Requests::One(requests::read_one(data, &method.input(), &shown, unknown)?)
        };
        let channel = match channel {
            Some(channel) => channel,
            None => self.connect().await?,
        };
        self.check_streaming(Some(&channel), &method, &shown)?;
        let path = Invocation {
            path: format!("/{shown}")
                .parse()
                .map_err(|_| UsageError(format!("'{shown}' cannot be a request path")))?,
            server_streaming: method.is_server_streaming(),
            expected: None,
            descriptor: Some(method.clone()),
        };
        let codec = DynamicCodec::new(method.output());
        let mut grpc = self.grpc(channel);
        self.invoke(&mut grpc, &path, codec, requests, printer)
            .await
            .map(|_| ())
    }
}
