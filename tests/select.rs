//! Drives `scenario list` (and `run`, where they must agree) in a project to
//! prove the selection flags: `--partition` shards are disjoint and cover the
//! suite, for `count` and `hash`, and a hash shard keeps its members when
//! files are added or when run from a subfolder; `--filter`, `--exclude-tag`,
//! tag expressions and `--file-filter` keep what they say; bad values and a
//! selection that matches nothing are usage errors; and `list --format json`
//! has the documented shape.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::{RunToEnd, scenario};

const CONFIG: &str = "default_env: local\nenvironments:\n  local:\n    mock: true\n";

/// Writes a scenario named `name` with `tags` and one request the mock answers 200.
fn write(dir: &Path, file: &str, name: &str, tags: &str, extra: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!(
        "name: {name}\ntags: {tags}\n{extra}steps:\n  - name: Ask the session\n    get: /login\n    expect: {{ status: 200 }}\n"
    );
    std::fs::write(path, text).unwrap();
}

/// Writes a project of 15 scenarios: four files, one a matrix of 12 pages, and a flow.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("scenario.yaml"), CONFIG).unwrap();
    write(root, "scenarios/login.yaml", "Login", "[smoke, auth]", "");
    write(
        root,
        "scenarios/mfa/email.yaml",
        "MFA by email",
        "[mfa, email]",
        "",
    );
    write(root, "scenarios/mfa/sms.yaml", "MFA by SMS", "[mfa, sms]", "");
    let pages: Vec<String> = (1..=12).map(|n| n.to_string()).collect();
    write(
        root,
        "scenarios/search.yaml",
        "Search",
        "[slow]",
        &format!("matrix:\n  page: [{}]\n", pages.join(", ")),
    );
    std::fs::create_dir_all(root.join("scenarios/flows")).unwrap();
    std::fs::write(
        root.join("scenarios/flows/ask.yaml"),
        "name: Ask\ninputs: { token: {} }\noutputs: [logged]\nsteps:\n  - get: /login\n    capture: { logged: $.logged }\n",
    )
    .unwrap();
    dir
}

/// Runs `list --format json` with `args` from `dir` and returns the whole listing.
fn listing(dir: &Path, args: &[&str]) -> Value {
    let ran = scenario(dir).args(["list", "--format", "json"]).args(args).ran();
    ran.assert_code(0);
    serde_json::from_str(&ran.stdout).unwrap_or_else(|e| panic!("{e}: {}", ran.stdout))
}

