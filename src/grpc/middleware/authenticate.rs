//! Who is calling: the key's id and secret from `x-df-api-id` and `x-df-api-secret` (the
//! cloud API's headers, lower-cased as HTTP/2 requires) or `authorization: Bearer
//! <id>:<secret>`. A known key is put in the request's extensions as [`Caller`] for the
//! checks after this one and for the handler.

use std::sync::Arc;

use http::{request::Parts, HeaderMap};

use super::gate::{is_open, Check};
use crate::{
    access::{ApiKey, Keyring, Verdict},
    grpc::AccessError,
};

/// The key that made this call.
#[derive(Debug, Clone)]
pub struct Caller(pub Arc<ApiKey>);

/// The cloud API's header with the key's id.
pub const ID_HEADER: &str = "x-df-api-id";
/// The cloud API's header with the key's secret.
pub const SECRET_HEADER: &str = "x-df-api-secret";

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct Authenticate {
    keyring: Arc<Keyring>,
}

impl Authenticate {
    /// Checks callers against `keyring`.
    pub fn new(keyring: Arc<Keyring>) -> Self {
        Self { keyring }
    }
}

/// The id and secret a call carries, if any.
fn credentials(headers: &HeaderMap) -> Result<(String, String), AccessError> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let (Some(id), Some(secret)) = (text(ID_HEADER), text(SECRET_HEADER)) {
        return Ok((id.to_owned(), secret.to_owned()));
    }
    let Some(authorization) = headers.get(http::header::AUTHORIZATION) else {
        return Err(AccessError::MissingCredentials);
    };
    let value = authorization
        .to_str()
        .map_err(|_| AccessError::MalformedCredentials)?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(AccessError::MalformedCredentials)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AccessError::MalformedCredentials);
    }
    let (id, secret) = token
        .trim()
        .split_once(':')
        .ok_or(AccessError::MalformedCredentials)?;
    Ok((id.to_owned(), secret.to_owned()))
}

impl Check for Authenticate {
    async fn check(&self, request: &mut Parts) -> Result<(), AccessError> {
        if is_open(request.uri.path()) {
            return Ok(());
        }
        let result = credentials(&request.headers);
        // The secret goes no further than this layer: not to the handler, not to a log.
        request.headers.remove(SECRET_HEADER);
        request.headers.remove(http::header::AUTHORIZATION);
        let (id, secret) = result?;
        match self.keyring.authenticate(&id, &secret).await {
            Verdict::Known(key) => {
                request.extensions.insert(Caller(key));
                Ok(())
            }
            Verdict::UnknownId | Verdict::WrongSecret => Err(AccessError::BadCredentials),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn reads_both_header_styles() {
        let pair = credentials(&headers(&[(ID_HEADER, "team"), (SECRET_HEADER, "s3")])).unwrap();
        assert_eq!(pair, ("team".into(), "s3".into()));
        let bearer = credentials(&headers(&[("authorization", "bearer team:s3")])).unwrap();
        assert_eq!(bearer, ("team".into(), "s3".into()));
    }

    #[test]
    fn tells_missing_from_malformed() {
        assert!(matches!(
            credentials(&headers(&[(ID_HEADER, "team")])),
            Err(AccessError::MissingCredentials)
        ));
        for bad in ["Basic dGVhbTpzMw==", "Bearer team-without-secret", "Bearer"] {
            let map: HeaderMap = [(http::header::AUTHORIZATION, bad.parse().unwrap())]
                .into_iter()
                .collect();
            assert!(
                matches!(credentials(&map), Err(AccessError::MalformedCredentials)),
                "{bad}"
            );
        }
    }
}
