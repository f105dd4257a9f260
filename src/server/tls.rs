//! TLS for `serve`: a certificate and key from files, or a CA and certificate made (once) in a
//! folder by `--tls-self-signed`.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::Context as _;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::{
    RootCertStore, ServerConfig,
    pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
    server::WebPkiClientVerifier,
};
use tracing::info;

use crate::settings::{ServerTls, bound, read_path};

/// A TLS handshake that takes longer than this is dropped, so stalled clients cannot pile up.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The files `--tls-self-signed DIR` keeps in DIR.
pub const CA_FILE: &str = "ca.pem";
pub const CERT_FILE: &str = "server.pem";
pub const KEY_FILE: &str = "server-key.pem";

/// The server's TLS configuration, and where the CA that clients should trust lives when
/// `serve` made it. ALPN offers h2 and http/1.1: gRPC-Web and Connect clients may speak either
/// (tonic's own TLS offers h2 alone, which an HTTP/1.1-only client cannot pass).
pub fn config(tls: &ServerTls) -> anyhow::Result<(Arc<ServerConfig>, Option<PathBuf>)> {
    let (cert, key, client_ca, made_ca) = match tls {
        ServerTls::Files {
            cert,
            key,
            client_ca,
        } => (cert.clone(), key.clone(), client_ca, None),
        ServerTls::SelfSigned { dir, client_ca } => {
            let (cert, key) = self_signed(dir)?;
            (cert, key, client_ca, Some(dir.join(CA_FILE)))
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?;
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(CertificateDer::pem_slice_iter(ca).flatten());
            let verifier =
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build()?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let chain = CertificateDer::pem_slice_iter(&cert).collect::<Result<Vec<_>, _>>()?;
    let key = PrivateKeyDer::from_pem_slice(&key)?;
    let mut config = builder.with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok((Arc::new(config), made_ca))
}

/// Reads the certificate and key from `dir`, making a CA and a certificate for localhost and
/// 127.0.0.1 signed by it first if they are not there.
fn self_signed(dir: &Path) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let (ca_path, cert_path, key_path) =
        (dir.join(CA_FILE), dir.join(CERT_FILE), dir.join(KEY_FILE));
    if ca_path.exists() && cert_path.exists() && key_path.exists() {
        info!("using the certificate in {}", dir.display());
    } else {
        let made = make_certificates().context("making a self-signed certificate")?;
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::write(&ca_path, made.ca).with_context(|| format!("writing {}", ca_path.display()))?;
        fs::write(&cert_path, made.cert)
            .with_context(|| format!("writing {}", cert_path.display()))?;
        write_private(&key_path, made.key.as_bytes())?;
        info!(
            "made a CA and a certificate for localhost and 127.0.0.1 in {}",
            dir.display()
        );
    }
    let read = |path: &Path| {
        read_path(path, bound::PEM)
            .map_err(|why| anyhow::anyhow!("reading {}: {why}", path.display()))
    };
    Ok((read(&cert_path)?, read(&key_path)?))
}

struct MadeCertificates {
    ca: String,
    cert: String,
    key: String,
}

fn make_certificates() -> Result<MadeCertificates, rcgen::Error> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "apicli serve CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &ca)?;
    Ok(MadeCertificates {
        ca: ca.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    })
}

/// Writes a private key readable by its owner only.
fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(contents)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_certificates_are_made_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed(dir.path()).unwrap();
        crate::tls::check_certificates("cert", &cert).unwrap();
        crate::tls::check_private_key("key", &key).unwrap();
        crate::tls::check_certificates("ca", &fs::read(dir.path().join(CA_FILE)).unwrap()).unwrap();
        let again = self_signed(dir.path()).unwrap();
        assert_eq!(
            again,
            (cert, key),
            "reused, so clients that trust the CA keep working"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
