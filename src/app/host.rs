//! Owns the name of the machine a run says it ran on (the `hostname` of the
//! JUnit suites and the JSON report).
//!
//! Must not fail a run: a name the system will not give is left out.

/// Returns this machine's host name, if the system gives a non-empty one.
pub(super) fn hostname() -> Option<String> {
    named(gethostname::gethostname())
}

/// Keeps a name that is not empty, lossily made UTF-8.
fn named(raw: std::ffi::OsString) -> Option<String> {
    let name = raw.to_string_lossy().trim().to_owned();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_names_are_left_out() {
        assert_eq!(named("".into()), None);
        assert_eq!(named(" \n".into()), None);
        assert_eq!(named("ci-runner-7".into()).as_deref(), Some("ci-runner-7"));
    }
}
