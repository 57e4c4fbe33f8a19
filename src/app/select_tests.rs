//! Tests the selection: each flag, their combination, the partition applied
//! last, the last run's record, and the messages of a selection that
//! leaves nothing.
//!
//! Test-only. Must not hold anything the selection itself uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;

fn loaded(file: &str, name: &str, tags: &[&str]) -> LoadedScenario {
    let file = Arc::new(PathBuf::from(file));
    let source = format!("name: {name}\ntags: [{}]\nsteps:\n  - get: /x\n", tags.join(", "));
    let scenario = crate::model::load::parse_scenario(&file, &source).unwrap();
    LoadedScenario {
        file,
        source: source.into(),
        scenario,
        case: None,
    }
}

fn suite() -> Vec<LoadedScenario> {
    vec![
        loaded("s/login.yaml", "Login", &["smoke"]),
        loaded("s/mfa/email.yaml", "MFA by email", &["mfa", "email"]),
        loaded("s/mfa/sms.yaml", "MFA by SMS", &["mfa", "sms"]),
        loaded("s/search.yaml", "Search", &["slow"]),
    ]
}

fn names(options: &SelectOptions) -> Result<Vec<String>, String> {
    let selection = Selection::parse(options).map_err(|e| e.to_string())?;
    match selection
        .apply(suite(), &Places::new(Path::new("")), None)
        .map_err(|e| e.to_string())?
    {
        Selected::Scenarios(kept) => Ok(kept.iter().map(LoadedScenario::id).collect()),
        Selected::Nothing(why) => Err(why),
    }
}

fn select(options: SelectOptions) -> Vec<String> {
    names(&options).unwrap()
}

#[test]
fn no_flag_keeps_everything_in_order() {
    assert_eq!(
        select(SelectOptions::default()),
        ["Login", "MFA by email", "MFA by SMS", "Search"]
    );
}

#[test]
fn every_kind_must_hold_and_values_of_one_kind_are_alternatives() {
    let tags = |t: &[&str]| SelectOptions {
        tags: t.iter().map(|s| (*s).to_owned()).collect(),
        ..SelectOptions::default()
    };
    assert_eq!(select(tags(&["mfa and not sms"])), ["MFA by email"]);
    assert_eq!(select(tags(&["smoke", "slow"])), ["Login", "Search"]);
    assert_eq!(
        select(SelectOptions {
            exclude_tags: vec!["mfa".into()],
            filters: vec!["^S".into(), "^L".into()],
            ..SelectOptions::default()
        }),
        ["Login", "Search"]
    );
    assert_eq!(
        select(SelectOptions {
            file_filters: vec!["s/mfa/*.yaml".into()],
            filters: vec!["SMS".into()],
            ..SelectOptions::default()
        }),
        ["MFA by SMS"]
    );
    assert_eq!(
        select(SelectOptions {
            file_filters: vec!["s/*.yaml".into()],
            ..SelectOptions::default()
        }),
        ["Login", "Search"],
        "`*` stays within a folder"
    );
    assert_eq!(
        select(SelectOptions {
            file_filters: vec!["**/sms.yaml".into()],
            ..SelectOptions::default()
        }),
        ["MFA by SMS"]
    );
}

#[test]
fn a_selection_that_matches_nothing_is_a_usage_error_naming_the_flags() {
    let err = names(&SelectOptions {
        tags: vec!["nosuch".into()],
        exclude_tags: vec!["x".into()],
        ..SelectOptions::default()
    })
    .unwrap_err();
    assert_eq!(
        err,
        "no scenario matches --tag `nosuch`, --exclude-tag `x` (of the 4 found)"
    );
}

#[test]
fn bad_values_name_their_flag() {
    let bad = |options: SelectOptions| Selection::parse(&options).unwrap_err().to_string();
    let err = bad(SelectOptions {
        filters: vec!["(".into()],
        ..SelectOptions::default()
    });
    assert!(err.starts_with("--filter `(` is not a valid regex"), "{err}");
    let err = bad(SelectOptions {
        tags: vec!["a and not".into()],
        ..SelectOptions::default()
    });
    assert_eq!(
        err,
        "--tag `a and not`: expected a tag after `not` at column 7, found the end"
    );
    let err = bad(SelectOptions {
        file_filters: vec!["s/[a.yaml".into()],
        ..SelectOptions::default()
    });
    assert!(
        err.starts_with("--file-filter `s/[a.yaml` is not a valid glob"),
        "{err}"
    );
    let err = bad(SelectOptions {
        partition: Some("1/2".into()),
        ..SelectOptions::default()
    });
    assert!(
        err.starts_with("--partition: ") && err.contains("hash:K/N"),
        "{err}"
    );
}

#[test]
fn partitions_apply_last_and_an_empty_shard_is_nothing_to_run() {
    let shard = |spec: &str| SelectOptions {
        exclude_tags: vec!["slow".into()],
        partition: Some(spec.into()),
        ..SelectOptions::default()
    };
    assert_eq!(select(shard("count:1/2")), ["Login", "MFA by SMS"]);
    assert_eq!(select(shard("count:2/2")), ["MFA by email"]);
    let err = names(&shard("count:4/4")).unwrap_err();
    assert!(err.starts_with("Nothing to run: --partition count:4/4"), "{err}");
    let mut all = Vec::new();
    for k in 1..=3 {
        all.extend(names(&shard(&format!("hash:{k}/3"))).unwrap_or_default());
    }
    all.sort();
    assert_eq!(all, ["Login", "MFA by SMS", "MFA by email"]);
}

#[test]
fn rerun_failed_keeps_what_the_record_names() {
    let selection = Selection::parse(&SelectOptions {
        rerun_failed: true,
        ..SelectOptions::default()
    })
    .unwrap();
    let places = Places::new(Path::new(""));
    let record = |pairs: &[(&str, &str)]| Rerun::Record {
        finished_at: "t".into(),
        scenarios: 4,
        not_passed: pairs
            .iter()
            .map(|(f, i)| ((*f).to_owned(), (*i).to_owned()))
            .collect::<BTreeSet<_>>(),
    };
    let rerun = record(&[("s/search.yaml", "Search"), ("s/login.yaml", "Elsewhere")]);
    let Selected::Scenarios(kept) = selection.apply(suite(), &places, Some(&rerun)).unwrap() else {
        panic!("nothing kept")
    };
    assert_eq!(
        kept.iter().map(LoadedScenario::id).collect::<Vec<_>>(),
        ["Search"]
    );
    for (rerun, says) in [
        (record(&[]), "all 4 scenario(s) of the last run (ended t) passed"),
        (record(&[("gone.yaml", "Gone")]), "none of the 1 scenario(s)"),
        (
            Rerun::NoRecord(PathBuf::from("st/last-run.json")),
            "recorded in st/last-run.json",
        ),
    ] {
        let Selected::Nothing(why) = selection.apply(suite(), &places, Some(&rerun)).unwrap() else {
            panic!("{says}")
        };
        assert!(
            why.starts_with("Nothing to re-run: ") && why.contains(says),
            "{why}"
        );
    }
}
