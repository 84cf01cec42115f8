//! TLS and mutual TLS for the server: PEM files in, tonic's [`ServerTlsConfig`] out.
//!
//! Everything here runs at start-up, so that a wrong path, a swapped certificate and key or
//! a half-given set of flags stops the server with a message naming the file, instead of
//! failing every handshake later.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use crate::error_chain::error_chain;
use rustls_pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};

/// A client that opens a connection and never finishes the handshake is dropped after
/// this long, so idle sockets cannot pile up before any request limit applies.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's TLS files, all PEM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert: PathBuf,
    /// Private key of the leaf certificate (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// CA certificate(s) that client certificates must chain to. When set, every client
    /// must present such a certificate (mutual TLS); connections without one are refused.
    pub client_ca: Option<PathBuf>,
}

/// Why the TLS settings cannot be used. Paths are configuration, so they are named.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    /// A certificate was given without its key.
    #[error("a TLS certificate needs its private key (--tls-key)")]
    CertWithoutKey,
    /// A key was given without its certificate.
    #[error("a TLS private key needs its certificate (--tls-cert)")]
    KeyWithoutCert,
    /// Client certificates were asked for on a server without TLS.
    #[error(
        "mutual TLS (--tls-client-ca) needs a server certificate and key (--tls-cert, --tls-key)"
    )]
    ClientCaWithoutTls,
    /// A file could not be read.
    #[error("cannot read TLS {what} {}: {source}", path.display())]
    Read {
        /// Which file: "certificate", "private key" or "client CA".
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file was read but does not hold what it should.
    #[error("TLS {what} {} holds no usable {expected}", path.display())]
    Content {
        /// Which file: "certificate", "private key" or "client CA".
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// What was looked for in it.
        expected: &'static str,
    },
    /// Each file is well formed but rustls refuses them together (for example, a key that
    /// does not belong to the certificate).
    #[error("TLS settings refused: {0}")]
    Rejected(String),
}

impl TlsFiles {
    /// The TLS settings from the three optional flags: `None` when none is given (plaintext),
    /// an error when they are given half.
    pub fn from_options(
        cert: Option<PathBuf>,
        key: Option<PathBuf>,
        client_ca: Option<PathBuf>,
    ) -> Result<Option<Self>, TlsConfigError> {
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(Some(Self {
                cert,
                key,
                client_ca,
            })),
            (Some(_), None) => Err(TlsConfigError::CertWithoutKey),
            (None, Some(_)) => Err(TlsConfigError::KeyWithoutCert),
            (None, None) if client_ca.is_some() => Err(TlsConfigError::ClientCaWithoutTls),
            (None, None) => Ok(None),
        }
    }

    /// Whether clients must present a certificate.
    pub fn is_mutual(&self) -> bool {
        self.client_ca.is_some()
    }

    /// Reads and checks the files and builds the server's TLS settings.
    pub fn load(&self) -> Result<ServerTlsConfig, TlsConfigError> {
        let cert = read("certificate", &self.cert)?;
        if !has_certificate(&cert) {
            return Err(content("certificate", &self.cert, "PEM certificate"));
        }
        let key = read("private key", &self.key)?;
        if PrivateKeyDer::from_pem_slice(&key).is_err() {
            return Err(content("private key", &self.key, "PEM private key"));
        }
        let mut config = ServerTlsConfig::new()
            .identity(Identity::from_pem(cert, key))
            .timeout(HANDSHAKE_TIMEOUT);
        if let Some(path) = &self.client_ca {
            let ca = read("client CA", path)?;
            if !has_certificate(&ca) {
                return Err(content("client CA", path, "PEM CA certificate"));
            }
            // Required, not optional: tonic's client_auth_optional stays false.
            config = config.client_ca_root(Certificate::from_pem(ca));
        }
        // tonic parses the PEM and builds rustls' settings only in `tls_config`: do it now,
        // so that a key that does not match its certificate is a start-up error too.
        Server::builder()
            .tls_config(config.clone())
            .map_err(|error| {
                TlsConfigError::Rejected(match std::error::Error::source(&error) {
                    Some(reason) => error_chain(reason),
                    None => error.to_string(),
                })
            })?;
        Ok(config)
    }
}

fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, TlsConfigError> {
    std::fs::read(path).map_err(|source| TlsConfigError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn content(what: &'static str, path: &Path, expected: &'static str) -> TlsConfigError {
    TlsConfigError::Content {
        what,
        path: path.to_path_buf(),
        expected,
    }
}

/// At least one certificate, and every certificate section well formed.
fn has_certificate(pem: &[u8]) -> bool {
    let mut found = false;
    for cert in CertificateDer::pem_slice_iter(pem) {
        if cert.is_err() {
            return false;
        }
        found = true;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(name: &str) -> Option<PathBuf> {
        Some(PathBuf::from(name))
    }

    #[test]
    fn flags_must_come_in_pairs() {
        assert!(matches!(
            TlsFiles::from_options(path("c.pem"), None, None),
            Err(TlsConfigError::CertWithoutKey)
        ));
        assert!(matches!(
            TlsFiles::from_options(None, path("k.pem"), None),
            Err(TlsConfigError::KeyWithoutCert)
        ));
        assert!(matches!(
            TlsFiles::from_options(path("c.pem"), None, path("ca.pem")),
            Err(TlsConfigError::CertWithoutKey)
        ));
        assert!(matches!(
            TlsFiles::from_options(None, None, path("ca.pem")),
            Err(TlsConfigError::ClientCaWithoutTls)
        ));
        assert_eq!(TlsFiles::from_options(None, None, None).unwrap(), None);
        let files = TlsFiles::from_options(path("c.pem"), path("k.pem"), path("ca.pem"))
            .unwrap()
            .unwrap();
        assert!(files.is_mutual());
        assert_eq!(files.key, PathBuf::from("k.pem"));
    }

    #[test]
    fn unreadable_file_is_named() {
        let files = TlsFiles {
            cert: PathBuf::from("/nonexistent/idcard-tls/server.pem"),
            key: PathBuf::from("/nonexistent/idcard-tls/server-key.pem"),
            client_ca: None,
        };
        let error = files.load().unwrap_err();
        assert!(matches!(
            error,
            TlsConfigError::Read {
                what: "certificate",
                ..
            }
        ));
        let message = error.to_string();
        assert!(
            message.contains("certificate /nonexistent/idcard-tls/server.pem"),
            "{message}"
        );
    }

    #[test]
    fn a_file_without_pem_is_named() {
        let dir = std::env::temp_dir().join(format!("idcard-tls-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let not_pem = dir.join("not-a-cert.pem");
        std::fs::write(&not_pem, "just text\n").unwrap();
        let files = TlsFiles {
            cert: not_pem.clone(),
            key: not_pem.clone(),
            client_ca: None,
        };
        let message = files.load().unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(message.contains("not-a-cert.pem"), "{message}");
        assert!(message.contains("no usable PEM certificate"), "{message}");
    }
}
