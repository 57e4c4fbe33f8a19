//! Owns `--partition`, which splits a selection into N shards for N CI
//! jobs, in nextest's syntax: `count:K/N` deals the selected scenarios
//! round-robin in their stable order; `hash:K/N` puts each in the shard its
//! SHA-256 of (project-relative file, NUL, id) names, so a scenario stays in
//! its shard when other files are added or removed.
//!
//! Must not select by anything else nor read files: the selection applies a
//! partition last, handing it each scenario's position, file and id.

use sha2::{Digest, Sha256};

/// The accepted forms, quoted in every error.
const FORMS: &str = "count:K/N or hash:K/N, with 1 <= K <= N (e.g. count:1/4)";

/// Tells how scenarios are dealt into shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scheme {
    /// Round-robin over the selection's order.
    Count,
    /// By a hash of file and id.
    Hash,
}

/// Holds a parsed `--partition`: which shard of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Partition {
    /// How scenarios are dealt.
    pub(super) scheme: Scheme,
    /// The shard kept, from 1.
    pub(super) shard: u64,
    /// How many shards there are.
    pub(super) total: u64,
}

/// Explains why a `--partition` value does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum PartitionError {
    /// Not `scheme:K/N` at all, or an unknown scheme.
    #[error("`{0}` is not a partition: expected {FORMS}")]
    Syntax(String),
    /// K or N out of range.
    #[error("`{0}` names shard {1} of {2}: expected {FORMS}")]
    Range(String, u64, u64),
}

impl Partition {
    /// Parses `count:K/N` or `hash:K/N`.
    ///
    /// # Errors
    /// Returns [`PartitionError`] quoting the accepted forms.
    pub(super) fn parse(text: &str) -> Result<Self, PartitionError> {
        let syntax = || PartitionError::Syntax(text.to_owned());
        let (scheme, shards) = text.split_once(':').ok_or_else(syntax)?;
        let scheme = match scheme {
            "count" => Scheme::Count,
            "hash" => Scheme::Hash,
            _ => return Err(syntax()),
        };
        let (shard, total) = shards.split_once('/').ok_or_else(syntax)?;
        let number = |s: &str| {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            s.parse::<u64>().map_err(|_| syntax())
        };
        let (shard, total) = (number(shard)?, number(total)?);
        if shard == 0 || shard > total {
            return Err(PartitionError::Range(text.to_owned(), shard, total));
        }
        Ok(Self { scheme, shard, total })
    }

    /// Tells whether the scenario at `position` (0-based, among those
    /// selected) belongs to this shard; `file` is relative to the project's
    /// folder with `/` separators.
    pub(super) fn keeps(&self, position: usize, file: &str, id: &str) -> bool {
        let shard = match self.scheme {
            Scheme::Count => u64::try_from(position).unwrap_or(u64::MAX) % self.total + 1,
            Scheme::Hash => hash_of(file, id) % self.total + 1,
        };
        shard == self.shard
    }
}

/// Returns the first 8 bytes, big-endian, of SHA-256 over the file, a NUL byte and the id.
pub(super) fn hash_of(file: &str, id: &str) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(file.as_bytes());
    hasher.update([0]);
    hasher.update(id.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_schemes() {
        assert_eq!(
            Partition::parse("count:2/3").unwrap(),
            Partition {
                scheme: Scheme::Count,
                shard: 2,
                total: 3
            }
        );
        assert_eq!(Partition::parse("hash:1/1").unwrap().scheme, Scheme::Hash);
    }

    #[test]
    fn refuses_anything_else_quoting_the_forms() {
        for bad in [
            "",
            "count",
            "count:",
            "count:1",
            "count:1/",
            "count:/2",
            "slice:1/2",
            "count:a/2",
            "count:+1/2",
            "count: 1/2",
            "COUNT:1/2",
            "count:1/2/3",
        ] {
            let err = Partition::parse(bad).unwrap_err().to_string();
            assert!(err.contains("count:K/N or hash:K/N"), "{bad}: {err}");
        }
        for (bad, k, n) in [("count:0/2", 0, 2), ("hash:3/2", 3, 2), ("count:1/0", 1, 0)] {
            assert_eq!(
                Partition::parse(bad).unwrap_err(),
                PartitionError::Range(bad.to_owned(), k, n)
            );
        }
    }

    #[test]
    fn count_deals_round_robin() {
        let shard = |k| Partition::parse(&format!("count:{k}/3")).unwrap();
        let kept: Vec<usize> = (0..7).filter(|&i| shard(2).keeps(i, "f", "x")).collect();
        assert_eq!(kept, [1, 4]);
        for i in 0..7 {
            assert_eq!((1..=3).filter(|&k| shard(k).keeps(i, "f", "x")).count(), 1);
        }
    }

    #[test]
    fn the_hash_is_sha256_of_file_nul_id() {
        // SHA-256("a.yaml\0Login") begins with these 8 bytes (computed with sha256sum).
        assert_eq!(hash_of("a.yaml", "Login"), 0x07ce_dab4_da27_fdbf);
        assert_ne!(hash_of("a.yaml", "Login"), hash_of("a.yamlL", "ogin"));
        let hash = Partition::parse("hash:1/2").unwrap();
        let expected = hash_of("a.yaml", "Login").is_multiple_of(2);
        assert_eq!(hash.keeps(0, "a.yaml", "Login"), expected);
        assert_eq!(
            hash.keeps(99, "a.yaml", "Login"),
            expected,
            "position does not matter"
        );
    }
}
