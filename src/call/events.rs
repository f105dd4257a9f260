//! `-v`: what happens during a call besides its messages, reported as it happens on stderr:
//! the metadata sent, the response headers and trailers, how many messages went each way, and
//! the status with the time taken. Silent without `-v`.

use std::{io, time::Instant};

use tonic::{Code, Status, metadata::MetadataMap};

use crate::{output::verbose, transport::HttpStatus};

pub struct Events {
    verbose: bool,
    started: Instant,
}

impl Events {
    pub fn new(verbose: bool, started: Instant) -> Events {
        Events { verbose, started }
    }

    pub fn request_metadata(&self, metadata: &MetadataMap) {
        if self.verbose {
            verbose::metadata(&mut io::stderr(), "request metadata", metadata);
        }
    }

    /// The HTTP status of the reply, when a protocol other than gRPC carried it (see
    /// `transport::HttpStatus`).
    pub fn http_status(&self, extensions: &http::Extensions) {
        if self.verbose
            && let Some(HttpStatus(status)) = extensions.get::<HttpStatus>()
        {
            verbose::http_status(&mut io::stderr(), *status);
        }
    }

    /// The response headers; `title` says whether they include the trailers (unary calls).
    pub fn headers(&self, title: &str, metadata: &MetadataMap) {
        if self.verbose {
            verbose::metadata(&mut io::stderr(), title, metadata);
        }
    }

    pub fn trailers(&self, metadata: &MetadataMap) {
        if self.verbose {
            verbose::metadata(&mut io::stderr(), "response trailers", metadata);
        }
    }

    /// How many messages a stream sent (for client and bidi streams) and received.
    pub fn counts(&self, sent: Option<u64>, received: u64) {
        if self.verbose {
            verbose::counts(&mut io::stderr(), sent, received);
        }
    }

    pub fn finished_ok(&self) {
        self.finished(Code::Ok);
    }

    pub fn finished(&self, code: Code) {
        if self.verbose {
            verbose::status(&mut io::stderr(), code, self.started.elapsed());
        }
    }

    /// A call that ended with `status`: the HTTP status of a translated reply that ended it in
    /// its headers, its trailers, then the status.
    pub fn failed(&self, status: &Status) {
        if self.verbose {
            let mut trailers = status.metadata().clone();
            if let Some(HttpStatus(http)) = HttpStatus::take(&mut trailers) {
                verbose::http_status(&mut io::stderr(), http);
            }
            self.trailers(&trailers);
            self.finished(status.code());
        }
    }
}
