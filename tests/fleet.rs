//! Two real server processes sharing one real Redis (Debian's redis-server, started here):
//! one quota and one rate bucket for the fleet, and calls refused, not let through
//! uncounted, when Redis is gone.

mod common;

use std::{
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use common::{decode, keys::*};
use idcard_ocr::{access::KeysFile, pb::id_card_service_client::IdCardServiceClient};
use tonic::{transport::Channel, Code};

/// A child process killed on drop.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_redis(dir: &Path) -> (Process, String) {
    let port = free_port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server is installed (scripts/setup.sh --test)");
    let redis = Process(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (redis, format!("redis://127.0.0.1:{port}/"))
}

/// An `idcard-server` process with keys in `keys` and usage in `redis_url`.
async fn start_server(keys: &Path, redis_url: &str, log: &Path) -> (Process, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_idcard-server"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--engines", "1"])
        .arg("--keys-file")
        .arg(keys)
        .args(["--redis-url", redis_url])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let server = Process(child);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(channel) = Channel::from_shared(url.clone()).unwrap().connect().await {
            let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
            let asked = health
                .check(tonic_health::pb::HealthCheckRequest::default())
                .await;
            if asked.is_ok() {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "idcard-server did not start: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (server, url)
}

async fn call(url: &str, id: &str, secret: &str) -> tonic::Status {
    let channel = Channel::from_shared(url.to_string())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = IdCardServiceClient::new(channel);
    let call = client.recognize_id_card(signed(cheap_body(), id, secret));
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call answers")
        .expect_err("a GIF is never read")
}

fn reason(status: &tonic::Status) -> String {
    decode(status).reason
}

#[tokio::test]
async fn two_servers_share_one_quota_and_one_bucket() {
    let dir = TempDir::new("fleet");
    let (mut redis, redis_url) = start_redis(&dir.0);
    let file = KeysFile::new(dir.0.join("keys.toml"));
    let shared = add_key(&file, with_quota(key("shared"), 5));
    let paced = add_key(&file, with_rate(key("paced"), 0.2, 2));
    let (_a, url_a) = start_server(file.path(), &redis_url, &dir.0.join("a.log")).await;
    let (_b, url_b) = start_server(file.path(), &redis_url, &dir.0.join("b.log")).await;
    let servers = [url_a.as_str(), url_b.as_str()];

    // Five calls spread over both servers use the quota up for both.
    for i in 0..5 {
        let status = call(servers[i % 2], "shared", &shared).await;
        assert_eq!(reason(&status), "INVALID_ARGUMENT", "call {i}: {status:?}");
    }
    for url in servers {
        let status = call(url, "shared", &shared).await;
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert_eq!(reason(&status), "OUT_OF_QUOTA");
    }

    // A burst of 2 at 0.2/s: one call on each server empties the shared bucket.
    assert_eq!(
        reason(&call(&url_a, "paced", &paced).await),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        reason(&call(&url_b, "paced", &paced).await),
        "INVALID_ARGUMENT"
    );
    for url in servers {
        let status = call(url, "paced", &paced).await;
        assert_eq!(reason(&status), "RATE_LIMIT_EXCEEDED", "{status:?}");
    }

    // Without Redis nothing can be counted, so nothing is let through.
    let _ = redis.0.kill();
    let _ = redis.0.wait();
    let status = call(&url_a, "shared", &shared).await;
    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert_eq!(reason(&status), "INTERNAL_ERROR");
    assert!(!status.message().contains("redis://"), "{status:?}");
}
