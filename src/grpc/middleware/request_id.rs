//! Gives every call a request id: the caller's `x-request-id` when it sent a sane one,
//! else a new UUID. The id is put in the request's extensions and headers for the
//! handler, and in the response headers for the caller (also on errors).

use std::task::{Context, Poll};

use http::{HeaderValue, Request, Response};
use tower::{Layer, Service};

/// The header that carries the id both ways.
pub const HEADER: &str = "x-request-id";

/// The id of the current call, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Adds [`RequestIdService`] around a service.
#[derive(Debug, Clone, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestIdService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestIdService { inner }
    }
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct RequestIdService<S> {
    inner: S,
}

/// A caller's id is kept only if it is short printable ASCII: it reaches our logs.
fn acceptable(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| text.to_string())
}

impl<S, B, RB> Service<Request<B>> for RequestIdService<S>
where
    S: Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let id = request
            .headers()
            .get(HEADER)
            .and_then(acceptable)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let header = HeaderValue::from_str(&id).expect("ids are printable ASCII");
        request.headers_mut().insert(HEADER, header.clone());
        request.extensions_mut().insert(RequestId(id.clone()));
        let future = self.inner.call(request);
        Box::pin(async move {
            let mut response = future.await?;
            if is_bare_unimplemented(response.headers()) {
                // tonic's router refused an unknown method with a bare status: give it
                // the details every other error carries.
                let status = crate::grpc::error::unknown_method_status(&id);
                // Only fails for a message that is no header value; ours is ASCII.
                let _ = status.add_header(response.headers_mut());
            }
            response.headers_mut().insert(HEADER, header);
            Ok(response)
        })
    }
}

/// A trailers-only UNIMPLEMENTED answer without `grpc-status-details-bin`: tonic's own
/// answer to an unknown method (our handlers always attach details).
fn is_bare_unimplemented(headers: &http::HeaderMap) -> bool {
    headers.get("grpc-status").map(HeaderValue::as_bytes) == Some(b"12")
        && !headers.contains_key("grpc-status-details-bin")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_sane_ids_only() {
        assert_eq!(
            acceptable(&HeaderValue::from_static("abc-123")).as_deref(),
            Some("abc-123")
        );
        assert_eq!(acceptable(&HeaderValue::from_static("has space")), None);
        assert_eq!(acceptable(&HeaderValue::from_static("")), None);
    }
}
