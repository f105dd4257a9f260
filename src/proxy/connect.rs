//! The CONNECT tunnel: a TCP connection to the proxy, `CONNECT host:port`, and the proxy's
//! answer read up to its blank line. Whatever the proxy sent after that line is already the
//! server's, and is read first from the [`Tunnel`].

use std::{
    future::Future,
    io,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use hyper_util::rt::TokioIo;
use tokio::{
    io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf},
    net::TcpStream,
};

use super::url::Proxy;
use crate::exit::io_words;

/// The most a proxy's answer to CONNECT may take, status line and headers.
const MAX_ANSWER: usize = 16 * 1024;

/// Why there is no tunnel. Each says which proxy, so the user knows where to look.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("cannot connect to the proxy {proxy}: {reason}")]
    Unreachable { proxy: String, reason: String },
    #[error("the proxy {proxy} refused the tunnel to {target}: {status}")]
    Refused {
        proxy: String,
        target: String,
        /// `407 Proxy Authentication Required`.
        status: String,
    },
    #[error("the proxy {proxy} failed to open a tunnel to {target}: {reason}")]
    Broken {
        proxy: String,
        target: String,
        reason: String,
    },
}

/// What tonic calls to open each connection: a tunnel through `proxy` to `target`
/// (`host:port`). TLS, when the address is `https://`, is tonic's, inside the tunnel.
#[derive(Clone)]
pub struct Connector {
    proxy: Arc<Proxy>,
    target: Arc<str>,
}

impl Connector {
    pub fn new(proxy: &Proxy, target: &str) -> Connector {
        Connector {
            proxy: Arc::new(proxy.clone()),
            target: target.into(),
        }
    }

    async fn open(self) -> Result<TokioIo<Tunnel<TcpStream>>, ProxyError> {
        let proxy = self.proxy.to_string();
        let stream = TcpStream::connect(self.proxy.host_port())
            .await
            .map_err(|err| ProxyError::Unreachable {
                proxy: proxy.clone(),
                reason: io_words(&err),
            })?;
        // gRPC's small frames must not wait for the ones before them to be acknowledged.
        let _ = stream.set_nodelay(true);
        let tunnel = handshake(stream, &self.target, &self.proxy)
            .await
            .map_err(|failure| match failure {
                Failure::Status(status) => ProxyError::Refused {
                    proxy: proxy.clone(),
                    target: self.target.to_string(),
                    status,
                },
                Failure::Broken(reason) => ProxyError::Broken {
                    proxy: proxy.clone(),
                    target: self.target.to_string(),
                    reason,
                },
            })?;
        Ok(TokioIo::new(tunnel))
    }
}

impl tower::Service<http::Uri> for Connector {
    type Response = TokioIo<Tunnel<TcpStream>>;
    type Error = ProxyError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, ProxyError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), ProxyError>> {
        Poll::Ready(Ok(()))
    }

    /// The URI is the server's address, which the connector already holds.
    fn call(&mut self, _: http::Uri) -> Self::Future {
        Box::pin(self.clone().open())
    }
}

/// How a CONNECT went wrong.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// The proxy answered with this status (not 2xx): `407 Proxy Authentication Required`.
    Status(String),
    /// The exchange broke off, or the answer was not HTTP.
    Broken(String),
}

/// Asks `proxy`, at the other end of `stream`, for a tunnel to `target`, and reads its answer.
async fn handshake<S>(mut stream: S, target: &str, proxy: &Proxy) -> Result<Tunnel<S>, Failure>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut request = format!(
        "CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: apicli/{}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(authorization) = proxy.authorization() {
        request.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
    }
    request.push_str("\r\n");
    let broken = |err: io::Error| Failure::Broken(io_words(&err));
    stream.write_all(request.as_bytes()).await.map_err(broken)?;
    stream.flush().await.map_err(broken)?;

    let mut answer = Vec::with_capacity(1024);
    let end = loop {
        if let Some(end) = end_of_head(&answer) {
            break end;
        }
        if answer.len() >= MAX_ANSWER {
            return Err(Failure::Broken(format!(
                "its answer has no end of headers within {} KiB",
                MAX_ANSWER / 1024
            )));
        }
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.map_err(broken)?;
        if read == 0 {
            return Err(Failure::Broken(if answer.is_empty() {
                "it closed the connection without answering".into()
            } else {
                "it closed the connection in the middle of its answer".into()
            }));
        }
        answer.extend_from_slice(&chunk[..read]);
    };
    let status = status_of(&answer[..end])?;
    if !status.starts_with('2') {
        return Err(Failure::Status(status));
    }
    Ok(Tunnel {
        early: answer.split_off(end),
        read: 0,
        stream,
    })
}

