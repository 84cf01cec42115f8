//! TLS and mutual TLS through the real server, with certificates made at test time: the
//! right certificates get through, the wrong ones (or none) are refused, and the server
//! keeps serving after a refused handshake.

mod common;

use std::{path::PathBuf, time::Duration};

use common::*;
use idcard_ocr::grpc::{
    tls::{TlsConfigError, TlsFiles},
    ServerConfig,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::{
    health_check_response::ServingStatus, health_client::HealthClient, HealthCheckRequest,
};

/// A certificate and its key, PEM.
struct Pem {
    cert: String,
    key: String,
}

impl Pem {
    fn identity(&self) -> Identity {
        Identity::from_pem(&self.cert, &self.key)
    }
}

/// A CA that can sign leaves.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Self { issuer }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    fn certificate(&self) -> Certificate {
        Certificate::from_pem(self.pem())
    }

    fn sign(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> Pem {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "idcard test");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Pem {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }

    fn server(&self) -> Pem {
        self.sign(
            &["localhost", "127.0.0.1"],
            ExtendedKeyUsagePurpose::ServerAuth,
        )
    }

    fn client(&self) -> Pem {
        self.sign(&["client.test"], ExtendedKeyUsagePurpose::ClientAuth)
    }
}

/// Writes `files` as PEM into a directory of this test's own and returns its path.
fn write_dir(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("tls-{test}"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// Server settings loaded the way the binary loads them: from PEM files, through
/// [`TlsFiles`].
fn tls_config(test: &str, server: &Pem, client_ca: Option<&Ca>) -> ServerConfig {
    let mut files = vec![
        ("server.pem", server.cert.as_str()),
        ("server-key.pem", server.key.as_str()),
    ];
    let client_ca_pem = client_ca.map(Ca::pem);
    if let Some(pem) = &client_ca_pem {
        files.push(("client-ca.pem", pem));
    }
    let dir = write_dir(test, &files);
    let tls = TlsFiles {
        cert: dir.join("server.pem"),
        key: dir.join("server-key.pem"),
        client_ca: client_ca_pem.map(|_| dir.join("client-ca.pem")),
    };
    ServerConfig {
        tls: Some(tls.load().expect("test certificates load")),
        ..test_config()
    }
}

/// A health check on `channel`, bounded in time, so that a refused handshake is an
/// error and never a hang.
async fn health(
    channel: Result<Channel, tonic::transport::Error>,
) -> Result<ServingStatus, String> {
    let attempt = async {
        let channel = channel.map_err(|e| format!("connect: {e:?}"))?;
        let answer = HealthClient::new(channel)
            .check(HealthCheckRequest {
                service: "idcard.v1.IdCardService".to_string(),
            })
            .await
            .map_err(|status| format!("call: {status:?}"))?;
        Ok(answer.into_inner().status())
    };
    tokio::time::timeout(Duration::from_secs(15), attempt)
        .await
        .map_err(|_| "timed out".to_string())?
}

async fn tls_health(server: &TestServer, tls: ClientTlsConfig) -> Result<ServingStatus, String> {
    let channel = tokio::time::timeout(Duration::from_secs(15), server.tls_channel(tls))
        .await
        .expect("connect is bounded by its own timeout");
    health(channel).await
}

/// The attempt failed, and for the reason given (rustls' name for it), so that a test does
/// not pass on some unrelated failure.
#[track_caller]
fn assert_refused(result: Result<ServingStatus, String>, why: &str) {
    match result {
        Ok(status) => panic!("expected a refusal ({why}), got {status:?}"),
        Err(error) => assert!(error.contains(why), "expected {why}, got {error}"),
    }
}

fn trusting(ca: &Ca) -> ClientTlsConfig {
    ClientTlsConfig::new().ca_certificate(ca.certificate())
}

#[tokio::test]
async fn tls_client_trusting_the_server_ca_gets_through() {
    let ca = Ca::new("server CA");
    let server = TestServer::start(tls_config("tls-ok", &ca.server(), None)).await;
    // By the address in the URL (an IP name in the certificate), and by host name.
    assert_eq!(
        tls_health(&server, trusting(&ca)).await,
        Ok(ServingStatus::Serving)
    );
    assert_eq!(
        tls_health(&server, trusting(&ca).domain_name("localhost")).await,
        Ok(ServingStatus::Serving)
    );
    // The card service itself answers over TLS: an empty upload is INVALID_ARGUMENT.
    let channel = server.tls_channel(trusting(&ca)).await.unwrap();
    let status = idcard_ocr::pb::id_card_service_client::IdCardServiceClient::new(channel)
        .recognize_id_card(tokio_stream::iter(vec![]))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert_eq!(decode(&status).reason, "INVALID_ARGUMENT");
}

#[tokio::test]
async fn tls_client_trusting_another_ca_or_name_is_refused() {
    let ca = Ca::new("server CA");
    let other = Ca::new("unrelated CA");
    let server = TestServer::start(tls_config("tls-wrong-ca", &ca.server(), None)).await;
    assert_refused(tls_health(&server, trusting(&other)).await, "UnknownIssuer");
    assert_refused(
        tls_health(&server, trusting(&ca).domain_name("elsewhere.test")).await,
        "NotValidForName",
    );
    // The refused handshakes did not take the server down.
    assert_eq!(
        tls_health(&server, trusting(&ca)).await,
        Ok(ServingStatus::Serving)
    );
}

#[tokio::test]
async fn plaintext_client_is_refused_by_a_tls_server() {
    let ca = Ca::new("server CA");
    let server = TestServer::start(tls_config("tls-plaintext", &ca.server(), None)).await;
    let channel = Channel::from_shared(server.url())
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .connect()
        .await;
    // The server reads the HTTP/2 preface as a broken TLS record and hangs up.
    assert_refused(health(channel).await, "");
    assert_eq!(
        tls_health(&server, trusting(&ca)).await,
        Ok(ServingStatus::Serving)
    );
}

#[tokio::test]
async fn plaintext_server_still_serves_plaintext() {
    // The control for the test above: without TLS settings nothing changed.
    let server = TestServer::start(test_config()).await;
    assert_eq!(
        health(Ok(server.channel().await)).await,
        Ok(ServingStatus::Serving)
    );
}

#[tokio::test]
async fn mtls_client_with_a_certificate_from_the_client_ca_gets_through() {
    let ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let server = TestServer::start(tls_config("mtls-ok", &ca.server(), Some(&client_ca))).await;
    let tls = trusting(&ca).identity(client_ca.client().identity());
    assert_eq!(tls_health(&server, tls).await, Ok(ServingStatus::Serving));
}

#[tokio::test]
async fn mtls_client_without_a_certificate_is_refused() {
    let ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let server = TestServer::start(tls_config("mtls-none", &ca.server(), Some(&client_ca))).await;
    assert_refused(
        tls_health(&server, trusting(&ca)).await,
        "CertificateRequired",
    );
    let tls = trusting(&ca).identity(client_ca.client().identity());
    assert_eq!(tls_health(&server, tls).await, Ok(ServingStatus::Serving));
}

#[tokio::test]
async fn mtls_client_with_a_certificate_from_another_ca_is_refused() {
    let ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let rogue = Ca::new("unrelated CA");
    let server = TestServer::start(tls_config("mtls-rogue", &ca.server(), Some(&client_ca))).await;
    let tls = trusting(&ca).identity(rogue.client().identity());
    assert_refused(tls_health(&server, tls).await, "UnknownCA");
    // A certificate from the server's CA is not a client certificate here either.
    let tls = trusting(&ca).identity(ca.client().identity());
    assert_refused(tls_health(&server, tls).await, "UnknownCA");
    let tls = trusting(&ca).identity(client_ca.client().identity());
    assert_eq!(tls_health(&server, tls).await, Ok(ServingStatus::Serving));
}

#[test]
fn files_that_do_not_fit_are_start_up_errors() {
    let ca = Ca::new("server CA");
    let one = ca.server();
    let two = ca.server();
    let dir = write_dir(
        "config-errors",
        &[
            ("one.pem", &one.cert),
            ("one-key.pem", &one.key),
            ("two-key.pem", &two.key),
            ("ca.pem", &ca.pem()),
        ],
    );
    let files = |cert: &str, key: &str, client_ca: Option<&str>| TlsFiles {
        cert: dir.join(cert),
        key: dir.join(key),
        client_ca: client_ca.map(|name| dir.join(name)),
    };
    assert!(files("one.pem", "one-key.pem", Some("ca.pem"))
        .load()
        .is_ok());
    // Another certificate's key.
    let error = files("one.pem", "two-key.pem", None).load().unwrap_err();
    assert!(matches!(error, TlsConfigError::Rejected(_)), "{error}");
    // Certificate and key swapped: the file that holds no certificate is named.
    let error = files("one-key.pem", "one.pem", None).load().unwrap_err();
    assert!(
        matches!(
            error,
            TlsConfigError::Content {
                what: "certificate",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("one-key.pem"), "{error}");
    // A client CA file that is a key.
    let error = files("one.pem", "one-key.pem", Some("two-key.pem"))
        .load()
        .unwrap_err();
    assert!(
        matches!(
            error,
            TlsConfigError::Content {
                what: "client CA",
                ..
            }
        ),
        "{error}"
    );
    // A missing key file is named.
    let error = files("one.pem", "missing-key.pem", None)
        .load()
        .unwrap_err();
    assert!(
        matches!(
            error,
            TlsConfigError::Read {
                what: "private key",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("missing-key.pem"), "{error}");
    // Half the flags.
    let error = TlsFiles::from_options(Some(dir.join("one.pem")), None, None).unwrap_err();
    assert!(matches!(error, TlsConfigError::CertWithoutKey), "{error}");
}

/// The CLI's `recognize --server https://...` with its TLS flags, against a server that
/// requires client certificates.
#[tokio::test]
async fn cli_calls_through_mutual_tls() {
    let ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let client = client_ca.client();
    let server = TestServer::start(tls_config("mtls-cli", &ca.server(), Some(&client_ca))).await;
    let dir = write_dir(
        "cli",
        &[
            ("ca.pem", &ca.pem()),
            ("client.pem", &client.cert),
            ("client-key.pem", &client.key),
            ("not-an-image.jpg", "just some text, not an image"),
        ],
    );
    let url = format!("https://localhost:{}", server.addr.port());
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_idcard"))
                .arg("recognize")
                .args(args)
                .output()
                .unwrap()
        })
    };
    let path = |name: &str| dir.join(name).display().to_string();
    let with_cert = vec![
        path("not-an-image.jpg"),
        "--server".to_string(),
        url.clone(),
        "--tls-ca".to_string(),
        path("ca.pem"),
        "--tls-domain".to_string(),
        "localhost".to_string(),
        "--tls-cert".to_string(),
        path("client.pem"),
        "--tls-key".to_string(),
        path("client-key.pem"),
    ];
    let output = run(with_cert).await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answer: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON answer");
    // The server read the upload and refused it: the call went through mutual TLS.
    assert_eq!(answer["status"], "INVALID_ARGUMENT", "{stdout}");
    assert_eq!(answer["request_id"].as_str().unwrap().len(), 36, "{stdout}");

    let without_cert = vec![
        path("not-an-image.jpg"),
        "--server".to_string(),
        url.clone(),
        "--tls-ca".to_string(),
        path("ca.pem"),
    ];
    let output = run(without_cert).await.unwrap();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("INVALID_ARGUMENT"), "{stdout}");

    // TLS flags on a plaintext URL are refused, not ignored.
    let plaintext = vec![
        path("not-an-image.jpg"),
        "--server".to_string(),
        format!("http://127.0.0.1:{}", server.addr.port()),
        "--tls-ca".to_string(),
        path("ca.pem"),
    ];
    let output = run(plaintext).await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("need an https:// server URL"), "{stderr}");
}
