//! The core's one error type, and the small set of reasons callers see.

use std::fmt;

/// The cloud API's status strings: the stable, machine-readable reason of a failure.
///
/// The gRPC layer turns each into a status code and a `google.rpc.ErrorInfo`; the CLI prints
/// it as `status`. Reasons that only the transport can produce (keys, quotas) live here too
/// so that every layer speaks one vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The request or the image breaks an input rule.
    InvalidArgument,
    /// The image is valid but holds no ID card.
    DetectionFailed,
    /// No or unknown credentials.
    Unauthorized,
    /// The credentials have expired.
    KeyExpired,
    /// The credentials may not use this method or side.
    NoPermission,
    /// The key's quota for the period is used up.
    OutOfQuota,
    /// Calls arrive faster than the key's rate allows.
    RateLimitExceeded,
    /// The method or resource does not exist.
    NotFound,
    /// Something failed inside the service.
    InternalError,
}

impl Reason {
    /// The reason as the cloud API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidArgument => "INVALID_ARGUMENT",
            Reason::DetectionFailed => "DETECTION_FAILED",
            Reason::Unauthorized => "UNAUTHORIZED",
            Reason::KeyExpired => "KEY_EXPIRED",
            Reason::NoPermission => "NO_PERMISSION",
            Reason::OutOfQuota => "OUT_OF_QUOTA",
            Reason::RateLimitExceeded => "RATE_LIMIT_EXCEEDED",
            Reason::NotFound => "NOT_FOUND",
            Reason::InternalError => "INTERNAL_ERROR",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the core could not read an image.
///
/// Messages are lowercase, name the rule that was broken and never carry image bytes,
/// recognized text or internal paths: they reach callers and logs as they are.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The bytes are not a JPEG, PNG or PDF.
    #[error("unsupported image format: {found}; send a JPEG, PNG or PDF")]
    UnsupportedFormat {
        /// What the bytes look like (for example "GIF" or "unknown").
        found: &'static str,
    },
    /// The image's size in pixels is outside the allowed range.
    #[error("image is {width}x{height} px; each side must be from {min} to {max} px")]
    BadDimensions {
        /// Width read from the header.
        width: u64,
        /// Height read from the header.
        height: u64,
        /// Smallest allowed side.
        min: u32,
        /// Largest allowed side.
        max: u32,
    },
    /// The image could not be decoded: truncated or corrupt.
    #[error("the {format} image is truncated or corrupt")]
    CorruptImage {
        /// The format the bytes claimed to be.
        format: &'static str,
    },
    /// The PDF is readable but is not a single-page scan with an image we can extract.
    #[error("unusable PDF: {why}")]
    UnusablePdf {
        /// Which rule the PDF broke.
        why: &'static str,
    },
    /// The image is valid but no ID card was found on it.
    #[error("no ID card was found in the image")]
    NoCardFound,
    /// The OCR engine failed; details go to the server's log, not to the caller.
    #[error("recognition engine failure")]
    Engine(String),
}

impl CoreError {
    /// The reason a caller sees for this error.
    ///
    /// An exhaustive match: a new variant must decide its reason here.
    pub fn reason(&self) -> Reason {
        match self {
            CoreError::UnsupportedFormat { .. }
            | CoreError::BadDimensions { .. }
            | CoreError::CorruptImage { .. }
            | CoreError::UnusablePdf { .. } => Reason::InvalidArgument,
            CoreError::NoCardFound => Reason::DetectionFailed,
            CoreError::Engine(_) => Reason::InternalError,
        }
    }

    /// The input rule this error is about, for a `BadRequest` field violation; `None` for
    /// errors that are not about the input.
    pub fn violated_rule(&self) -> Option<&'static str> {
        match self {
            CoreError::UnsupportedFormat { .. } => Some("image.format"),
            CoreError::BadDimensions { .. } => Some("image.dimensions"),
            CoreError::CorruptImage { .. } => Some("image.data"),
            CoreError::UnusablePdf { .. } => Some("image.pdf"),
            CoreError::NoCardFound | CoreError::Engine(_) => None,
        }
    }
}
