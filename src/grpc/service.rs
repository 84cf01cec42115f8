//! The `IdCardService` implementation: upload, recognize on the pool, answer.

use std::{sync::Arc, time::Instant};

use tonic::{Request, Response, Status, Streaming};

use super::{
    convert,
    error::{code_for, AccessError, ApiError},
    middleware::{Caller, RequestId},
    upload::{self, CollectError},
};
use crate::{
    core::{self, ocr::EnginePool, CardReading, ImageLimits, Reason},
    metrics::Metrics,
    pb::{self, id_card_service_server::IdCardService},
};

const METHOD: &str = "RecognizeIdCard";

/// Settings of the service itself.
#[derive(Debug, Clone, Copy)]
pub struct ServiceLimits {
    /// Largest upload in bytes.
    pub max_upload_bytes: usize,
    /// Pixel size rules.
    pub image: ImageLimits,
}

/// The service: shared by every connection.
#[derive(Debug, Clone)]
pub struct IdCardServiceImpl {
    pool: Arc<EnginePool>,
    limits: ServiceLimits,
    metrics: Metrics,
}

impl IdCardServiceImpl {
    /// A service reading with `pool` under `limits`.
    pub fn new(pool: Arc<EnginePool>, limits: ServiceLimits, metrics: Metrics) -> Self {
        Self {
            pool,
            limits,
            metrics,
        }
    }

    async fn recognize(
        &self,
        stream: Streaming<pb::RecognizeIdCardRequest>,
    ) -> Result<Vec<CardReading>, Outcome> {
        let upload = upload::collect(stream, self.limits.max_upload_bytes)
            .await
            .map_err(|error| match error {
                CollectError::Rule(rule) => Outcome::Api(rule.into()),
                CollectError::Transport(status) => Outcome::Transport(status),
            })?;
        self.metrics
            .received_bytes
            .inc_by(upload.bytes.len() as u64);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let image_limits = self.limits.image;
        let queue_wait = self.metrics.queue_wait_seconds.clone();
        self.pool
            .execute(move |engine, waited| {
                queue_wait
                    .with_label_values::<&str>(&[])
                    .observe(waited.as_secs_f64());
                // The caller gave up (deadline, cancel) while the job queued: skip the work.
                if tx.is_closed() {
                    return;
                }
                let _ = tx.send(core::recognize(engine, &upload.bytes, &image_limits));
            })
            .map_err(|_| Outcome::Api(ApiError::EngineUnavailable))?;
        let result = rx
            .await
            .map_err(|_| Outcome::Api(ApiError::EngineUnavailable))?;
        result.map_err(|error| Outcome::Api(error.into()))
    }
}

/// How a call failed: by a rule of ours, or in the transport.
enum Outcome {
    Api(ApiError),
    Transport(Status),
}

#[tonic::async_trait]
impl IdCardService for IdCardServiceImpl {
    async fn recognize_id_card(
        &self,
        request: Request<Streaming<pb::RecognizeIdCardRequest>>,
    ) -> Result<Response<pb::RecognizeIdCardResponse>, Status> {
        let started = Instant::now();
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let caller = request.extensions().get::<Caller>().cloned();
        let outcome = self
            .recognize(request.into_inner())
            .await
            .and_then(|readings| allowed_sides(caller.as_ref(), readings));
        let elapsed = started.elapsed();
        self.metrics
            .call_seconds
            .with_label_values(&[METHOD])
            .observe(elapsed.as_secs_f64());
        // Logged: method, outcome, duration. Never image bytes or what was read.
        match outcome {
            Ok(readings) => {
                self.metrics
                    .calls
                    .with_label_values(&[METHOD, "OK", ""])
                    .inc();
                tracing::info!(
                    request_id,
                    method = METHOD,
                    code = "OK",
                    cards = readings.len(),
                    ms = elapsed.as_millis() as u64,
                    "call"
                );
                Ok(Response::new(pb::RecognizeIdCardResponse {
                    request_id,
                    results: readings.iter().map(convert::card_result).collect(),
                }))
            }
            Err(Outcome::Api(error)) => {
                let reason = error.reason();
                let code = code_for(reason);
                self.metrics
                    .calls
                    .with_label_values(&[METHOD, &format!("{code:?}"), reason.as_str()])
                    .inc();
                if reason == Reason::InternalError {
                    tracing::error!(request_id, method = METHOD, reason = reason.as_str(), error = %error_detail(&error), "call failed");
                } else {
                    tracing::info!(
                        request_id,
                        method = METHOD,
                        reason = reason.as_str(),
                        ms = elapsed.as_millis() as u64,
                        "call refused"
                    );
                }
                Err(error.to_status(&request_id))
            }
            Err(Outcome::Transport(status)) => {
                self.metrics
                    .calls
                    .with_label_values(&[METHOD, &format!("{:?}", status.code()), ""])
                    .inc();
                tracing::info!(request_id, method = METHOD, code = ?status.code(), "stream failed");
                Err(status)
            }
        }
    }
}

/// Refuses the whole answer when the key may not read a side that was found: which side a
/// card is becomes known only once it is read. The call still counts against the quota.
fn allowed_sides(
    caller: Option<&Caller>,
    readings: Vec<CardReading>,
) -> Result<Vec<CardReading>, Outcome> {
    let Some(Caller(key)) = caller else {
        return Ok(readings);
    };
    match readings
        .iter()
        .find(|reading| !key.may_read(reading.fields.side()))
    {
        Some(reading) => Err(Outcome::Api(
            AccessError::SideNotAllowed {
                side: reading.fields.side().as_str(),
            }
            .into(),
        )),
        None => Ok(readings),
    }
}

/// The internal detail of an error, for the server's log only.
fn error_detail(error: &ApiError) -> String {
    match error {
        ApiError::Core(core::CoreError::Engine(detail)) => detail.clone(),
        other => other.to_string(),
    }
}
