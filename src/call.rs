//! Running one client call: connect, send, print each message as it arrives, and turn however
//! the call ended into an error that says what happened and how much arrived.

use std::{
    io::{self, BufWriter},
    time::Instant,
};

use anyhow::Context as _;
use futures_util::{FutureExt as _, StreamExt as _};
use tonic::{Response, Status};

use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

use crate::{
    api::{ApiRequest, HelloRequest, api_client::ApiClient},
    cli::OutputFormat,
    client,
    exit::{Interrupted, NotServing, StatusError},
    output::{JsonPrinter, Printer, Progress, TablePrinter, verbose},
    settings::{Call, ClientSettings},
    stop::{Stop, Stopped},
};

/// Makes the call and prints its responses to stdout.
pub async fn run(settings: &ClientSettings, call: &Call) -> anyhow::Result<()> {
    let stdout = io::stdout().lock();
    let out = BufWriter::with_capacity(64 * 1024, stdout);
    let mut printer: Box<dyn Printer> = match settings.output {
        OutputFormat::Json => Box::new(JsonPrinter::new(out)),
        OutputFormat::Table => Box::new(TablePrinter::new(out, settings.color.stdout)),
    };
    let mut call_run = CallRun {
        settings,
        stop: Stop::new(settings.timeout).context("listening for Ctrl-C")?,
        started: Instant::now(),
    };
    let result = call_run.call(call, printer.as_mut()).await;
    // What arrived is printed whatever happened to the call.
    let flushed = printer.flush().context("writing to stdout");
    result.and(flushed)
}

struct CallRun<'a> {
    settings: &'a ClientSettings,
    stop: Stop,
    started: Instant,
}