/// Where the answer's head ends (after its blank line), if it has arrived.
fn end_of_head(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    // A bare LF ends lines too, for the odd proxy that writes them.
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `407 Proxy Authentication Required` from `HTTP/1.1 407 Proxy Authentication Required`; a
/// status without its reason phrase gets the standard one.
fn status_of(head: &[u8]) -> Result<String, Failure> {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let line = line.trim_end();
    let not_http = || {
        let shown: String = line
            .chars()
            .take(60)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        Failure::Broken(format!("its answer is not HTTP: '{shown}'"))
    };
    let rest = line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(1..))
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(not_http)?;
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let code = http::StatusCode::from_bytes(code.as_bytes()).map_err(|_| not_http())?;
    let reason: String = reason
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let reason = match reason.as_str() {
        "" => code.canonical_reason().unwrap_or_default(),
        reason => reason,
    };
    Ok(format!("{} {reason}", code.as_u16()).trim_end().to_owned())
}

/// The connection through the tunnel: first the bytes that came with the proxy's answer, then
/// the stream.
pub struct Tunnel<S> {
    early: Vec<u8>,
    read: usize,
    stream: S,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tunnel<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.read < this.early.len() {
            let left = &this.early[this.read..];
            let n = left.len().min(buf.remaining());
            buf.put_slice(&left[..n]);
            this.read += n;
            if this.read == this.early.len() {
                this.early = Vec::new();
                this.read = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tunnel<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt as _, BufReader, DuplexStream, duplex};

    use super::*;

    /// Runs a handshake against a fake proxy that reads the request head and answers `answer`,
    /// and returns the request it saw with the handshake's outcome.
    async fn exchange(
        proxy_url: &str,
        answer: &[u8],
    ) -> (String, Result<Tunnel<DuplexStream>, Failure>) {
        let (client, server) = duplex(64 * 1024);
        let answer = answer.to_vec();
        let fake = tokio::spawn(async move {
            let mut server = BufReader::new(server);
            let mut request = String::new();
            loop {
                let mut line = String::new();
                if server.read_line(&mut line).await.unwrap() == 0 || line == "\r\n" {
                    break;
                }
                request.push_str(&line);
            }
            server.get_mut().write_all(&answer).await.unwrap();
            // Then the fake hangs up, which a proxy that sent no answer is seen to do.
            request
        });
        let proxy = Proxy::parse(proxy_url).unwrap();
        let outcome = handshake(client, "api.example:443", &proxy).await;
        (fake.await.unwrap(), outcome)
    }

    #[tokio::test]
    async fn sends_connect_with_credentials_and_keeps_early_bytes() {
        let (request, outcome) = exchange(
            "http://alice:s%3Acret@proxy:3128",
            b"HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\nSERVER BYTES",
        )
        .await;
        let lines: Vec<&str> = request.lines().collect();
        assert_eq!(lines[0], "CONNECT api.example:443 HTTP/1.1");
        assert!(lines.contains(&"Host: api.example:443"), "{request}");
        // base64("alice:s:cret")
        assert!(
            lines.contains(&"Proxy-Authorization: Basic YWxpY2U6czpjcmV0"),
            "{request}"
        );
        let mut tunnel = outcome.expect("a tunnel");
        let mut early = [0; 12];
        tunnel.read_exact(&mut early).await.unwrap();
        assert_eq!(&early, b"SERVER BYTES");
    }

    #[tokio::test]
    async fn no_credentials_no_authorization() {
        let (request, outcome) = exchange("proxy:3128", b"HTTP/1.0 200 OK\r\n\r\n").await;
        assert!(!request.contains("Proxy-Authorization"), "{request}");
        assert!(outcome.is_ok());
    }

    #[tokio::test]
    async fn refusals_keep_the_status() {
        let (_, outcome) = exchange(
            "proxy:3128",
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n",
        )
        .await;
        assert_eq!(
            outcome.err(),
            Some(Failure::Status(
                "407 Proxy Authentication Required".to_owned()
            ))
        );
        let (_, outcome) = exchange("proxy:3128", b"HTTP/1.1 403\r\n\r\n").await;
        assert_eq!(
            outcome.err(),
            Some(Failure::Status("403 Forbidden".to_owned()))
        );
    }

    #[tokio::test]
    async fn answers_that_are_not_http() {
        let (_, outcome) = exchange("proxy:3128", b"SSH-2.0-OpenSSH\r\n\r\n").await;
        assert_eq!(
            outcome.err(),
            Some(Failure::Broken(
                "its answer is not HTTP: 'SSH-2.0-OpenSSH'".to_owned()
            ))
        );
        let (_, outcome) = exchange("proxy:3128", b"HTTP/1.1 2x0 Hm\n\n").await;
        assert!(matches!(outcome, Err(Failure::Broken(_))));
        let (_, outcome) = exchange("proxy:3128", b"").await;
        assert_eq!(
            outcome.err(),
            Some(Failure::Broken(
                "it closed the connection without answering".to_owned()
            ))
        );
    }

    #[test]
    fn heads_end_at_the_first_blank_line() {
        assert_eq!(end_of_head(b"HTTP/1.1 200 OK\r\n\r\nrest"), Some(19));
        assert_eq!(end_of_head(b"HTTP/1.1 200 OK\n\nrest"), Some(17));
        assert_eq!(end_of_head(b"HTTP/1.1 200 OK\r\n"), None);
    }
}
