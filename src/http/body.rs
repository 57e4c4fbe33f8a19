//! Owns request bodies ([`RequestBody`]): JSON, form fields, raw text, a
//! file's bytes, and `multipart/form-data` (RFC 7578) built here, so the
//! bytes on the wire are known before sending (records, curl lines, tests)
//! and identical on every retry. Also caps response bodies ([`MAX_BODY_BYTES`]).
//!
//! Pure. Must not read files (the engine hands over their bytes) nor send
//! anything.

use std::path::PathBuf;
use std::sync::Arc;

/// Caps a response body kept in memory; a larger one is an error, not an OOM.
pub(super) const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Holds a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// A JSON document (top-level `null` included), sent with
    /// `content-type: application/json`.
    Json(serde_json::Value),
    /// Form fields, sent `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
    /// Raw text, sent as is.
    Raw(String),
    /// A file's bytes, sent as they are (`body_file`, `json_file`).
    File(FileBody),
    /// Named parts, sent `multipart/form-data` with this boundary.
    Multipart {
        /// The boundary between parts (see [`new_boundary`]).
        boundary: String,
        /// The parts, in order.
        parts: Vec<Part>,
    },
}

/// Holds a body read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileBody {
    /// The file, as curl must name it (relative to the working directory).
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Arc<[u8]>,
    /// The content type to send unless the step sets one.
    pub content_type: Option<String>,
}

/// Holds one part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// What the part holds.
    pub content: PartContent,
}

/// Holds what one multipart part sends.
#[derive(Debug, Clone, PartialEq)]
pub enum PartContent {
    /// A text field, with a content type when the step gives one.
    Text {
        /// The value.
        value: String,
        /// `Content-Type` of the part, if any.
        content_type: Option<String>,
    },
    /// A file field.
    File {
        /// The file, as curl must name it (relative to the working directory).
        path: PathBuf,
        /// Its bytes.
        bytes: Arc<[u8]>,
        /// The `filename` sent (the file's name unless the step gives another).
        filename: String,
        /// `Content-Type` of the part (guessed from the extension unless given).
        content_type: String,
    },
}

impl RequestBody {
    /// Returns the body as a report shows it: the text sent, or for bytes
    /// that are not UTF-8 a note of their size and source.
    #[must_use]
    pub fn to_text(&self) -> String {
        match self {
            RequestBody::Json(v) => v.to_string(),
            RequestBody::Form(fields) => url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields)
                .finish(),
            RequestBody::Raw(text) => text.clone(),
            RequestBody::File(file) => match std::str::from_utf8(&file.bytes) {
                Ok(text) => text.to_owned(),
                Err(_) => binary_note(file.bytes.len(), &file.path),
            },
            RequestBody::Multipart { boundary, parts } => multipart_text(boundary, parts),
        }
    }

    /// Returns the bytes that go on the wire.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            RequestBody::File(file) => file.bytes.to_vec(),
            RequestBody::Multipart { boundary, parts } => multipart_bytes(boundary, parts),
            other => other.to_text().into_bytes(),
        }
    }

    /// Returns the content type the body implies, if any.
    pub(super) fn content_type(&self) -> Option<String> {
        match self {
            RequestBody::Json(_) => Some("application/json".to_owned()),
            RequestBody::Form(_) => Some("application/x-www-form-urlencoded".to_owned()),
            RequestBody::Raw(_) => None,
            RequestBody::File(file) => file.content_type.clone(),
            RequestBody::Multipart { boundary, .. } => {
                Some(format!("multipart/form-data; boundary={boundary}"))
            }
        }
    }
}

/// Returns a fresh multipart boundary: 24 random hex digits after dashes,
/// which no part's text is likely to contain (and which is checked anyway).
#[must_use]
pub fn new_boundary() -> String {
    let mut bytes = [0u8; 12];
    // A fixed boundary still works unless a part contains it; the check below catches that.
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("------------------------{hex}")
}

/// Tells whether `boundary` occurs in any part, which would cut it short.
#[must_use]
pub fn boundary_collides(boundary: &str, parts: &[Part]) -> bool {
    let needle = boundary.as_bytes();
    parts.iter().any(|part| {
        let bytes: &[u8] = match &part.content {
            PartContent::Text { value, .. } => value.as_bytes(),
            PartContent::File { bytes, .. } => bytes,
        };
        bytes.windows(needle.len().max(1)).any(|w| w == needle)
    })
}

