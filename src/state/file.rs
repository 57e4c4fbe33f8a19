//! Declares `state.json`, the one file of the state folder that changes: the
//! TOTP ledger and the marks of each pool, keyed by fingerprints. Plain data
//! with serde, plus the clock's format for its timestamps.
//!
//! Must not hold a secret in clear (only fingerprints, counts and times),
//! nor read or write files: the folder does.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// The format this version reads and writes.
pub(super) const FORMAT: u32 = 1;

/// Holds everything that outlives a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StateFile {
    /// The format version, so a later version can tell old files apart.
    pub(super) format: u32,
    /// The last TOTP time step used, by fingerprint of (secret, period).
    #[serde(default)]
    pub(super) totp: BTreeMap<String, TotpMark>,
    /// Marks by pool name, then by fingerprint of the value.
    #[serde(default)]
    pub(super) pools: BTreeMap<String, BTreeMap<String, PoolMark>>,
}

impl Default for StateFile {
    fn default() -> Self {
        Self {
            format: FORMAT,
            totp: BTreeMap::new(),
            pools: BTreeMap::new(),
        }
    }
}

/// Records the latest time step any run used for one TOTP secret and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TotpMark {
    /// The time step in seconds.
    pub(super) period: u64,
    /// The latest step whose code was handed out.
    pub(super) last_step: u64,
    /// When it was handed out (RFC 3339).
    pub(super) at: String,
}

/// Records what happened to one value of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase", deny_unknown_fields)]
pub(super) enum PoolMark {
    /// A running run holds it; it goes back to the pool if that run ends without sending it.
    Taken {
        /// The lease id of the run.
        run: String,
        /// When it was taken.
        at: String,
    },
    /// The server accepted it (a 2xx answer): never handed out again.
    Used {
        /// When the server accepted it.
        at: String,
    },
    /// The server refused it (a 4xx answer): most likely used elsewhere.
    Refused {
        /// When the server refused it.
        at: String,
        /// The status of the refusal.
        http_status: u16,
    },
}

/// Formats `time` as RFC 3339 in UTC, to the second.
pub(super) fn timestamp(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| seconds.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_as_tagged_objects() {
        let text = r#"{"format":1,"pools":{"codes":{"ab":{"status":"refused","at":"t","http_status":401},"cd":{"status":"taken","run":"r1","at":"t"}}}}"#;
        let file: StateFile = serde_json::from_str(text).unwrap();
        assert_eq!(
            file.pools["codes"]["ab"],
            PoolMark::Refused {
                at: "t".into(),
                http_status: 401
            }
        );
        assert!(file.totp.is_empty());
        let back = serde_json::to_string(&file).unwrap();
        assert_eq!(serde_json::from_str::<StateFile>(&back).unwrap(), file);
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(timestamp(at), "2023-11-14T22:13:20Z");
    }
}
