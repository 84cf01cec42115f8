//! Recognizes an image's format from its first bytes, never from a file name or a hint.

use super::error::CoreError;

/// The formats the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// JPEG (JFIF or EXIF).
    Jpeg,
    /// PNG.
    Png,
    /// A PDF holding one scanned page.
    Pdf,
}

impl InputFormat {
    /// The format's usual name.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Jpeg => "JPEG",
            InputFormat::Png => "PNG",
            InputFormat::Pdf => "PDF",
        }
    }
}

/// Tells the format of `bytes` from their magic numbers.
///
/// Formats we refuse are named in the error so the caller knows what it sent.
pub fn sniff(bytes: &[u8]) -> Result<InputFormat, CoreError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(InputFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(InputFormat::Png);
    }
    // A PDF header may follow a little junk; readers accept it within the first 1 KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(InputFormat::Pdf);
    }
    Err(CoreError::UnsupportedFormat {
        found: name_of_refused(bytes),
    })
}

/// Names common formats we do not accept, so the error can say what arrived.
fn name_of_refused(bytes: &[u8]) -> &'static str {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"GIF87a") || starts(b"GIF89a") {
        "GIF"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "WebP"
    } else if starts(b"BM") {
        "BMP"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "TIFF"
    } else if bytes
        .get(4..12)
        .is_some_and(|b| b == b"ftypheic" || b == b"ftypheix" || b == b"ftypmif1")
    {
        "HEIC"
    } else if bytes.get(4..12).is_some_and(|b| b == b"ftypavif") {
        "AVIF"
    } else if starts(b"PK\x03\x04") {
        "ZIP"
    } else if bytes.is_empty() {
        "empty"
    } else {
        "unknown"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_accepted_formats_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest").unwrap(), InputFormat::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest").unwrap(), InputFormat::Png);
        assert_eq!(sniff(b"%PDF-1.4\n").unwrap(), InputFormat::Pdf);
    }

    #[test]
    fn names_refused_formats() {
        let found = |b: &[u8]| match sniff(b) {
            Err(CoreError::UnsupportedFormat { found }) => found,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(found(b"GIF89a...."), "GIF");
        assert_eq!(found(b"RIFF\0\0\0\0WEBPVP8 "), "WebP");
        assert_eq!(found(b"II*\0...."), "TIFF");
        assert_eq!(found(b"hello world"), "unknown");
        assert_eq!(found(b""), "empty");
    }
}
