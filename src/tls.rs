//! TLS pieces shared by the client and `serve`: checking PEM files, the `--insecure` verifier,
//! and TLS failures in words.

use std::{error::Error as StdError, io, sync::Arc};

use rustls::{
    CertificateError, DigitallySignedStruct, SignatureScheme,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::CryptoProvider,
    pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime, pem::PemObject},
};

use crate::exit::UsageError;

/// Checks that `pem` holds at least one certificate.
pub fn check_certificates(flag: &str, pem: &[u8]) -> Result<(), UsageError> {
    let mut certs = CertificateDer::pem_slice_iter(pem);
    match certs.next() {
        Some(Ok(_)) if certs.all(|c| c.is_ok()) => Ok(()),
        Some(_) => Err(UsageError(format!(
            "bad {flag}: a PEM certificate does not parse"
        ))),
        None => Err(UsageError(format!(
            "bad {flag}: no PEM certificate (BEGIN CERTIFICATE) in it"
        ))),
    }
}

/// Checks that `pem` holds a private key (PKCS#8, RSA or SEC1).
pub fn check_private_key(flag: &str, pem: &[u8]) -> Result<(), UsageError> {
    PrivateKeyDer::from_pem_slice(pem).map(drop).map_err(|_| {
        UsageError(format!(
            "bad {flag}: no PEM private key (PKCS#8, RSA or SEC1) in it"
        ))
    })
}

/// Whether this machine has CA certificates of its own to trust.
pub fn system_roots_exist() -> bool {
    !rustls_native_certs::load_native_certs().certs.is_empty()
}

/// The first TLS error in an error's chain, looking inside `io::Error`s (which hide the error
/// they wrap from `source()`).
pub fn find_tls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(err);
    while let Some(cause) = next {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = cause
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            && let Some(tls) = find_tls_error(inner)
        {
            return Some(tls);
        }
        next = cause.source();
    }
    None
}

/// A TLS failure as a person can act on it.
pub fn describe(err: &rustls::Error) -> String {
    use rustls::{AlertDescription as Alert, Error};
    match err {
        Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => "the server's certificate is signed by an unknown \
                authority (unknown issuer); trust its CA with --ca-cert FILE"
                .into(),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "the server's certificate is not valid for this name (name mismatch); \
                 --authority NAME checks another name"
                    .into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "the server's certificate has expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet".into()
            }
            CertificateError::Revoked => "the server's certificate is revoked".into(),
            other => format!("the server's certificate is invalid: {other:?}"),
        },
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } => {
            "the server did not answer in TLS; if it serves plaintext, use http://".into()
        }
        Error::AlertReceived(Alert::CertificateRequired | Alert::HandshakeFailure) => {
            "the server requires a client certificate; give one with --cert FILE --key FILE".into()
        }
        Error::AlertReceived(
            Alert::UnknownCA
            | Alert::BadCertificate
            | Alert::DecryptError
            | Alert::CertificateUnknown,
        ) => "the server rejected the client certificate (not signed by a CA it trusts)".into(),
        Error::NoApplicationProtocol => "the server does not offer HTTP/2 (h2) over TLS".into(),
        other => format!("TLS failed: {other}"),
    }
}

/// A server's refusal of the client certificate, recognised by the alert's name in an error's
/// text (where HTTP/2 errors keep the TLS error they carry).
pub fn client_certificate_refusal(text: &str) -> Option<&'static str> {
    if text.contains("CertificateRequired") || text.contains("HandshakeFailure") {
        Some("the server requires a client certificate; give one with --cert FILE --key FILE")
    } else if [
        "UnknownCA",
        "BadCertificate",
        "DecryptError",
        "CertificateUnknown",
    ]
    .iter()
    .any(|alert| text.contains(alert))
    {
        Some("the server rejected the client certificate (not signed by a CA it trusts)")
    } else {
        None
    }
}

/// `--insecure`: accepts any server certificate, but still checks the handshake's signatures
/// so the connection is at least encrypted to whoever holds the certificate's key.
#[derive(Debug)]
pub struct NoVerifier(Arc<CryptoProvider>);

impl NoVerifier {
    pub fn new() -> NoVerifier {
        NoVerifier(Arc::new(rustls::crypto::ring::default_provider()))
    }
}

impl Default for NoVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerCertVerifier for NoVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.0.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_checks() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        assert!(check_certificates("--ca-cert", cert.pem().as_bytes()).is_ok());
        assert!(check_private_key("--key", key.serialize_pem().as_bytes()).is_ok());
        let err = check_certificates("--ca-cert", key.serialize_pem().as_bytes()).unwrap_err();
        assert!(
            err.0.contains("bad --ca-cert: no PEM certificate"),
            "{}",
            err.0
        );
        let err = check_private_key("--key", cert.pem().as_bytes()).unwrap_err();
        assert!(err.0.contains("bad --key: no PEM private key"), "{}", err.0);
    }

    #[test]
    fn recognises_client_certificate_refusals_in_text() {
        let required = "connection error: received fatal alert: CertificateRequired";
        assert!(
            client_certificate_refusal(required)
                .unwrap()
                .contains("--cert")
        );
        let unknown = "received fatal alert: UnknownCA";
        assert!(
            client_certificate_refusal(unknown)
                .unwrap()
                .contains("rejected")
        );
        assert_eq!(client_certificate_refusal("connection reset"), None);
    }

    #[test]
    fn finds_tls_errors_inside_io_errors() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = io::Error::new(io::ErrorKind::InvalidData, tls);
        let found = find_tls_error(&io).expect("found");
        assert!(describe(found).contains("unknown issuer"));
    }
}
