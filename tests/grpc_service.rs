//! The service's happy paths through the real server: uploads, request ids, health,
//! reflection (v1 and v1alpha), metrics.

mod common;

use common::*;
use image::ImageFormat;
use tokio_stream::StreamExt;
use tonic::Code;

#[tokio::test]
async fn request_id_is_echoed_or_made() {
    let server = TestServer::start(test_config()).await;
    let mut client = server.client().await;
    let mut request = tonic::Request::new(tokio_stream::iter(vec![chunk(&plain_image(
        300,
        300,
        ImageFormat::Png,
    ))]));
    request
        .metadata_mut()
        .insert("x-request-id", "caller-chosen-42".parse().unwrap());
    let status = client.recognize_id_card(request).await.unwrap_err();
    assert_eq!(
        status.metadata().get("x-request-id").unwrap(),
        "caller-chosen-42"
    );
    assert_eq!(decode(&status).request_id, "caller-chosen-42");

    let status = client
        .recognize_id_card(tokio_stream::iter(vec![chunk(&plain_image(
            300,
            300,
            ImageFormat::Png,
        ))]))
        .await
        .unwrap_err();
    let made = status
        .metadata()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    assert_eq!(decode(&status).request_id, made);
}

#[tokio::test]
async fn one_message_and_many_small_chunks_are_the_same_upload() {
    let server = TestServer::start(test_config()).await;
    let mut client = server.client().await;
    let image = textured_image(900, 570);
    let whole = client
        .recognize_id_card(tokio_stream::iter(vec![chunk(&image)]))
        .await
        .unwrap_err();
    let mut pieces = vec![config("wall.jpg")];
    pieces.extend(image.chunks(1024).map(chunk));
    assert!(pieces.len() > 20);
    let chunked = client
        .recognize_id_card(tokio_stream::iter(pieces))
        .await
        .unwrap_err();
    // The image reached the reader whole both ways: the same answer, from the reader.
    assert_eq!(whole.code(), chunked.code());
    assert_eq!(decode(&whole).reason, decode(&chunked).reason);
    assert_eq!(decode(&whole).reason, "DETECTION_FAILED");
}

#[tokio::test]
async fn health_reports_serving() {
    use tonic_health::pb::{
        health_check_response::ServingStatus, health_client::HealthClient, HealthCheckRequest,
    };
    let server = TestServer::start(test_config()).await;
    let mut health = HealthClient::new(server.channel().await);
    for service in ["", "idcard.v1.IdCardService"] {
        let answer = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(answer.status(), ServingStatus::Serving, "{service:?}");
    }
    let unknown = health
        .check(HealthCheckRequest {
            service: "no.such.Service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test]
async fn reflection_lists_services_in_v1_and_v1alpha() {
    let server = TestServer::start(test_config()).await;
    {
        use tonic_reflection::pb::v1::{
            server_reflection_client::ServerReflectionClient,
            server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
            ServerReflectionRequest,
        };
        let mut client = ServerReflectionClient::new(server.channel().await);
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let mut answers = client
            .server_reflection_info(tokio_stream::iter(vec![request]))
            .await
            .unwrap()
            .into_inner();
        let Some(MessageResponse::ListServicesResponse(list)) =
            answers.next().await.unwrap().unwrap().message_response
        else {
            panic!("expected a service list");
        };
        let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
        assert!(names.contains(&"idcard.v1.IdCardService"), "{names:?}");
        assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");
    }
    {
        use tonic_reflection::pb::v1alpha::{
            server_reflection_client::ServerReflectionClient,
            server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
            ServerReflectionRequest,
        };
        let mut client = ServerReflectionClient::new(server.channel().await);
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::FileContainingSymbol(
                "idcard.v1.IdCardService".into(),
            )),
        };
        let mut answers = client
            .server_reflection_info(tokio_stream::iter(vec![request]))
            .await
            .unwrap()
            .into_inner();
        let Some(MessageResponse::FileDescriptorResponse(files)) =
            answers.next().await.unwrap().unwrap().message_response
        else {
            panic!("expected the file descriptor");
        };
        assert!(!files.file_descriptor_proto.is_empty());
    }
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_call_in_flight() {
    let server = TestServer::start(test_config()).await;
    let mut client = server.client().await;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(config("late.png")).await.unwrap();
    let call = tokio::spawn(async move {
        client
            .recognize_id_card(tokio_stream::wrappers::ReceiverStream::new(rx))
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let stopping = tokio::spawn(server.stop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // The server is draining: the call in flight still gets its answer.
    tx.send(chunk(&plain_image(300, 300, ImageFormat::Png)))
        .await
        .unwrap();
    drop(tx);
    let status = call.await.unwrap().unwrap_err();
    assert_eq!(decode(&status).reason, "DETECTION_FAILED");
    stopping.await.unwrap();
}