/// Returns a part's headers, as browsers and curl write them: names and
/// file names quoted, with `"`, CR and LF percent-encoded (the HTML form
/// encoding RFC 7578 points to), other characters as UTF-8.
fn part_head(part: &Part) -> String {
    let escape = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    let mut head = format!("Content-Disposition: form-data; name=\"{}\"", escape(&part.name));
    match &part.content {
        PartContent::Text { content_type, .. } => {
            if let Some(content_type) = content_type {
                head.push_str(&format!("\r\nContent-Type: {content_type}"));
            }
        }
        PartContent::File {
            filename,
            content_type,
            ..
        } => head.push_str(&format!(
            "; filename=\"{}\"\r\nContent-Type: {content_type}",
            escape(filename)
        )),
    }
    head
}

fn multipart_bytes(boundary: &str, parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n{}\r\n\r\n", part_head(part)).as_bytes());
        match &part.content {
            PartContent::Text { value, .. } => out.extend_from_slice(value.as_bytes()),
            PartContent::File { bytes, .. } => out.extend_from_slice(bytes),
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// Shows a multipart body as sent, with binary file contents replaced by a note.
fn multipart_text(boundary: &str, parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push_str(&format!("--{boundary}\r\n{}\r\n\r\n", part_head(part)));
        match &part.content {
            PartContent::Text { value, .. } => out.push_str(value),
            PartContent::File { bytes, path, .. } => match std::str::from_utf8(bytes) {
                Ok(text) => out.push_str(text),
                Err(_) => out.push_str(&binary_note(bytes.len(), path)),
            },
        }
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

fn binary_note(len: usize, path: &std::path::Path) -> String {
    format!("[{len} bytes from {}]", path.display())
}

/// Guesses a file part's content type from its extension, as curl does;
/// `application/octet-stream` when unknown.
#[must_use]
pub fn guess_content_type(path: &std::path::Path) -> String {
    mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_part(name: &str, filename: &str, bytes: &[u8]) -> Part {
        Part {
            name: name.to_owned(),
            content: PartContent::File {
                path: PathBuf::from(format!("fixtures/{filename}")),
                bytes: Arc::from(bytes),
                filename: filename.to_owned(),
                content_type: guess_content_type(std::path::Path::new(filename)),
            },
        }
    }

    #[test]
    fn form_bodies_are_url_encoded() {
        let body = RequestBody::Form(vec![("a".into(), "1 2".into()), ("b".into(), "&".into())]);
        assert_eq!(body.to_text(), "a=1+2&b=%26");
    }

    #[test]
    fn multipart_follows_rfc_7578() {
        let parts = vec![
            Part {
                name: "title".into(),
                content: PartContent::Text {
                    value: "Q3 \"report\"".into(),
                    content_type: None,
                },
            },
            file_part("doc", "a\"b.pdf", b"%PDF-1.4\n\xff"),
        ];
        let body = RequestBody::Multipart {
            boundary: "XyZ".into(),
            parts,
        };
        assert_eq!(
            body.to_bytes(),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 \"report\"\r\n\
              --XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a%22b.pdf\"\r\n\
              Content-Type: application/pdf\r\n\r\n%PDF-1.4\n\xff\r\n--XyZ--\r\n"
                .to_vec()
        );
        assert!(
            body.to_text().contains("[10 bytes from fixtures/a\"b.pdf]"),
            "{}",
            body.to_text()
        );
        assert_eq!(body.content_type().unwrap(), "multipart/form-data; boundary=XyZ");
    }

    #[test]
    fn boundaries_are_fresh_and_checked() {
        assert_ne!(new_boundary(), new_boundary());
        let parts = vec![file_part("f", "x.txt", b"a --XyZ b")];
        assert!(boundary_collides("--XyZ", &parts));
        assert!(!boundary_collides(&new_boundary(), &parts));
    }

    #[test]
    fn json_null_is_a_body() {
        let body = RequestBody::Json(serde_json::Value::Null);
        assert_eq!(body.to_bytes(), b"null");
        assert_eq!(body.content_type().unwrap(), "application/json");
        assert_eq!(
            guess_content_type(std::path::Path::new("x.unknownext")),
            "application/octet-stream"
        );
    }
}
