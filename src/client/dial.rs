//! The HTTP/1.1 side of a connection: dialing the server for hyper's pooled client (straight,
//! through a proxy's tunnel, or over a unix socket; TLS with rustls on top), and learning which
//! HTTP version a server speaks when `--http auto` leaves it open.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use hyper_util::rt::TokioIo;
use rustls::{
    ClientConfig, RootCertStore,
    pki_types::{CertificateDer, PrivateKeyDer, ServerName, pem::PemObject},
};
use tokio::net::{TcpStream, UnixStream};

use super::first_bytes::{FirstBytes, Heard};
use crate::{
    exit::UsageError,
    proxy,
    settings::{ClientSettings, ClientTls, Route, Target},
    tls,
    transport::{
        BoxError,
        http::{Dialed, Dialer, Io},
    },
};

/// ALPN's names of the two versions.
pub const H2: &[u8] = b"h2";
pub const HTTP1: &[u8] = b"http/1.1";

/// Makes the connections of a client to `target`, with the settings' TLS (offering `alpn`),
/// proxy and time limit; `first`, a connection made already, is the first one handed out.
pub fn dialer(
    settings: &ClientSettings,
    target: &Target,
    alpn: &[&[u8]],
    first: Option<Dialed>,
) -> anyhow::Result<Dialer> {
    if settings.tls.as_ref().is_some_and(|t| t.insecure) && target.is_tls() {
        // As tonic's TLS says it for its connections.
        eprintln!("apicli: warning: --insecure: the server's certificate is not verified");
    }
    let tls = match &settings.tls {
        Some(config) if target.is_tls() => Some((
            tokio_rustls::TlsConnector::from(Arc::new(rustls_config(config, alpn)?)),
            server_name(settings, target)?,
        )),
        _ => None,
    };
    let dial = Dial {
        target: target.clone(),
        route: settings.route_to(target).clone(),
        tls,
        timeout: settings.connect_timeout,
    };
    let first = Arc::new(Mutex::new(first));
    Ok(Dialer::new(tower::service_fn(move |_: http::Uri| {
        let dial = dial.clone();
        let first = first.lock().ok().and_then(|mut first| first.take());
        async move {
            match first {
                Some(first) => Ok(TokioIo::new(first)),
                None => dial.open().await.map(TokioIo::new),
            }
        }
    })))
}

#[derive(Clone)]
struct Dial {
    target: Target,
    route: Route,
    tls: Option<(tokio_rustls::TlsConnector, ServerName<'static>)>,
    timeout: Duration,
}

impl Dial {
    async fn open(self) -> Result<Dialed, BoxError> {
        match tokio::time::timeout(self.timeout, self.stream()).await {
            Ok(stream) => stream,
            Err(_) => Err(Box::new(std::io::Error::from(std::io::ErrorKind::TimedOut))),
        }
    }

    async fn stream(self) -> Result<Dialed, BoxError> {
        let io: Box<dyn Io> = match (&self.route, &self.target) {
            (Route::Proxy { proxy, .. }, target) => {
                use tower::ServiceExt as _;
                let tunnel = proxy::Connector::new(proxy, &target.display())
                    .oneshot(http::Uri::default())
                    .await?;
                Box::new(tunnel.into_inner())
            }
            (Route::Direct(_), Target::Tcp { uri, .. }) => {
                let host = uri.host().unwrap_or_default();
                let host = host.trim_start_matches('[').trim_end_matches(']');
                let port = uri.port_u16().unwrap_or(80);
                let tcp = TcpStream::connect((host, port)).await?;
                tcp.set_nodelay(true)?;
                Box::new(tcp)
            }
            (Route::Direct(_), Target::Unix(path)) => Box::new(UnixStream::connect(path).await?),
        };
        Ok(match self.tls {
            Some((connector, name)) => Dialed::new(connector.connect(name, io).await?),
            None => Dialed::new(io),
        })
    }
}

/// A TLS connection that offered both versions, and whether ALPN chose h2 on it.
pub async fn negotiate(
    settings: &ClientSettings,
    target: &Target,
) -> anyhow::Result<(bool, Dialed)> {
    let Some(config) = &settings.tls else {
        anyhow::bail!("no TLS settings for {}", target.display());
    };
    let alpn = [H2, HTTP1];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(rustls_config(config, &alpn)?));
    let name = server_name(settings, target)?;
    let dial = Dial {
        target: target.clone(),
        route: settings.route_to(target).clone(),
        tls: None,
        timeout: settings.connect_timeout,
    };
    let failed =
        |err: &(dyn std::error::Error + 'static)| super::connect_error(settings, target, err);
    let io = dial.open().await.map_err(|err| failed(&*err))?;
    let stream = connector
        .connect(name, io)
        .await
        .map_err(|err| failed(&err))?;
    let h2 = stream.get_ref().1.alpn_protocol() == Some(H2);
    Ok((h2, Dialed::new(stream)))
}

/// Waits until the server's first bytes on a plaintext connection say which HTTP version it
/// speaks; `Unknown` if it says nothing within `limit`.
pub async fn first_bytes(heard: &Heard, limit: Duration) -> FirstBytes {
    tokio::time::timeout(limit, heard.decided())
        .await
        .unwrap_or(FirstBytes::Unknown)
}

/// The name the server's certificate must carry: `--authority`'s host, or the address's.
fn server_name(settings: &ClientSettings, target: &Target) -> anyhow::Result<ServerName<'static>> {
    let host = match (&settings.authority, target) {
        (Some(authority), _) => authority.parse::<http::uri::Authority>()?.host().to_owned(),
        (None, Target::Tcp { uri, .. }) => uri.host().unwrap_or_default().to_owned(),
        (None, Target::Unix(_)) => "localhost".to_owned(),
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    Ok(ServerName::try_from(host)?)
}

/// rustls's client configuration for the settings' TLS, offering `alpn`: what tonic makes of
/// the same settings for its own HTTP/2 connections.
fn rustls_config(config: &ClientTls, alpn: &[&[u8]]) -> anyhow::Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder =
        ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions()?;
    let builder = if config.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(tls::NoVerifier::new()))
    } else {
        let mut roots = RootCertStore::empty();
        for cert in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(cert);
        }
        if let Some(ca) = &config.ca_cert {
            for cert in CertificateDer::pem_slice_iter(ca) {
                roots.add(cert?)?;
            }
        }
        if roots.is_empty() {
            return Err(UsageError(
                "this machine has no CA certificates to trust; give the server's CA with \
                 --ca-cert"
                    .into(),
            )
            .into());
        }
        builder.with_root_certificates(roots)
    };
    let mut tls = match &config.identity {
        Some((cert, key)) => {
            let certs = CertificateDer::pem_slice_iter(cert).collect::<Result<Vec<_>, _>>()?;
            builder.with_client_auth_cert(certs, PrivateKeyDer::from_pem_slice(key)?)?
        }
        None => builder.with_no_client_auth(),
    };
    tls.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(tls)
}
