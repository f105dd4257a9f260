//! Binding the address `serve` listens on: TCP, or a Unix domain socket.

use std::{io, path::PathBuf};

use anyhow::Context as _;
use tokio::net::{TcpListener, UnixListener};

use super::shards::Accepted;
use crate::settings::{Listen, io_words};

pub enum Listener {
    Tcp(TcpListener),
    /// The socket file is removed when the listener is dropped.
    Unix(UnixListener, SocketFile),
}

impl Listener {
    pub async fn bind(listen: &Listen) -> anyhow::Result<Listener> {
        match listen {
            Listen::Tcp(addr) => {
                let listener = TcpListener::bind(addr).await.map_err(|err| {
                    anyhow::anyhow!("cannot listen on {addr}: {}", io_words(&err))
                })?;
                Ok(Listener::Tcp(listener))
            }
            Listen::Unix(path) => {
                remove_stale_socket(path).await?;
                let listener = UnixListener::bind(path).map_err(|err| {
                    anyhow::anyhow!(
                        "cannot listen on unix:{}: {}",
                        path.display(),
                        io_words(&err)
                    )
                })?;
                Ok(Listener::Unix(listener, SocketFile(path.clone())))
            }
        }
    }

    /// Waits for the next connection, detached from this thread's runtime so that a serving
    /// thread can take it.
    pub async fn accept(&self) -> io::Result<Accepted> {
        match self {
            Listener::Tcp(listener) => {
                let (stream, _) = listener.accept().await?;
                Ok(Accepted::Tcp(stream.into_std()?))
            }
            Listener::Unix(listener, _) => {
                let (stream, _) = listener.accept().await?;
                Ok(Accepted::Unix(stream.into_std()?))
            }
        }
    }

    pub fn is_unix(&self) -> bool {
        matches!(self, Listener::Unix(..))
    }

    /// What clients connect to: `127.0.0.1:43567` or `unix:/path`.
    pub fn local_addr(&self) -> anyhow::Result<String> {
        match self {
            Listener::Tcp(listener) => Ok(listener
                .local_addr()
                .context("the bound address")?
                .to_string()),
            Listener::Unix(_, SocketFile(path)) => Ok(format!("unix:{}", path.display())),
        }
    }
}

/// A socket file left by a server that is gone is removed; one a live server answers on is not.
async fn remove_stale_socket(path: &PathBuf) -> anyhow::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    match tokio::net::UnixStream::connect(path).await {
        Ok(_) => anyhow::bail!(
            "cannot listen on unix:{}: a server is already listening there",
            path.display()
        ),
        Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => std::fs::remove_file(path)
            .with_context(|| format!("removing the stale socket unix:{}", path.display())),
        Err(_) => anyhow::bail!(
            "cannot listen on unix:{}: the file exists and is not a socket",
            path.display()
        ),
    }
}

pub struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
