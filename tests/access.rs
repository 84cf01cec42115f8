//! API keys, expiry, permissions, rate limits and quotas through the real server, each
//! refusal decoded on the client side with its details.

mod common;

use std::{sync::Arc, time::Duration};

use common::{keys::*, *};
use idcard_ocr::{
    access::{KeysFile, Side},
    pb::id_card_service_client::IdCardServiceClient,
};
use tonic::Code;
use tonic_types::StatusExt;

/// A server with access control over a keys file in a temp dir.
struct Fixture {
    dir: TempDir,
    file: KeysFile,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let dir = TempDir::new(name);
        let file = KeysFile::new(dir.0.join("keys.toml"));
        Self { dir, file }
    }

    async fn start(&self) -> TestServer {
        let mut config = test_config();
        config.access = Some(embedded_access(&self.file, &self.dir.0));
        TestServer::start(config).await
    }
}

async fn cheap_call(server: &TestServer, id: &str, secret: &str) -> tonic::Status {
    let mut client = server.client().await;
    client
        .recognize_id_card(signed(cheap_body(), id, secret))
        .await
        .expect_err("a GIF is never read")
}

fn assert_refused(status: &tonic::Status, code: Code, reason: &str) {
    assert_eq!(status.code(), code, "{status:?}");
    let decoded = decode(status);
    assert_eq!(decoded.reason, reason, "{status:?}");
    assert_eq!(decoded.domain, "idcard.v1");
    assert!(!decoded.request_id.is_empty());
}

/// Passed every gate: the image rules refused it.
fn assert_admitted(status: &tonic::Status) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
}

#[tokio::test]
async fn credentials_are_required_and_checked() {
    let fixture = Fixture::new("auth");
    let secret = add_key(&fixture.file, key("team"));
    let server = fixture.start().await;

    assert_admitted(&cheap_call(&server, "team", &secret).await);
    let mut client = server.client().await;
    let missing = client
        .recognize_id_card(cheap_body())
        .await
        .expect_err("no key");
    assert_refused(&missing, Code::Unauthenticated, "UNAUTHORIZED");
    assert!(missing.message().contains("x-df-api-id"));
    let wrong = cheap_call(&server, "team", "not-the-secret").await;
    assert_refused(&wrong, Code::Unauthenticated, "UNAUTHORIZED");
    let unknown = cheap_call(&server, "nobody", &secret).await;
    assert_refused(&unknown, Code::Unauthenticated, "UNAUTHORIZED");
    // Unknown id and wrong secret read the same: ids cannot be probed.
    assert_eq!(wrong.message(), unknown.message());
    assert!(!wrong.message().contains(&secret));

    let bearer = |value: String| {
        let mut request = tonic::Request::new(cheap_body());
        request
            .metadata_mut()
            .insert("authorization", value.parse().unwrap());
        request
    };
    let status = client
        .recognize_id_card(bearer(format!("Bearer team:{secret}")))
        .await
        .unwrap_err();
    assert_admitted(&status);
    let status = client
        .recognize_id_card(bearer(format!("Basic team:{secret}")))
        .await
        .unwrap_err();
    assert_refused(&status, Code::Unauthenticated, "UNAUTHORIZED");
    assert!(status.message().contains("malformed"), "{status:?}");
}