/// Returns the ids `list` selects with `args`, in order.
fn ids(dir: &Path, args: &[&str]) -> Vec<String> {
    listing(dir, args)["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Checks that `shards` are disjoint and together are `all`.
fn assert_partition(all: &[String], shards: &[Vec<String>]) {
    let mut seen = BTreeSet::new();
    for shard in shards {
        for id in shard {
            assert!(seen.insert(id.clone()), "{id} is in two shards: {shards:?}");
        }
    }
    assert_eq!(seen, all.iter().cloned().collect::<BTreeSet<_>>(), "{shards:?}");
}

#[test]
fn count_shards_deal_the_suite_round_robin() {
    let dir = project();
    let all = ids(dir.path(), &[]);
    assert_eq!(all.len(), 15, "{all:?}");
    let shards: Vec<Vec<String>> = (1..=4)
        .map(|k| ids(dir.path(), &["--partition", &format!("count:{k}/4")]))
        .collect();
    assert_partition(&all, &shards);
    for (k, shard) in shards.iter().enumerate() {
        let dealt: Vec<String> = all.iter().skip(k).step_by(4).cloned().collect();
        assert_eq!(shard, &dealt, "shard {}", k + 1);
    }
    // The partition applies after the other flags: the MFA pair splits in two.
    assert_eq!(
        ids(dir.path(), &["--tag", "mfa", "--partition", "count:2/2"]),
        ["MFA by SMS"]
    );
}

#[test]
fn hash_shards_cover_the_suite_and_keep_their_members_when_files_are_added() {
    let dir = project();
    let all = ids(dir.path(), &[]);
    let shard = |dir: &Path, k: u32| ids(dir, &["--partition", &format!("hash:{k}/3")]);
    let before: Vec<Vec<String>> = (1..=3).map(|k| shard(dir.path(), k)).collect();
    assert_partition(&all, &before);
    assert!(
        before.iter().all(|s| !s.is_empty()),
        "15 scenarios in 3 shards: {before:?}"
    );

    // From a subfolder the files are spelt differently, and the shards are the same.
    let deeper = dir.path().join("scenarios/mfa");
    for (k, members) in (1..=3).zip(&before) {
        assert_eq!(&shard(&deeper, k), members, "shard {k} from scenarios/mfa");
    }

    write(dir.path(), "scenarios/a-new.yaml", "Brand new", "[]", "");
    write(dir.path(), "scenarios/zz/later.yaml", "Later", "[]", "");
    let all_after = ids(dir.path(), &[]);
    let after: Vec<Vec<String>> = (1..=3).map(|k| shard(dir.path(), k)).collect();
    assert_partition(&all_after, &after);
    for (old, new) in before.iter().zip(&after) {
        let new: BTreeSet<&String> = new.iter().collect();
        assert!(old.iter().all(|id| new.contains(id)), "{old:?} moved: {new:?}");
    }
}

#[test]
fn each_flag_keeps_what_it_says_and_they_combine() {
    let dir = project();
    let d = dir.path();
    assert_eq!(ids(d, &["--tags", "mfa and not sms"]), ["MFA by email"]);
    assert_eq!(
        ids(d, &["--tag", "smoke", "--tag", "sms"]),
        ["Login", "MFA by SMS"]
    );
    assert_eq!(
        ids(d, &["--tag", "(mfa or auth) and not email"]),
        ["Login", "MFA by SMS"]
    );
    assert_eq!(
        ids(d, &["--exclude-tag", "slow", "--exclude-tag", "mfa"]),
        ["Login"]
    );
    assert_eq!(
        ids(d, &["--filter", r"^Search \[page=1[0-2]?\]$"]),
        [
            "Search [page=1]",
            "Search [page=10]",
            "Search [page=11]",
            "Search [page=12]"
        ],
        "the id carries the matrix combination"
    );
    assert_eq!(ids(d, &["--filter", "^MFA", "--filter", "^Log"]).len(), 3);
    assert_eq!(
        ids(d, &["--file-filter", "scenarios/mfa/*.yaml"]),
        ["MFA by email", "MFA by SMS"]
    );
    assert_eq!(
        ids(d, &["--file-filter", "scenarios/*.yaml"]).len(),
        13,
        "`*` stays in a folder"
    );
    assert_eq!(
        ids(&d.join("scenarios"), &["--file-filter", "**/sms.yaml"]),
        ["MFA by SMS"],
        "globs match the file as seen from the current folder"
    );
    assert_eq!(
        ids(
            d,
            &["--file-filter", "scenarios/**", "--tag", "mfa", "--filter", "SMS"]
        ),
        ["MFA by SMS"]
    );
}

#[test]
fn bad_values_and_a_selection_matching_nothing_are_usage_errors() {
    let dir = project();
    for (args, says) in [
        (&["--filter", "("][..], "--filter `(` is not a valid regex"),
        (
            &["--tags", "mfa and not"],
            "--tag `mfa and not`: expected a tag after `not` at column 9",
        ),
        (
            &["--tag", "a b"],
            "expected `and` or `or` before the tag `b` at column 3",
        ),
        (&["--partition", "3"], "expected count:K/N or hash:K/N"),
        (&["--partition", "count:5/4"], "names shard 5 of 4"),
        (
            &["--file-filter", "scenarios/[a"],
            "--file-filter `scenarios/[a` is not a valid glob",
        ),
    ] {
        for command in ["list", "run"] {
            let ran = scenario(dir.path()).arg(command).args(args).ran();
            ran.assert_code(2);
            assert!(ran.stderr.contains(says), "{command} {args:?}: {}", ran.stderr);
        }
    }
    let nothing = "no scenario matches --tag `nosuch` (of the 15 found)";
    for command in ["list", "run"] {
        let ran = scenario(dir.path()).args([command, "--tag", "nosuch"]).ran();
        ran.assert_code(2);
        assert!(ran.stderr.contains(nothing), "{command}: {}", ran.stderr);
    }
}

#[test]
fn an_empty_shard_is_nothing_to_run_not_a_failure() {
    let dir = project();
    let ran = scenario(dir.path())
        .args(["run", "--tag", "auth", "--partition", "count:2/2"])
        .ran();
    ran.assert_code(0);
    assert!(
        ran.stdout
            .contains("Nothing to run: --partition count:2/2 leaves none of the 1 selected"),
        "{}",
        ran.stdout
    );
    assert!(ids(dir.path(), &["--tag", "auth", "--partition", "count:2/2"]).is_empty());
}

#[test]
fn list_json_has_scenarios_with_their_case_and_flows_apart() {
    let dir = project();
    let listing = listing(dir.path(), &["--filter", r"page=2\]|^Login$"]);
    let scenarios = listing["scenarios"].as_array().unwrap();
    assert_eq!(
        scenarios[0],
        serde_json::json!({
            "id": "Login",
            "name": "Login",
            "file": "scenarios/login.yaml",
            "tags": ["smoke", "auth"],
            "steps": ["Ask the session"],
            "finally": [],
        })
    );
    assert_eq!(scenarios[1]["id"], "Search [page=2]");
    assert_eq!(scenarios[1]["name"], "Search");
    assert_eq!(scenarios[1]["case"], serde_json::json!({ "page": 2 }));
    assert_eq!(
        listing["flows"],
        serde_json::json!([{
            "name": "Ask",
            "file": "scenarios/flows/ask.yaml",
            "inputs": ["token"],
            "outputs": ["logged"],
        }])
    );
    // The text format lists the same selection.
    let text = scenario(dir.path())
        .args(["list", "--filter", r"page=2\]|^Login$"])
        .ran();
    text.assert_code(0);
    assert!(
        text.stdout.starts_with(
            "Login [smoke, auth]  (scenarios/login.yaml)\n  - Ask the session\nSearch [page=2] [slow]  (scenarios/search.yaml)\n"
        ),
        "{}",
        text.stdout
    );
}
