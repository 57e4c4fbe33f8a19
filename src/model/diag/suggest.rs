//! Helps messages name things: the closest known name to a typo, and a list
//! of names quoted for a message.
//!
//! Must not word whole messages or know the scenario format.

/// Returns the closest candidate to `name`, if one is close enough to be a typo.
#[must_use]
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let lower = candidate.to_lowercase();
        let score = if lower == wanted {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&wanted, &lower)
        };
        // 0.7 accepts one typo in a five-letter word and rejects unrelated short names.
        if score >= 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Joins names as "`a`, `b`, `c`" for messages.
#[must_use]
pub fn quote_list<'a, I>(names: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["name", "capture", "expect"];
        assert_eq!(did_you_mean("captur", keys), Some("capture"));
        assert_eq!(did_you_mean("NAME", keys), Some("name"));
        assert_eq!(did_you_mean("zzz", keys), None);
        assert_eq!(did_you_mean("tokn", ["token", "sid"]), Some("token"));
        assert_eq!(did_you_mean("a", ["b"]), None);
    }
}
