//! The service's one error type and its one, exhaustive mapping to gRPC statuses.

use std::{collections::HashMap, time::Duration};

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use super::upload::UploadError;
use crate::core::{CoreError, Reason};

/// Why the access layers (or the service, for a card side) refused a call.
///
/// Messages never hold a secret; they name the key's id only where the caller sent it.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// No credentials were sent.
    #[error(
        "missing credentials: send x-df-api-id and x-df-api-secret, or authorization: Bearer <id>:<secret>"
    )]
    MissingCredentials,
    /// The `authorization` header is not `Bearer <id>:<secret>`.
    #[error("malformed authorization header: expected Bearer <id>:<secret>")]
    MalformedCredentials,
    /// Unknown id or wrong secret; which of the two is not told.
    #[error("unknown API key id or wrong secret")]
    BadCredentials,
    /// The key's expiry has passed.
    #[error("the API key expired at {expired_at}")]
    Expired {
        /// When, RFC 3339.
        expired_at: String,
    },
    /// The key may not call this method.
    #[error("the API key may not call {method}")]
    MethodNotAllowed {
        /// The method's name.
        method: String,
    },
    /// The key may not read this side of the card.
    #[error("the API key may not read the {side} side of a card")]
    SideNotAllowed {
        /// `front` or `back`.
        side: &'static str,
    },
    /// Calls arrive faster than the key's rate.
    #[error(
        "rate limit of {per_second} calls per second (burst {burst}) exceeded; retry in {} ms",
        retry_after.as_millis().max(1)
    )]
    RateLimited {
        /// The rate.
        per_second: f64,
        /// The burst.
        burst: u32,
        /// When a call will fit.
        retry_after: Duration,
    },
    /// The key's quota for the period is used up.
    #[error("quota of {limit} calls per {period} is used up; it resets at {resets_at}")]
    QuotaExhausted {
        /// The key's id.
        key_id: String,
        /// Calls per period.
        limit: u64,
        /// `day` or `month`.
        period: &'static str,
        /// When the next period starts, RFC 3339.
        resets_at: String,
    },
    /// The usage store failed; the call is refused rather than let through uncounted.
    #[error("usage accounting is unavailable")]
    UsageStoreUnavailable,
}

impl AccessError {
    /// The cloud API's reason: one exhaustive match.
    pub fn reason(&self) -> Reason {
        match self {
            AccessError::MissingCredentials
            | AccessError::MalformedCredentials
            | AccessError::BadCredentials => Reason::Unauthorized,
            AccessError::Expired { .. } => Reason::KeyExpired,
            AccessError::MethodNotAllowed { .. } | AccessError::SideNotAllowed { .. } => {
                Reason::NoPermission
            }
            AccessError::RateLimited { .. } => Reason::RateLimitExceeded,
            AccessError::QuotaExhausted { .. } => Reason::OutOfQuota,
            AccessError::UsageStoreUnavailable => Reason::InternalError,
        }
    }

    /// RetryInfo for rate limits, QuotaFailure for quotas.
    fn add_details(&self, details: &mut ErrorDetails) {
        match self {
            AccessError::RateLimited { retry_after, .. } => {
                details.set_retry_info(Some(*retry_after));
            }
            AccessError::QuotaExhausted {
                key_id,
                limit,
                period,
                resets_at,
            } => {
                details.add_quota_failure_violation(
                    format!("key:{key_id}"),
                    format!("{limit} calls per {period}; resets at {resets_at}"),
                );
            }
            _ => {}
        }
    }
}

/// Everything that can fail a call, from the upload to the answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The upload stream broke a rule.
    #[error(transparent)]
    Upload(#[from] UploadError),
    /// The core refused or failed to read the image.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The caller's key is missing, wrong, expired, not allowed or over its limits.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The engine pool is gone or dropped the job: only at shutdown or after a panic.
    #[error("the recognition engine is unavailable")]
    EngineUnavailable,
}

