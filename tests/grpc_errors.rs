//! Every error a call can meet today, produced through the real server and decoded on the
//! client side: code, ErrorInfo reason and domain, RequestInfo, BadRequest fields.

mod common;

use common::*;
use image::ImageFormat;
use tonic::Code;

async fn call(
    server: &TestServer,
    messages: Vec<idcard_ocr::pb::RecognizeIdCardRequest>,
) -> tonic::Status {
    let mut client = server.client().await;
    client
        .recognize_id_card(tokio_stream::iter(messages))
        .await
        .expect_err("this call must fail")
}

fn assert_invalid(status: &tonic::Status, field: &str) {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let decoded = decode(status);
    assert_eq!(decoded.reason, "INVALID_ARGUMENT");
    assert_eq!(decoded.domain, "idcard.v1");
    assert!(!decoded.request_id.is_empty());
    assert_eq!(decoded.bad_fields, vec![field.to_string()], "{status:?}");
}

#[tokio::test]
async fn empty_stream_is_invalid() {
    let server = TestServer::start(test_config()).await;
    assert_invalid(&call(&server, vec![]).await, "chunk");
    assert_invalid(&call(&server, vec![config("a.jpg")]).await, "chunk");
}

#[tokio::test]
async fn config_must_come_first_and_once() {
    let server = TestServer::start(test_config()).await;
    let png = plain_image(200, 200, ImageFormat::Png);
    assert_invalid(
        &call(&server, vec![chunk(&png), config("a.png")]).await,
        "config",
    );
    assert_invalid(
        &call(&server, vec![config("a.png"), config("a.png"), chunk(&png)]).await,
        "config",
    );
}

#[tokio::test]
async fn unsupported_format_is_named() {
    let server = TestServer::start(test_config()).await;
    let status = call(&server, vec![chunk(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")]).await;
    assert_invalid(&status, "image.format");
    assert!(status.message().contains("GIF"), "{}", status.message());
    // The hint and file name do not make a text file an image.
    let status = call(
        &server,
        vec![config("card.jpg"), chunk(b"just some text, not an image")],
    )
    .await;
    assert_invalid(&status, "image.format");
}

#[tokio::test]
async fn truncated_image_is_invalid() {
    let server = TestServer::start(test_config()).await;
    let jpeg = textured_image(400, 300);
    let status = call(&server, vec![chunk(&jpeg[..jpeg.len() / 3])]).await;
    assert_invalid(&status, "image.data");
}

#[tokio::test]
async fn dimensions_are_checked() {
    let server = TestServer::start(test_config()).await;
    let status = call(
        &server,
        vec![chunk(&plain_image(100, 400, ImageFormat::Png))],
    )
    .await;
    assert_invalid(&status, "image.dimensions");
    assert!(status.message().contains("100x400"), "{}", status.message());
}

#[tokio::test]
async fn oversized_upload_is_refused_in_chunks_and_in_one_message() {
    let server = TestServer::start(test_config()).await;
    let cap = test_config().limits.max_upload_bytes;
    let piece = vec![0u8; 256 * 1024];
    let many: Vec<_> = (0..(cap / piece.len() + 2))
        .map(|_| chunk(&piece))
        .collect();
    assert_invalid(&call(&server, many).await, "chunk");
    let one = vec![0u8; cap + 1024 * 1024];
    assert_invalid(&call(&server, vec![chunk(&one)]).await, "chunk");
}

#[tokio::test]
async fn pdf_without_a_page_image_is_invalid() {
    let server = TestServer::start(test_config()).await;
    let status = call(&server, vec![chunk(&pdf::text_only())]).await;
    assert_invalid(&status, "image.pdf");
    assert!(
        status.message().contains("no image"),
        "{}",
        status.message()
    );
}

#[tokio::test]
async fn blank_page_and_wall_are_detection_failures() {
    let server = TestServer::start(test_config()).await;
    for image in [
        plain_image(800, 500, ImageFormat::Jpeg),
        textured_image(800, 600),
        pdf::with_jpeg(&plain_image(800, 500, ImageFormat::Jpeg), 800, 500),
    ] {
        let status = call(&server, vec![chunk(&image)]).await;
        assert_eq!(status.code(), Code::InvalidArgument);
        let decoded = decode(&status);
        assert_eq!(decoded.reason, "DETECTION_FAILED");
        assert!(decoded.bad_fields.is_empty());
    }
}

#[tokio::test]
async fn unknown_method_is_unimplemented() {
    let server = TestServer::start(test_config()).await;
    let channel = server.channel().await;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let path = http::uri::PathAndQuery::from_static("/idcard.v1.IdCardService/NoSuchMethod");
    let status = grpc
        .unary::<_, idcard_ocr::pb::RecognizeIdCardResponse, _>(
            tonic::Request::new(idcard_ocr::pb::RecognizeIdCardConfig::default()),
            path,
            tonic_prost::ProstCodec::default(),
        )
        .await
        .expect_err("no such method");
    assert_eq!(status.code(), Code::Unimplemented);
    let decoded = decode(&status);
    assert_eq!(decoded.reason, "NOT_FOUND");
    assert_eq!(decoded.domain, "idcard.v1");
    assert!(!decoded.request_id.is_empty());
}

#[tokio::test]
async fn full_server_sheds_load_with_resource_exhausted() {
    let mut config = test_config();
    config.max_concurrent_calls = 1;
    let server = TestServer::start(config).await;
    // The first call holds the only slot: its stream stays open.
    let (hold_tx, hold_rx) = tokio::sync::mpsc::channel(1);
    hold_tx.send(config_msg()).await.unwrap();
    let mut first_client = server.client().await;
    let first = tokio::spawn(async move {
        first_client
            .recognize_id_card(tokio_stream::wrappers::ReceiverStream::new(hold_rx))
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let status = call(
        &server,
        vec![chunk(&plain_image(300, 300, ImageFormat::Png))],
    )
    .await;
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    drop(hold_tx);
    let first = first
        .await
        .unwrap()
        .expect_err("the held call had no image");
    assert_eq!(first.code(), Code::InvalidArgument);
}

fn config_msg() -> idcard_ocr::pb::RecognizeIdCardRequest {
    config("held.png")
}

#[tokio::test]
async fn deadline_ends_a_stalled_upload() {
    let server = TestServer::start(test_config()).await;
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tx.send(config("stalled.png")).await.unwrap();
    let mut client = server.client().await;
    let mut request = tonic::Request::new(tokio_stream::wrappers::ReceiverStream::new(rx));
    request.set_timeout(std::time::Duration::from_millis(300));
    let status = client
        .recognize_id_card(request)
        .await
        .expect_err("deadline passes");
    assert!(
        matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
        "{status:?}"
    );
    drop(tx);
}

/// Minimal PDFs written with lopdf.
mod pdf {
    use lopdf::{dictionary, Document, Object, Stream};

    fn finish(mut doc: Document, pages_id: lopdf::ObjectId, page: lopdf::Dictionary) -> Vec<u8> {
        let page_id = doc.add_object(page);
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// A page with text and no image.
    pub(super) fn text_only() -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
        finish(
            doc,
            pages_id,
            dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            },
        )
    }

    /// A page holding one JPEG, as scanners write.
    pub(super) fn with_jpeg(jpeg: &[u8], width: i64, height: i64) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            jpeg.to_vec(),
        ));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            format!("q {width} 0 0 {height} 0 0 cm /Im0 Do Q").into_bytes(),
        ));
        finish(
            doc,
            pages_id,
            dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), width.into(), height.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
            },
        )
    }
}
