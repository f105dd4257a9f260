//! Running one client call: connect, send, print each message as it arrives, and turn however
//! the call ended into an error that says what happened and how much arrived.
//!
//! Every call goes through [`CallRun::invoke`], generic over the codec: the typed commands with
//! their generated messages, `apicli call` with messages known by their descriptors, in all four
//! RPC kinds.

mod codec;
mod commands;
mod ends;
mod events;
mod invoke;
mod outgoing;
mod requests;

use std::{
    io::{self, BufWriter},
    time::Instant,
};

use anyhow::Context as _;
use prost_reflect::DescriptorPool;
use tokio::sync::mpsc;
use tonic::client::Grpc;

pub use codec::DynamicCodec;
pub use requests::{MessageReader, RequestData, read_one};

use crate::{
    client,
    descriptors::{Descriptors, Reflection, load_files},
    exit::{Tally, UsageError},
    output::Printer,
    settings::{self, Call, ClientSettings, HttpVersion, Protocol, Streaming},
    stop::Stop,
    transport::{self, Channel},
};

/// Reflection is a bidi stream: over gRPC-Web, or over HTTP/1.1 (`why` says how it came to
/// be), the descriptors must come from files.
fn no_reflection_over(protocol: Protocol, why: &str) -> UsageError {
    let (carrier, instead) = if protocol.is_grpc_web() {
        ("gRPC-Web".to_owned(), "--protocol grpc")
    } else {
        (format!("HTTP/1.1{why}"), "--http 2")
    };
    UsageError(format!(
        "reflection is a bidi stream, which {carrier} cannot carry; give the service's \
         descriptors with --proto or --protoset (or use {instead})"
    ))
}
use events::Events;

/// Makes the call and prints its responses to stdout.
pub async fn run(settings: &ClientSettings, call: &Call) -> anyhow::Result<()> {
    let stdout = io::stdout().lock();
    let out = BufWriter::with_capacity(64 * 1024, stdout);
    let emit_defaults = matches!(
        call,
        Call::Method {
            emit_defaults: true,
            ..
        }
    );
    let mut printer = Printer::new(settings.output, out, settings.color.stdout, emit_defaults);
    printer.for_streams(io::IsTerminal::is_terminal(&io::stdout()));
    let mut call_run = CallRun::new(settings)?;
    let result = call_run.call(call, &mut printer).await;
    // What arrived is printed whatever happened to the call.
    let flushed = printer.finish().context("writing to stdout");
    result.and(flushed)
}

/// The requests of a call.
pub enum Requests<T> {
    /// Unary and server-streaming calls: exactly one.
    One(T),
    /// Client-streaming and bidi calls: sent as they come. An error stops the call.
    Stream(mpsc::Receiver<Result<T, UsageError>>),
}

/// Which method, and what the user expects of it.
pub struct Invocation {
    pub path: http::uri::PathAndQuery,
    /// The server sends a stream of messages.
    pub server_streaming: bool,
    /// How many messages a typed stream asked for.
    pub expected: Option<i32>,
    /// The method's descriptor, when the call has one: Connect's JSON codec needs it.
    pub descriptor: Option<prost_reflect::MethodDescriptor>,
}

impl Invocation {
    fn typed(path: &'static str, server_streaming: bool, expected: Option<i32>) -> Invocation {
        Invocation {
            path: http::uri::PathAndQuery::from_static(path),
            server_streaming,
            expected,
            descriptor: None,
        }
    }
}

/// One call (or, for `list` and `describe`, one conversation with the server): its settings,
/// its deadline and Ctrl-C, and what it reports as it goes.
pub struct CallRun<'a> {
    settings: &'a ClientSettings,
    stop: Stop,
    events: Events,
    /// The descriptors in use, to decode the types of error details.
    pool: Option<DescriptorPool>,
    /// What the server said first on the connection.
    heard: client::Heard,
}

impl<'a> CallRun<'a> {
    pub fn new(settings: &'a ClientSettings) -> anyhow::Result<CallRun<'a>> {
        Ok(CallRun {
            settings,
            stop: Stop::new(settings.timeout).context("listening for Ctrl-C")?,
            events: Events::new(settings.verbose, Instant::now()),
            pool: None,
            heard: client::Heard::default(),
        })
    }

    /// The descriptor source the settings ask for: the user's files (no connection needed), or
    /// reflection on a new connection, which is returned for the call to use.
    pub async fn descriptors(&mut self) -> anyhow::Result<(Descriptors, Option<Channel>)> {
        let files = &self.settings.descriptor_files;
        if files.given() {
            let pool = load_files(&files.protos, &files.import_paths, &files.protosets)?;
            return Ok((Descriptors::from_files(pool), None));
        }
        let settings = self.settings;
        if settings.protocol.is_grpc_web() || settings.http == HttpVersion::Http1 {
            return Err(no_reflection_over(settings.protocol, " (--http 1.1)").into());
        }
        let channel = self.connect().await?;
        if channel.version() == transport::http::Version::Http1 {
            let why = " (the server answered in HTTP/1.1)";
            return Err(no_reflection_over(settings.protocol, why).into());
        }
        let metadata = client::reflection_metadata(self.settings);
        let reflection = Reflection::new(channel.clone(), metadata);
        let server = self.settings.target.display();
        Ok((
            Descriptors::from_reflection(reflection, server),
            Some(channel),
        ))
    }

    /// Runs `work` (a conversation with the server) until the deadline or Ctrl-C.
    pub async fn race<T>(
        &mut self,
        work: impl Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        match self.stop.race(work).await {
            Ok(result) => result.map_err(|err| self.reflection_failed(err)),
            Err(stopped) => Err(self.stopped(stopped, &Tally::default())),
        }
    }

    /// Connects within `--connect-timeout`, or until the deadline or Ctrl-C.
    pub async fn connect(&mut self) -> anyhow::Result<Channel> {
        match self.stop.race(client::connect(self.settings)).await {
            Ok(connection) => {
                let connection = connection?;
                self.heard = connection.heard;
                Ok(connection.channel)
            }
            Err(stopped) => Err(self.stopped(stopped, &Tally::default())),
        }
    }

    /// Refuses a method's streaming that the protocol, or the connection's HTTP version, cannot
    /// carry, before anything is sent.
    pub fn check_streaming(
        &self,
        channel: Option<&Channel>,
        method: &prost_reflect::MethodDescriptor,
        shown: &str,
    ) -> Result<(), UsageError> {
        let streaming = match (method.is_client_streaming(), method.is_server_streaming()) {
            (false, false) => Streaming::Unary,
            (false, true) => Streaming::Server,
            (true, false) => Streaming::Client,
            (true, true) => Streaming::Bidi,
        };
        let http = match channel.map(Channel::version) {
            Some(transport::http::Version::Http1) => HttpVersion::Http1,
            _ => self.settings.http,
        };
        settings::check_streaming(
            self.settings.protocol,
            http,
            self.settings.get,
            streaming,
            shown,
        )
    }

    fn grpc(&self, channel: Channel) -> Grpc<Channel> {
        let mut grpc = Grpc::new(channel).max_decoding_message_size(self.settings.max_message_size);
        if let Some(encoding) = client::compression(self.settings) {
            grpc = grpc.send_compressed(encoding).accept_compressed(encoding);
        }
        grpc
    }
}
