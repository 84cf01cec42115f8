//! The service's one error type and its one, exhaustive mapping to gRPC statuses.

use std::collections::HashMap;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use super::upload::UploadError;
use crate::core::{CoreError, Reason};

/// Everything that can fail a call, from the upload to the answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The upload stream broke a rule.
    #[error(transparent)]
    Upload(#[from] UploadError),
    /// The core refused or failed to read the image.
    #[error(transparent)]
    Core(#[from] CoreError),
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
            ApiError::EngineUnavailable => Reason::InternalError,
        }
    }

    /// The field or rule a `BadRequest` names, and why, when the caller's input is at fault.
    fn violation(&self) -> Option<(&'static str, String)> {
        match self {
            ApiError::Upload(error) => Some((error.field(), error.to_string())),
            ApiError::Core(error) => error.violated_rule().map(|rule| (rule, error.to_string())),
            ApiError::EngineUnavailable => None,
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
    /// errors, `BadRequest`.
    pub fn to_status(&self, request_id: &str) -> Status {
        let reason = self.reason();
        let mut details = ErrorDetails::new();
        details.set_error_info(
            reason.as_str(),
            super::ERROR_DOMAIN,
            HashMap::<String, String>::new(),
        );
        details.set_request_info(request_id, "");
        if let Some((field, why)) = self.violation() {
            details.add_bad_request_violation(field, why);
        }
        Status::with_error_details(code_for(reason), self.public_message(), details)
    }
}

/// The gRPC code for each reason: one exhaustive match, so a new reason must be placed.
pub fn code_for(reason: Reason) -> Code {
    match reason {
        Reason::InvalidArgument | Reason::DetectionFailed => Code::InvalidArgument,
        Reason::Unauthorized | Reason::KeyExpired => Code::Unauthenticated,
        Reason::NoPermission => Code::PermissionDenied,
        Reason::OutOfQuota | Reason::RateLimitExceeded => Code::ResourceExhausted,
        Reason::NotFound => Code::NotFound,
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
