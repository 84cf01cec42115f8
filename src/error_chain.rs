//! One line for an error and its sources.

/// An error and its sources, joined by ": ". tonic's transport error alone says only
/// "transport error"; the reason (a refused connection, an unknown TLS issuer, a key that
/// does not match its certificate) is in the sources.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