#[tokio::test]
async fn health_and_reflection_stay_open() {
    let fixture = Fixture::new("open");
    add_key(&fixture.file, key("team"));
    let server = fixture.start().await;
    let mut health = tonic_health::pb::health_client::HealthClient::new(server.channel().await);
    let answer = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health needs no key");
    assert_eq!(answer.get_ref().status, 1);
    use tonic_reflection::pb::v1::{
        server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, ServerReflectionRequest,
    };
    let mut reflection = ServerReflectionClient::new(server.channel().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = reflection
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection needs no key")
        .into_inner();
    assert!(answers.message().await.unwrap().is_some());
}

#[tokio::test]
async fn expired_keys_and_forbidden_methods_are_refused() {
    let fixture = Fixture::new("expiry");
    let mut old = key("old");
    old.expires = Some(chrono::Utc::now() - chrono::Duration::seconds(1));
    let old_secret = add_key(&fixture.file, old);
    let mut soon = key("soon");
    soon.expires = Some(chrono::Utc::now() + chrono::Duration::days(1));
    let soon_secret = add_key(&fixture.file, soon);
    // `methods = []`: a key that may call nothing (the file allows it; the CLI has no flag).
    let none_secret = add_key(&fixture.file, key("none"));
    let text = std::fs::read_to_string(fixture.file.path()).unwrap();
    let text = text.replace("id = \"none\"\n", "id = \"none\"\nmethods = []\n");
    std::fs::write(fixture.file.path(), text).unwrap();
    let server = fixture.start().await;

    let status = cheap_call(&server, "old", &old_secret).await;
    assert_refused(&status, Code::Unauthenticated, "KEY_EXPIRED");
    assert!(status.message().contains("expired at"), "{status:?}");
    assert_admitted(&cheap_call(&server, "soon", &soon_secret).await);
    let status = cheap_call(&server, "none", &none_secret).await;
    assert_refused(&status, Code::PermissionDenied, "NO_PERMISSION");
    assert!(status.message().contains("RecognizeIdCard"), "{status:?}");
}

#[tokio::test]
async fn a_key_reads_only_its_sides() {
    let fixture = Fixture::new("sides");
    let back_only = add_key(&fixture.file, with_sides(key("back"), &[Side::Back]));
    let front_only = add_key(&fixture.file, with_sides(key("front"), &[Side::Front]));
    let server = fixture.start().await;
    let card = std::fs::read(fixture_path("scan-0001.jpg")).unwrap();
    let body = || tokio_stream::iter(vec![config("scan-0001.jpg"), chunk(&card)]);
    let mut client = server.client().await;
    let status = client
        .recognize_id_card(signed(body(), "back", &back_only))
        .await
        .expect_err("a front card with a back-only key");
    assert_refused(&status, Code::PermissionDenied, "NO_PERMISSION");
    assert!(status.message().contains("front side"), "{status:?}");
    let answer = client
        .recognize_id_card(signed(body(), "front", &front_only))
        .await
        .expect("a front card with a front key");
    assert_eq!(answer.get_ref().results.len(), 1);
}

#[tokio::test]
async fn the_rate_limit_says_when_to_retry() {
    let fixture = Fixture::new("rate");
    let secret = add_key(&fixture.file, with_rate(key("slow"), 0.5, 2));
    let server = fixture.start().await;
    assert_admitted(&cheap_call(&server, "slow", &secret).await);
    assert_admitted(&cheap_call(&server, "slow", &secret).await);
    let status = cheap_call(&server, "slow", &secret).await;
    assert_refused(&status, Code::ResourceExhausted, "RATE_LIMIT_EXCEEDED");
    let retry = status
        .get_error_details()
        .retry_info()
        .expect("RetryInfo")
        .retry_delay
        .expect("a delay");
    // One token every 2 s, and the bucket was just emptied.
    assert!(
        retry > Duration::from_millis(1500) && retry <= Duration::from_secs(2),
        "{retry:?}"
    );
}

#[tokio::test]
async fn a_burst_from_many_clients_gets_no_more_than_the_rate() {
    let fixture = Fixture::new("burst");
    let (per_second, burst) = (5.0, 5u32);
    let secret = add_key(&fixture.file, with_rate(key("busy"), per_second, burst));
    let server = Arc::new(fixture.start().await);
    let started = std::time::Instant::now();
    let run_for = Duration::from_millis(1500);
    let mut clients = Vec::new();
    for _ in 0..12 {
        let server = Arc::clone(&server);
        let secret = secret.clone();
        clients.push(tokio::spawn(async move {
            let mut client: IdCardServiceClient<_> = server.client().await;
            let (mut admitted, mut limited) = (0u32, 0u32);
            while started.elapsed() < run_for {
                let status = client
                    .recognize_id_card(signed(cheap_body(), "busy", &secret))
                    .await
                    .unwrap_err();
                match decode(&status).reason.as_str() {
                    "INVALID_ARGUMENT" => admitted += 1,
                    "RATE_LIMIT_EXCEEDED" => limited += 1,
                    other => panic!("unexpected {other}: {status:?}"),
                }
            }
            (admitted, limited)
        }));
    }
    let (mut admitted, mut limited) = (0, 0);
    for client in clients {
        let (a, l) = client.await.unwrap();
        admitted += a;
        limited += l;
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("{admitted} admitted, {limited} limited in {elapsed:.2} s");
    let ceiling = f64::from(burst) + per_second * elapsed + 1.0;
    assert!(
        f64::from(admitted) <= ceiling,
        "{admitted} admitted in {elapsed:.2} s; the bucket allows {ceiling:.1}"
    );
    // The limit is a rate, not a wall: the burst and the refills got through.
    assert!(
        f64::from(admitted) >= f64::from(burst) + per_second * run_for.as_secs_f64() * 0.5,
        "only {admitted} admitted in {elapsed:.2} s"
    );
    assert!(limited > 0, "the clients never hit the limit");
}

#[tokio::test]
async fn an_exhausted_quota_stays_exhausted_across_a_restart() {
    let fixture = Fixture::new("quota");
    let secret = add_key(&fixture.file, with_quota(key("metered"), 3));
    let server = fixture.start().await;
    for _ in 0..3 {
        assert_admitted(&cheap_call(&server, "metered", &secret).await);
    }
    let status = cheap_call(&server, "metered", &secret).await;
    assert_refused(&status, Code::ResourceExhausted, "OUT_OF_QUOTA");
    let details = status.get_error_details();
    let violation = &details.quota_failure().expect("QuotaFailure").violations[0];
    assert_eq!(violation.subject, "key:metered");
    assert!(
        violation.description.starts_with("3 calls per day"),
        "{violation:?}"
    );
    server.stop().await;

    // A new server over the same state directory: the count was on disk.
    let restarted = fixture.start().await;
    let status = cheap_call(&restarted, "metered", &secret).await;
    assert_refused(&status, Code::ResourceExhausted, "OUT_OF_QUOTA");
}

#[tokio::test]
async fn the_keys_file_is_reloaded_while_serving() {
    let fixture = Fixture::new("reload");
    let first = add_key(&fixture.file, key("first"));
    let server = fixture.start().await;
    let later = add_key(&fixture.file, key("later"));
    let admitted_within = |id: &'static str, secret: String| {
        let server = &server;
        async move {
            for _ in 0..50 {
                if cheap_call(server, id, &secret).await.code() == Code::InvalidArgument {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            false
        }
    };
    assert!(
        admitted_within("later", later.clone()).await,
        "new key never admitted"
    );
    fixture.file.remove("first").unwrap();
    let mut refused = false;
    for _ in 0..50 {
        if cheap_call(&server, "first", &first).await.code() == Code::Unauthenticated {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "a removed key was still admitted");
    // A broken file is not loaded: the keys in use stay.
    std::fs::write(fixture.file.path(), "[[key]]\nid = \"broken\"\n").unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_admitted(&cheap_call(&server, "later", &later).await);
}

#[test]
fn keys_add_prints_the_secret_alone_on_the_last_line() {
    let dir = TempDir::new("cli");
    let file = dir.0.join("nested-keys.toml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_idcard"))
            .args(args)
            .output()
            .unwrap()
    };
    let path = file.to_str().unwrap();
    let added = run(&[
        "keys",
        "add",
        "--keys-file",
        path,
        "--id",
        "ops",
        "--expires",
        "2030-01-01T00:00:00Z",
        "--quota",
        "100",
        "--quota-period",
        "month",
        "--rate",
        "2",
        "--burst",
        "4",
    ]);
    assert!(added.status.success(), "{added:?}");
    let stdout = String::from_utf8(added.stdout).unwrap();
    let secret = stdout.lines().last().unwrap().to_string();
    assert_eq!(secret.len(), 43, "{stdout}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(&secret), "the secret itself is never stored");
    let keys = KeysFile::new(&file).load().unwrap();
    assert!(idcard_ocr::access::secret::verify(
        &secret,
        &keys[0].secret_hash
    ));
    assert_eq!(keys[0].quota.unwrap().calls, 100);

    let again = run(&["keys", "add", "--keys-file", path, "--id", "ops"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let listed = run(&["keys", "list", "--keys-file", path]);
    let listing = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listing.contains("ops") && listing.contains("100/month") && listing.contains("2/s burst 4"),
        "{listing}"
    );
    assert!(!listing.contains("argon2"));
    assert!(run(&["keys", "remove", "--keys-file", path, "--id", "ops"])
        .status
        .success());
    assert!(KeysFile::new(&file).load().unwrap().is_empty());
    assert!(
        !run(&["keys", "remove", "--keys-file", path, "--id", "ops"])
            .status
            .success()
    );
}