impl CallRun<'_> {
    async fn call(&mut self, call: &Call, printer: &mut dyn Printer) -> anyhow::Result<()> {
        let settings = self.settings;
        let channel = match self.stop.race(client::connect(settings)).await {
            Ok(channel) => channel?,
            Err(stopped) => return Err(self.stopped(stopped, "")),
        };
        let mut client =
            ApiClient::new(channel.clone()).max_decoding_message_size(settings.max_message_size);
        if let Some(encoding) = client::compression(settings) {
            client = client.send_compressed(encoding).accept_compressed(encoding);
        }
        match call {
            Call::Hello { name } => {
                let message = HelloRequest { name: name.clone() };
                let request = self.request(message);
                let response = self.stop.race(client.say_hello(request)).await;
                let hello = self.unary(response)?;
                printer.hello(&hello).context("writing to stdout")
            }
            Call::GetAll { length } => {
                let request = self.request(ApiRequest { length: *length });
                let response = self.stop.race(client.get_all(request)).await;
                let items = self.unary(response)?;
                printer.items(&items).context("writing to stdout")
            }
            Call::Stream { length } => {
                let request = self.request(ApiRequest { length: *length });
                let response = self.stop.race(client.get_stream(request)).await;
                let stream = self.response(response, "response headers")?.into_inner();
                self.stream(stream, *length, printer).await
            }
            Call::Health { service } => {
                let mut health = HealthClient::new(channel);
                let request = self.request(HealthCheckRequest {
                    service: service.clone(),
                });
                let response = self.stop.race(health.check(request)).await;
                let status = self.unary(response)?.status();
                let name = status.as_str_name();
                printer.health(name).context("writing to stdout")?;
                if status != ServingStatus::Serving {
                    let service = match service.as_str() {
                        "" => "the server".to_owned(),
                        name => name.to_owned(),
                    };
                    let status = name.to_owned();
                    return Err(NotServing { service, status }.into());
                }
                Ok(())
            }
        }
    }

    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let request = client::request(self.settings, message, self.stop.time_left());
        if self.settings.verbose {
            verbose::metadata(&mut io::stderr(), "request metadata", request.metadata());
        }
        request
    }

    /// Receives the stream's items, printing each as it arrives and flushing whenever the
    /// stream has to wait for the next one.
    async fn stream(
        &mut self,
        mut stream: tonic::Streaming<crate::api::Item>,
        length: i32,
        printer: &mut dyn Printer,
    ) -> anyhow::Result<()> {
        let progress = Progress::new(self.settings.progress, length);
        let mut received: u64 = 0;
        let arrived = |received: u64| format!("{received} of {length} items arrived");
        printer.stream_start(length).context("writing to stdout")?;
        loop {
            let next = match stream.next().now_or_never() {
                Some(next) => self.stop.check().map(|()| next),
                None => {
                    progress
                        .around(|| printer.flush())
                        .context("writing to stdout")?;
                    self.stop.race(stream.next()).await
                }
            };
            let item = match next {
                Ok(Some(Ok(item))) => item,
                Ok(None) => break,
                Ok(Some(Err(status))) => {
                    return Err(self.failed(&status, &arrived(received), received > 0));
                }
                Err(stopped) => return Err(self.stopped(stopped, &arrived(received))),
            };
            progress
                .around(|| {
                    printer.stream_item(&item)?;
                    if progress.shares_terminal() {
                        printer.flush()?;
                    }
                    Ok::<_, io::Error>(())
                })
                .context("writing to stdout")?;
            progress.inc();
            received += 1;
        }
        if self.settings.verbose {
            let trailers = stream.trailers().await;
            if let Ok(Some(trailers)) = &trailers {
                verbose::metadata(&mut io::stderr(), "response trailers", trailers);
            }
            verbose::status(&mut io::stderr(), tonic::Code::Ok, self.started.elapsed());
        }
        Ok(())
    }

    /// A unary call's message, or the error it ended with.
    fn unary<T>(&self, outcome: Result<Result<Response<T>, Status>, Stopped>) -> anyhow::Result<T> {
        // tonic merges a unary call's trailers into its headers.
        let response = self.response(outcome, "response headers and trailers")?;
        if self.settings.verbose {
            verbose::status(&mut io::stderr(), tonic::Code::Ok, self.started.elapsed());
        }
        Ok(response.into_inner())
    }

    /// The response (headers received), or the error the call ended with.
    fn response<T>(
        &self,
        outcome: Result<Result<Response<T>, Status>, Stopped>,
        title: &str,
    ) -> anyhow::Result<Response<T>> {
        match outcome {
            Ok(Ok(response)) => {
                if self.settings.verbose {
                    verbose::metadata(&mut io::stderr(), title, response.metadata());
                }
                Ok(response)
            }
            Ok(Err(status)) => Err(self.failed(&status, "", false)),
            Err(stopped) => Err(self.stopped(stopped, "")),
        }
    }

    /// `received_any`: messages arrived before the failure, so the connection itself was fine.
    fn failed(&self, status: &Status, progress: &str, received_any: bool) -> anyhow::Error {
        if self.settings.verbose {
            verbose::metadata(&mut io::stderr(), "response trailers", status.metadata());
            verbose::status(&mut io::stderr(), status.code(), self.started.elapsed());
        }
        client::call_error(status, self.settings, progress, received_any)
    }

    fn stopped(&self, stopped: Stopped, progress: &str) -> anyhow::Error {
        let progress = if progress.is_empty() {
            String::new()
        } else {
            format!(" ({progress})")
        };
        match stopped {
            Stopped::Deadline => {
                let timeout = self.settings.timeout.unwrap_or_default();
                if self.settings.verbose {
                    let code = tonic::Code::DeadlineExceeded;
                    verbose::status(&mut io::stderr(), code, self.started.elapsed());
                }
                StatusError {
                    code: tonic::Code::DeadlineExceeded,
                    message: format!("the {timeout:?} deadline (--timeout) passed{progress}"),
                    details: Vec::new(),
                }
                .into()
            }
            Stopped::Interrupted => Interrupted(progress.trim_start().to_owned()).into(),
        }
    }
}