impl ApiError {
    /// The cloud API's reason for this error.
    pub fn reason(&self) -> Reason {
        match self {
            ApiError::Upload(_) => Reason::InvalidArgument,
            ApiError::Core(error) => error.reason(),
            ApiError::Access(error) => error.reason(),
            ApiError::EngineUnavailable => Reason::InternalError,
        }
    }

    /// The field or rule a `BadRequest` names, and why, when the caller's input is at fault.
    fn violation(&self) -> Option<(&'static str, String)> {
        match self {
            ApiError::Upload(error) => Some((error.field(), error.to_string())),
            ApiError::Core(error) => error.violated_rule().map(|rule| (rule, error.to_string())),
            ApiError::Access(_) | ApiError::EngineUnavailable => None,
        }
    }

    /// The message a caller sees: the error's own words, except for internal errors,
    /// whose details stay in the server's log.
    pub fn public_message(&self) -> String {
        match self.reason() {
            Reason::InternalError => "internal error".to_string(),
            _ => self.to_string(),
        }
    }

    /// The status sent to the caller, with `ErrorInfo`, `RequestInfo` and, for input
    /// errors `BadRequest`, for rate limits `RetryInfo`, for quotas `QuotaFailure`.
    pub fn to_status(&self, request_id: &str) -> Status {
        let reason = self.reason();
        let mut details = common_details(reason, request_id);
        if let Some((field, why)) = self.violation() {
            details.add_bad_request_violation(field, why);
        }
        if let ApiError::Access(error) = self {
            error.add_details(&mut details);
        }
        Status::with_error_details(code_for(reason), self.public_message(), details)
    }
}

/// The details every error carries: `ErrorInfo` (the reason, our domain) and
/// `RequestInfo` (the request id).
fn common_details(reason: Reason, request_id: &str) -> ErrorDetails {
    let mut details = ErrorDetails::new();
    details.set_error_info(
        reason.as_str(),
        super::ERROR_DOMAIN,
        HashMap::<String, String>::new(),
    );
    details.set_request_info(request_id, "");
    details
}

/// The status for a call to a method this server does not have, with the same details as
/// every other error. tonic's router answers such calls itself, before any handler; the
/// request-id layer puts these details on its answer.
pub fn unknown_method_status(request_id: &str) -> Status {
    let reason = Reason::NotFound;
    let details = common_details(reason, request_id);
    Status::with_error_details(code_for(reason), "no such method on this server", details)
}

/// The gRPC code for each reason: one exhaustive match, so a new reason must be placed.
pub fn code_for(reason: Reason) -> Code {
    match reason {
        Reason::InvalidArgument | Reason::DetectionFailed => Code::InvalidArgument,
        Reason::Unauthorized | Reason::KeyExpired => Code::Unauthenticated,
        Reason::NoPermission => Code::PermissionDenied,
        Reason::OutOfQuota | Reason::RateLimitExceeded => Code::ResourceExhausted,
        // The only thing a caller can name that does not exist is a method: gRPC's
        // code for that is UNIMPLEMENTED.
        Reason::NotFound => Code::Unimplemented,
        Reason::InternalError => Code::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_failure_is_invalid_argument_with_its_reason() {
        let status = ApiError::Core(CoreError::NoCardFound).to_status("rid-1");
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        assert_eq!(details.error_info().unwrap().reason, "DETECTION_FAILED");
        assert_eq!(details.error_info().unwrap().domain, "idcard.v1");
        assert_eq!(details.request_info().unwrap().request_id, "rid-1");
        assert!(details.bad_request().is_none());
    }

    #[test]
    fn internal_errors_hide_their_details() {
        let status =
            ApiError::Core(CoreError::Engine("tessdata at /secret/path".into())).to_status("r");
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("/secret"));
        assert_eq!(
            status.get_error_details().error_info().unwrap().reason,
            "INTERNAL_ERROR"
        );
    }
}
