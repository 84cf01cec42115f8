//! The shape every access layer shares: look at the request's head, then either pass the
//! call on or answer it at once with an error status.
//!
//! Each concern (authenticate, expiry, permission, rate limit, quota) is a [`Check`] in a
//! file of its own; [`GateLayer`] makes it a tower layer.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use http::{request::Parts, Request, Response};
use tower::{Layer, Service};

use super::RequestId;
use crate::{
    grpc::{error::code_for, AccessError, ApiError},
    metrics::Metrics,
};

/// One access rule.
pub trait Check: Clone + Send + Sync + 'static {
    /// Passes (`Ok`) or refuses the call. May add to the request's extensions for the
    /// checks and the handler after it.
    fn check(&self, request: &mut Parts) -> impl Future<Output = Result<(), AccessError>> + Send;
}

/// Services that stay open to every caller: load balancers probe health, and tools list
/// the API before they have a key. Everything else needs a key (deny by default).
pub fn is_open(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.")
}

/// The method's name: the last segment of the gRPC path.
pub fn method_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Wraps a service in a [`Check`].
#[derive(Debug, Clone)]
pub struct GateLayer<C> {
    check: C,
    metrics: Metrics,
}

impl<C> GateLayer<C> {
    /// A layer applying `check`, counting refusals in `metrics`.
    pub fn new(check: C, metrics: Metrics) -> Self {
        Self { check, metrics }
    }
}

impl<S, C: Clone> Layer<S> for GateLayer<C> {
    type Service = Gate<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        Gate {
            inner,
            check: self.check.clone(),
            metrics: self.metrics.clone(),
        }
    }
}

/// See [`GateLayer`].
#[derive(Debug, Clone)]
pub struct Gate<S, C> {
    inner: S,
    check: C,
    metrics: Metrics,
}

impl<S, C, B, RB> Service<Request<B>> for Gate<S, C>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    C: Check,
    B: Send + 'static,
    RB: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone that was made ready is the one to call (tower's usual swap).
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let check = self.check.clone();
        let metrics = self.metrics.clone();
        Box::pin(async move {
            let (mut head, body) = request.into_parts();
            match check.check(&mut head).await {
                Ok(()) => inner.call(Request::from_parts(head, body)).await,
                Err(refusal) => Ok(refuse(&head, refusal, &metrics)),
            }
        })
    }
}

/// The answer to a refused call: a gRPC status with its details, logged and counted.
fn refuse<RB: Default>(head: &Parts, refusal: AccessError, metrics: &Metrics) -> Response<RB> {
    let request_id = head
        .extensions
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    // Metric labels and logs take only known names: a path is the caller's to choose.
    let named = method_of(head.uri.path());
    let method = if crate::access::keys::METHODS.contains(&named) {
        named
    } else {
        "other"
    };
    let key_id = head
        .extensions
        .get::<super::Caller>()
        .map(|caller| caller.0.id.as_str())
        .unwrap_or("");
    let error = ApiError::from(refusal);
    let reason = error.reason();
    let code = code_for(reason);
    metrics
        .calls
        .with_label_values(&[method, &format!("{code:?}"), reason.as_str()])
        .inc();
    // The key id is the caller's public name, like a user name; the secret never is logged.
    tracing::info!(
        request_id,
        method,
        key_id,
        reason = reason.as_str(),
        "call refused"
    );
    error.to_status(&request_id).into_http()
}
