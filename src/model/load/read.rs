//! Reads one scenario file as text within its limits: a size cap, binary
//! data refused, UTF-8 required (the byte-order mark dropped), each refusal a
//! located diagnostic.
//!
//! Must not parse the text (that is `parse`) and must not print.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;

/// Refuses files larger than this: scenario files are small, and a huge file
/// is almost certainly not one.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Explains why a file's text could not be read.
#[derive(Debug)]
pub(super) struct ReadFailure {
    /// Says what went wrong, at the place it did.
    pub(super) diagnostic: Box<Diagnostic>,
    /// A lossy copy of the text, to quote the offending line (none for binary data).
    pub(super) lossy: Option<Arc<str>>,
}

/// Reads a file as UTF-8 text.
pub(super) fn read_text(file: &Arc<PathBuf>) -> Result<Arc<str>, ReadFailure> {
    let whole_file = || SourceLocation::file_only(file);
    let fail = |d: Diagnostic| ReadFailure {
        diagnostic: Box::new(d),
        lossy: None,
    };
    let size = std::fs::metadata(file.as_path())
        .map_err(|e| {
            fail(
                Diagnostic::error(format!("could not read the file: {}", e.kind()), whole_file())
                    .with_help("check that the file exists and is readable"),
            )
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            Diagnostic::error(
                format!("the file is too large for a scenario ({size} bytes, limit {MAX_FILE_BYTES})"),
                whole_file(),
            )
            .with_help("split it into smaller scenario files"),
        ));
    }
    let bytes = std::fs::read(file.as_path()).map_err(|e| {
        fail(
            Diagnostic::error(format!("could not read the file: {}", e.kind()), whole_file())
                .with_help("check that the file exists and is readable"),
        )
    })?;
    text_of(file, bytes)
}

/// Turns raw bytes into text, refusing binary data and invalid UTF-8 with a
/// located diagnostic.
fn text_of(file: &Arc<PathBuf>, bytes: Vec<u8>) -> Result<Arc<str>, ReadFailure> {
    if looks_binary(&bytes) {
        return Err(ReadFailure {
            diagnostic: Box::new(
                Diagnostic::error(
                    "this is a binary file, not YAML text",
                    SourceLocation::file_only(file),
                )
                .with_help("scenario files are UTF-8 text; remove this file or give the right path"),
            ),
            lossy: None,
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A byte-order mark is invisible in editors; dropping it keeps columns right.
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(Arc::from(text))
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() as u64 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).into_owned());
            let diagnostic = Diagnostic::error(
                format!("the file is not valid UTF-8 (byte 0x{:02x})", bytes[valid]),
                SourceLocation {
                    file: Arc::clone(file),
                    line,
                    column,
                },
            )
            .with_span_len(1)
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8");
            Err(ReadFailure {
                diagnostic: Box::new(diagnostic),
                lossy: Some(lossy),
            })
        }
    }
}

/// Tells binary data from text: NUL bytes or many control characters near the
/// start (YAML text has only tabs and line breaks).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::file;
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_diagnostics() {
        let f = file();
        let failure = text_of(&f, vec![0x7f, b'E', b'L', b'F', 0, 0, 1]).unwrap_err();
        assert!(
            failure.diagnostic.message.contains("binary"),
            "{}",
            failure.diagnostic.message
        );
        assert!(failure.lossy.is_none());
        let failure = text_of(&f, b"name: x\nsteps: [\xff]\n".to_vec()).unwrap_err();
        let d = &failure.diagnostic;
        assert_eq!((d.location.line, d.location.column), (2, 9));
        assert!(d.message.contains("0xff"), "{}", d.message);
        assert!(failure.lossy.is_some());
        assert_eq!(
            &*text_of(&f, "\u{feff}name: x".as_bytes().to_vec()).unwrap(),
            "name: x"
        );
    }
}
