//! Assembles the upload stream into the image's bytes, enforcing the protocol's order and
//! the size cap while the bytes arrive.

use futures_core::Stream;
use tokio_stream::StreamExt;
use tonic::{Code, Status};

use crate::pb::{
    recognize_id_card_request::Payload, RecognizeIdCardConfig, RecognizeIdCardRequest,
};

/// A rule of the upload stream that the caller broke.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// No image bytes at all.
    #[error("the stream carried no image bytes")]
    Empty,
    /// A message with neither config nor chunk.
    #[error("message {index} carries neither config nor chunk")]
    EmptyMessage {
        /// Position of the message in the stream, from 0.
        index: usize,
    },
    /// The config came after image bytes.
    #[error("config must be the first message; it came after image bytes")]
    ConfigAfterChunk,
    /// A second config.
    #[error("config may be sent only once")]
    DuplicateConfig,
    /// The sum of the chunks passed the cap.
    #[error("the image is larger than {limit} bytes")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
}

impl UploadError {
    /// The request field or rule the error is about, for `BadRequest`.
    pub fn field(&self) -> &'static str {
        match self {
            UploadError::Empty | UploadError::EmptyMessage { .. } => "chunk",
            UploadError::ConfigAfterChunk | UploadError::DuplicateConfig => "config",
            UploadError::TooLarge { .. } => "chunk",
        }
    }
}

/// What a complete upload holds.
#[derive(Debug, Default)]
pub struct Upload {
    /// The optional first-message settings.
    pub config: Option<RecognizeIdCardConfig>,
    /// The image's bytes.
    pub bytes: Vec<u8>,
}

/// Either the caller broke a rule, or the transport failed (cancelled, reset).
#[derive(Debug)]
pub enum CollectError {
    /// A rule of the upload was broken.
    Rule(UploadError),
    /// The stream itself failed; the status is passed on as it is.
    Transport(Status),
}

/// Reads the stream to its end, stopping as soon as the bytes pass `max_bytes`.
pub async fn collect<S>(mut stream: S, max_bytes: usize) -> Result<Upload, CollectError>
where
    S: Stream<Item = Result<RecognizeIdCardRequest, Status>> + Unpin,
{
    let mut upload = Upload::default();
    let mut index = 0usize;
    while let Some(message) = stream.next().await {
        let message = message.map_err(|status| classify_transport(status, max_bytes))?;
        match message.payload {
            Some(Payload::Config(config)) => {
                if upload.config.is_some() {
                    return Err(CollectError::Rule(UploadError::DuplicateConfig));
                }
                if !upload.bytes.is_empty() || index > 0 {
                    return Err(CollectError::Rule(UploadError::ConfigAfterChunk));
                }
                upload.config = Some(config);
            }
            Some(Payload::Chunk(chunk)) => {
                if upload.bytes.len() + chunk.len() > max_bytes {
                    return Err(CollectError::Rule(UploadError::TooLarge {
                        limit: max_bytes,
                    }));
                }
                upload.bytes.extend_from_slice(&chunk);
            }
            None => return Err(CollectError::Rule(UploadError::EmptyMessage { index })),
        }
        index += 1;
    }
    if upload.bytes.is_empty() {
        return Err(CollectError::Rule(UploadError::Empty));
    }
    Ok(upload)
}

/// tonic refuses a single message above its decoding limit (set just above our cap) with
/// OUT_OF_RANGE before we see it; that is our size rule, so say so in our words.
fn classify_transport(status: Status, max_bytes: usize) -> CollectError {
    if status.code() == Code::OutOfRange && status.message().contains("too large") {
        CollectError::Rule(UploadError::TooLarge { limit: max_bytes })
    } else {
        CollectError::Transport(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(bytes: &[u8]) -> Result<RecognizeIdCardRequest, Status> {
        Ok(RecognizeIdCardRequest {
            payload: Some(Payload::Chunk(bytes.to_vec())),
        })
    }

    fn config() -> Result<RecognizeIdCardRequest, Status> {
        Ok(RecognizeIdCardRequest {
            payload: Some(Payload::Config(RecognizeIdCardConfig::default())),
        })
    }

    async fn run(
        messages: Vec<Result<RecognizeIdCardRequest, Status>>,
        cap: usize,
    ) -> Result<Upload, CollectError> {
        collect(tokio_stream::iter(messages), cap).await
    }

    #[tokio::test]
    async fn joins_chunks_after_a_config() {
        let upload = run(vec![config(), chunk(b"ab"), chunk(b"cd")], 10)
            .await
            .unwrap();
        assert_eq!(upload.bytes, b"abcd");
        assert!(upload.config.is_some());
    }

    #[tokio::test]
    async fn enforces_order_and_size() {
        let rule = |r: Result<Upload, CollectError>| match r {
            Err(CollectError::Rule(rule)) => rule,
            other => panic!("expected a rule error, got {other:?}"),
        };
        assert!(matches!(rule(run(vec![], 10).await), UploadError::Empty));
        assert!(matches!(
            rule(run(vec![config()], 10).await),
            UploadError::Empty
        ));
        assert!(matches!(
            rule(run(vec![chunk(b"a"), config()], 10).await),
            UploadError::ConfigAfterChunk
        ));
        assert!(matches!(
            rule(run(vec![config(), config()], 10).await),
            UploadError::DuplicateConfig
        ));
        assert!(matches!(
            rule(run(vec![chunk(b"123456"), chunk(b"78901")], 10).await),
            UploadError::TooLarge { limit: 10 }
        ));
    }
}
