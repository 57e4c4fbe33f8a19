//! Drives the snapshot store through the library: modes, pending files,
//! accept/reject/review, and compatibility with insta's own reader.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use insta::Snapshot;
use scenario::snapshot::{
    PendingSnapshot, SnapshotError, SnapshotMode, SnapshotRecord, SnapshotStatus, SnapshotStore, accept,
    format_json_body, pending, reject, request_info, review, snapshot_name, unreferenced,
};
use serde_json::json;

fn record(name: &str, body: &serde_json::Value) -> SnapshotRecord {
    SnapshotRecord {
        name: name.to_owned(),
        source: "scenarios/login.yaml".to_owned(),
        description: format!("Login / {name}"),
        info: request_info("POST", "/login", 200),
        body: format_json_body(body),
    }
}

fn store(root: &Path, mode: SnapshotMode, ci: bool) -> SnapshotStore {
    SnapshotStore::new(root.to_path_buf(), mode, ci)
}

/// Returns the file names in `dir`, sorted; an absent folder lists nothing.
fn files(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Loads `path` with insta and returns (contents, description, source, info).
fn insta_view(path: &Path) -> (String, Option<String>, Option<String>, serde_json::Value) {
    let snap = Snapshot::from_file(path).unwrap_or_else(|e| panic!("insta rejects {}: {e}", path.display()));
    let meta = snap.metadata();
    let info = meta
        .private_info()
        .map(|info| serde_json::to_value(info).unwrap())
        .unwrap_or_default();
    (
        snap.as_text().expect("a text snapshot").to_string(),
        meta.description().map(str::to_owned),
        meta.source().map(str::to_owned),
        info,
    )
}

/// Asserts insta would write `path` byte for byte as we did.
fn assert_insta_rewrites_identically(path: &Path) {
    let snap = Snapshot::from_file(path).unwrap();
    let copy = path.with_extension("insta-copy");
    snap.save(&copy).unwrap();
    assert_eq!(
        fs::read_to_string(&copy).unwrap(),
        fs::read_to_string(path).unwrap()
    );
    fs::remove_file(copy).unwrap();
}

#[test]
fn new_snapshot_fails_and_writes_a_pending_file_insta_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshots");
    let rec = record("login__post-login", &json!({"token": "[token]", "ok": true}));

    let report = store(&root, SnapshotMode::Check, false).check(&rec).unwrap();

    assert_eq!(report.status, SnapshotStatus::New);
    assert_eq!(report.path, root.join("login__post-login.snap"));
    let pending_path = root.join("login__post-login.snap.new");
    assert_eq!(report.pending.as_deref(), Some(pending_path.as_path()));
    assert_eq!(report.diff, None);
    assert_eq!(files(&root), ["login__post-login.snap.new"]);

    let (contents, description, source, info) = insta_view(&pending_path);
    assert_eq!(contents, "{\n  \"ok\": true,\n  \"token\": \"[token]\"\n}");
    assert_eq!(description.as_deref(), Some("Login / login__post-login"));
    assert_eq!(source.as_deref(), Some("scenarios/login.yaml"));
    assert_eq!(info, json!({"method": "POST", "path": "/login", "status": 200}));
    assert_insta_rewrites_identically(&pending_path);
}

#[test]
fn matching_snapshot_passes_and_ignores_trailing_whitespace_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let rec = record("s__a", &json!({"a": 1}));
    store(dir.path(), SnapshotMode::Update, false)
        .check(&rec)
        .unwrap();
    let stored = fs::read_to_string(dir.path().join("s__a.snap")).unwrap();
    fs::write(
        dir.path().join("s__a.snap"),
        stored.replace('\n', "\r\n") + "\r\n  \r\n",
    )
    .unwrap();

    let mut crlf = rec.clone();
    crlf.body = rec.body.replace('\n', "\r\n") + "\n\n";
    crlf.description = "a header change does not matter".to_owned();
    let report = store(dir.path(), SnapshotMode::Check, false)
        .check(&crlf)
        .unwrap();

    assert_eq!(report.status, SnapshotStatus::Matched);
    assert_eq!((report.pending, report.diff), (None, None));
    assert_eq!(files(dir.path()), ["s__a.snap"]);
}

#[test]
fn mismatch_fails_with_a_diff_and_keeps_the_stored_file() {
    let dir = tempfile::tempdir().unwrap();
    store(dir.path(), SnapshotMode::Update, false)
        .check(&record("s__a", &json!({"count": 2, "name": "x"})))
        .unwrap();
    let before = fs::read_to_string(dir.path().join("s__a.snap")).unwrap();

    let report = store(dir.path(), SnapshotMode::Check, false)
        .check(&record("s__a", &json!({"count": 3, "name": "x"})))
        .unwrap();

    assert_eq!(report.status, SnapshotStatus::Mismatched);
    assert_eq!(
        report.diff.as_deref(),
        Some(
            "--- stored\n+++ new\n@@ -1,4 +1,4 @@\n {\n-  \"count\": 2,\n+  \"count\": 3,\n   \"name\": \"x\"\n }\n"
        )
    );
    assert_eq!(report.pending, Some(dir.path().join("s__a.snap.new")));
    assert_eq!(fs::read_to_string(dir.path().join("s__a.snap")).unwrap(), before);
    let (contents, ..) = insta_view(&dir.path().join("s__a.snap.new"));
    assert!(contents.contains("\"count\": 3"));
}

#[test]
fn update_writes_snapshots_removes_stale_pending_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("created/on/demand");
    let check = store(&root, SnapshotMode::Check, false);
    let update = store(&root, SnapshotMode::Update, true);
    check.check(&record("s__a", &json!({"v": 1}))).unwrap();
    assert_eq!(files(&root), ["s__a.snap.new"]);

    let first = update.check(&record("s__a", &json!({"v": 1}))).unwrap();
    assert_eq!(first.status, SnapshotStatus::Updated);
    assert_eq!(first.pending, None);
    assert_eq!(files(&root), ["s__a.snap"]);
    let (contents, ..) = insta_view(&root.join("s__a.snap"));
    assert_eq!(contents, "{\n  \"v\": 1\n}");
    assert_insta_rewrites_identically(&root.join("s__a.snap"));
    let loaded = Snapshot::from_file(&root.join("s__a.snap")).unwrap();
    assert_eq!((loaded.module_name(), loaded.snapshot_name()), ("s", Some("a")));

    let again = update.check(&record("s__a", &json!({"v": 1}))).unwrap();
    assert_eq!(again.status, SnapshotStatus::Matched);

    let changed = update.check(&record("s__a", &json!({"v": 2}))).unwrap();
    assert_eq!(changed.status, SnapshotStatus::Updated);
    assert_eq!(insta_view(&root.join("s__a.snap")).0, "{\n  \"v\": 2\n}");
    assert_eq!(files(&root), ["s__a.snap"]);
}

#[test]
fn ci_mode_fails_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshots");
    let ci = store(&root, SnapshotMode::Check, true);

    let new = ci.check(&record("s__a", &json!(1))).unwrap();
    assert_eq!((new.status, new.pending), (SnapshotStatus::New, None));
    assert!(!root.exists(), "CI must not even create the folder");

    store(&root, SnapshotMode::Update, false)
        .check(&record("s__a", &json!(1)))
        .unwrap();
    fs::write(root.join("s__a.snap.new"), "stale").unwrap();
    let mismatch = ci.check(&record("s__a", &json!(2))).unwrap();
    assert_eq!(mismatch.status, SnapshotStatus::Mismatched);
    assert_eq!(mismatch.pending, None);
    assert!(mismatch.diff.is_some());
    let matched = ci.check(&record("s__a", &json!(1))).unwrap();
    assert_eq!(matched.status, SnapshotStatus::Matched);
    assert_eq!(fs::read_to_string(root.join("s__a.snap.new")).unwrap(), "stale");
}

#[test]
fn no_mode_never_writes_or_removes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshots");
    let no = store(&root, SnapshotMode::No, false);

    assert_eq!(
        no.check(&record("s__a", &json!(1))).unwrap().status,
        SnapshotStatus::New
    );
    assert!(!root.exists());

    store(&root, SnapshotMode::Update, false)
        .check(&record("s__a", &json!(1)))
        .unwrap();
    fs::write(root.join("s__a.snap.new"), "stale").unwrap();
    let mismatch = no.check(&record("s__a", &json!(2))).unwrap();
    assert_eq!(
        (mismatch.status, mismatch.pending),
        (SnapshotStatus::Mismatched, None)
    );
    assert_eq!(
        no.check(&record("s__a", &json!(1))).unwrap().status,
        SnapshotStatus::Matched
    );
    assert_eq!(files(&root), ["s__a.snap", "s__a.snap.new"]);
    assert_eq!(fs::read_to_string(root.join("s__a.snap.new")).unwrap(), "stale");
}

#[test]
fn a_match_removes_a_stale_pending_file() {
    let dir = tempfile::tempdir().unwrap();
    let check = store(dir.path(), SnapshotMode::Check, false);
    store(dir.path(), SnapshotMode::Update, false)
        .check(&record("s__a", &json!(1)))
        .unwrap();
    check.check(&record("s__a", &json!(2))).unwrap();
    assert_eq!(files(dir.path()), ["s__a.snap", "s__a.snap.new"]);

    let report = check.check(&record("s__a", &json!(1))).unwrap();
    assert_eq!(report.status, SnapshotStatus::Matched);
    assert_eq!(files(dir.path()), ["s__a.snap"]);
}

#[test]
fn corrupt_stored_snapshot_is_an_error_except_when_updating() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("s__a.snap"),
        "---\nsource: [unclosed\n---\nbody\n",
    )
    .unwrap();
    let err = store(dir.path(), SnapshotMode::Check, false)
        .check(&record("s__a", &json!(1)))
        .unwrap_err();
    assert!(
        matches!(&err, SnapshotError::Malformed { path, .. } if path.ends_with("s__a.snap")),
        "{err}"
    );
    let fixed = store(dir.path(), SnapshotMode::Update, false)
        .check(&record("s__a", &json!(1)))
        .unwrap();
    assert_eq!(fixed.status, SnapshotStatus::Updated);
    insta_view(&dir.path().join("s__a.snap"));
}

#[test]
fn failed_writes_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the pending file should go makes the final rename fail.
    fs::create_dir(dir.path().join("s__a.snap.new")).unwrap();
    fs::write(dir.path().join("s__a.snap.new").join("keep"), "").unwrap();
    let err = store(dir.path(), SnapshotMode::Check, false)
        .check(&record("s__a", &json!(1)))
        .unwrap_err();
    assert!(matches!(err, SnapshotError::Io { action: "write", .. }), "{err}");
    assert_eq!(files(dir.path()), ["s__a.snap.new"]);

    let ok = tempfile::tempdir().unwrap();
    let check = store(ok.path(), SnapshotMode::Check, false);
    for i in 0..5 {
        check.check(&record(&format!("s__{i}"), &json!(i))).unwrap();
    }
    store(ok.path(), SnapshotMode::Update, false)
        .check(&record("s__0", &json!(0)))
        .unwrap();
    accept(ok.path(), Some("s__1")).unwrap();
    assert_eq!(
        files(ok.path()),
        [
            "s__0.snap",
            "s__1.snap",
            "s__2.snap.new",
            "s__3.snap.new",
            "s__4.snap.new"
        ]
    );
}

#[test]
fn rejects_names_that_would_leave_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let err = store(&dir.path().join("snapshots"), SnapshotMode::Update, false)
        .check(&record("../escape", &json!(1)))
        .unwrap_err();
    assert!(matches!(err, SnapshotError::InvalidName { .. }));
    assert!(files(dir.path()).is_empty());
}

/// Creates pending snapshots: `login__a` and `login__b` new, `other__c` changed.
fn three_pending(root: &Path) {
    store(root, SnapshotMode::Update, false)
        .check(&record("other__c", &json!({"v": "old"})))
        .unwrap();
    let check = store(root, SnapshotMode::Check, false);
    check.check(&record("login__a", &json!({"v": "a"}))).unwrap();
    check.check(&record("login__b", &json!({"v": "b"}))).unwrap();
    check.check(&record("other__c", &json!({"v": "new"}))).unwrap();
}

#[test]
fn pending_lists_new_and_changed_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    assert!(pending(&dir.path().join("missing")).unwrap().is_empty());
    three_pending(dir.path());
    let listed = pending(dir.path()).unwrap();
    let summary: Vec<(&str, bool)> = listed.iter().map(|p| (p.name.as_str(), p.stored)).collect();
    assert_eq!(
        summary,
        [("login__a", false), ("login__b", false), ("other__c", true)]
    );
    assert_eq!(
        listed[2],
        PendingSnapshot {
            name: "other__c".to_owned(),
            pending_path: dir.path().join("other__c.snap.new"),
            snapshot_path: dir.path().join("other__c.snap"),
            stored: true,
        }
    );
}

#[test]
fn accept_with_filter_moves_only_matching_files() {
    let dir = tempfile::tempdir().unwrap();
    three_pending(dir.path());
    let accepted = accept(dir.path(), Some("login")).unwrap();
    assert_eq!(
        accepted,
        [dir.path().join("login__a.snap"), dir.path().join("login__b.snap")]
    );
    assert_eq!(
        files(dir.path()),
        [
            "login__a.snap",
            "login__b.snap",
            "other__c.snap",
            "other__c.snap.new"
        ]
    );
    for path in &accepted {
        assert_insta_rewrites_identically(path);
    }
    assert!(accept(dir.path(), Some("nothing-matches")).unwrap().is_empty());

    let all = accept(dir.path(), None).unwrap();
    assert_eq!(all, [dir.path().join("other__c.snap")]);
    assert_eq!(insta_view(&all[0]).0, "{\n  \"v\": \"new\"\n}");
    assert!(pending(dir.path()).unwrap().is_empty());
}

#[test]
fn reject_with_filter_deletes_only_matching_pending_files() {
    let dir = tempfile::tempdir().unwrap();
    three_pending(dir.path());
    let rejected = reject(dir.path(), Some("__c")).unwrap();
    assert_eq!(rejected, [dir.path().join("other__c.snap.new")]);
    assert_eq!(
        insta_view(&dir.path().join("other__c.snap")).0,
        "{\n  \"v\": \"old\"\n}"
    );

    let rest = reject(dir.path(), None).unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(files(dir.path()), ["other__c.snap"]);
}

#[test]
fn review_accepts_rejects_and_skips_as_answered() {
    let dir = tempfile::tempdir().unwrap();
    three_pending(dir.path());
    let mut input: &[u8] = b"a\nwhat?\nr\ns\n";
    let mut out = Vec::new();

    let summary = review(dir.path(), &mut input, &mut out, false).unwrap();

    assert_eq!(summary.accepted, [dir.path().join("login__a.snap")]);
    assert_eq!(summary.rejected, [dir.path().join("login__b.snap.new")]);
    assert_eq!(summary.skipped, [dir.path().join("other__c.snap.new")]);
    assert!(summary.problems.is_empty());
    assert_eq!(
        files(dir.path()),
        ["login__a.snap", "other__c.snap", "other__c.snap.new"]
    );
    let transcript = String::from_utf8(out)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[root]")
        .replace('\\', "/");
    insta::assert_snapshot!(transcript, @r#"

    Snapshot [1/3] login__a
      file:        [root]/login__a.snap.new
      source:      scenarios/login.yaml
      description: Login / login__a
      info:
        method: POST
        path: /login
        status: 200

    New snapshot:
    +{
    +  "v": "a"
    +}

    [a]ccept, [r]eject, [s]kip, [q]uit? 
    Snapshot [2/3] login__b
      file:        [root]/login__b.snap.new
      source:      scenarios/login.yaml
      description: Login / login__b
      info:
        method: POST
        path: /login
        status: 200

    New snapshot:
    +{
    +  "v": "b"
    +}

    [a]ccept, [r]eject, [s]kip, [q]uit? Please answer a, r, s or q.
    [a]ccept, [r]eject, [s]kip, [q]uit? 
    Snapshot [3/3] other__c
      file:        [root]/other__c.snap.new
      source:      scenarios/login.yaml
      description: Login / other__c
      info:
        method: POST
        path: /login
        status: 200

    --- stored
    +++ new
    @@ -1,3 +1,3 @@
     {
    -  "v": "old"
    +  "v": "new"
     }

    [a]ccept, [r]eject, [s]kip, [q]uit? 
    Reviewed 3 pending snapshot(s): 1 accepted, 1 rejected, 1 skipped.
    "#);
}

#[test]
fn review_stops_on_quit_or_end_of_input_and_colours_on_request() {
    let dir = tempfile::tempdir().unwrap();
    three_pending(dir.path());
    let mut out = Vec::new();
    let summary = review(dir.path(), &mut &b"q\n"[..], &mut out, true).unwrap();
    assert_eq!(summary.skipped.len(), 3);
    assert!(summary.accepted.is_empty() && summary.rejected.is_empty());
    assert_eq!(pending(dir.path()).unwrap().len(), 3);
    assert!(String::from_utf8(out).unwrap().contains("\u{1b}[32m+{"));

    let summary = review(dir.path(), &mut &b"r\n"[..], &mut Vec::new(), false).unwrap();
    assert_eq!(summary.rejected.len(), 1);
    assert_eq!(summary.skipped.len(), 2);
}

#[test]
fn review_skips_unreadable_pending_files_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a__broken.snap.new"), "---\nno end\n").unwrap();
    store(dir.path(), SnapshotMode::Check, false)
        .check(&record("b__fine", &json!(1)))
        .unwrap();
    let summary = review(dir.path(), &mut &b"a\n"[..], &mut Vec::new(), false).unwrap();
    assert_eq!(summary.accepted, [dir.path().join("b__fine.snap")]);
    assert_eq!(summary.skipped, [dir.path().join("a__broken.snap.new")]);
    assert_eq!(summary.problems.len(), 1);
    assert!(summary.problems[0].contains("a__broken.snap.new"));
}

#[test]
fn unreferenced_lists_snapshots_no_step_produces() {
    let dir = tempfile::tempdir().unwrap();
    let update = store(dir.path(), SnapshotMode::Update, false);
    for name in ["login__a", "login__old", "gone__x"] {
        update.check(&record(name, &json!(1))).unwrap();
    }
    store(dir.path(), SnapshotMode::Check, false)
        .check(&record("fresh__y", &json!(1)))
        .unwrap();
    let produced: BTreeSet<String> = ["login__a", "fresh__y"].map(String::from).into();
    assert_eq!(
        unreferenced(dir.path(), &produced).unwrap(),
        [
            dir.path().join("gone__x.snap"),
            dir.path().join("login__old.snap")
        ]
    );
    assert!(
        unreferenced(&dir.path().join("missing"), &produced)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn unicode_and_special_characters_survive_the_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let descriptions = [
        "Přihlášení: \"admin\" # krok 2 / 'quotes'",
        "- starts like a list item",
        "true",
        "12",
        "",
        "tab\there, newline\nthere, backslash \\ and \u{1b}[31m escape",
        "emoji 🔐 and 日本語 ",
        "line\u{2028}separator\u{85}next",
    ];
    for (i, description) in descriptions.iter().enumerate() {
        let name = snapshot_name("přihlášení uživatele", description, i + 1);
        let rec = SnapshotRecord {
            name: name.clone(),
            source: "scenarios/dir with space/ünï #1.yaml".to_owned(),
            description: (*description).to_owned(),
            info: json!({"method": "GET", "path": "/api/v1/search?q=a:b&x=#y", "status": 200, "note": "yes"}),
            body: format_json_body(&json!({"text": description, "ключ": [1, "два"]})),
        };
        let report = store(dir.path(), SnapshotMode::Update, false)
            .check(&rec)
            .unwrap();
        assert_eq!(report.status, SnapshotStatus::Updated);
        let path: PathBuf = dir.path().join(format!("{name}.snap"));
        assert_eq!(report.path, path);
        let (contents, got_description, source, info) = insta_view(&path);
        let expected_description = Some(*description).filter(|d| !d.is_empty()).map(str::to_owned);
        assert_eq!(got_description, expected_description, "description of {name}");
        assert_eq!(source.as_deref(), Some("scenarios/dir with space/ünï #1.yaml"));
        assert_eq!(info["path"], "/api/v1/search?q=a:b&x=#y");
        assert_eq!(info["note"], "yes");
        assert_eq!(contents, rec.body);
        // insta leaves C1 controls and line separators unquoted; we quote them
        // so every YAML reader gets them back, so only there the bytes differ.
        if !description.contains(['\u{85}', '\u{2028}']) {
            assert_insta_rewrites_identically(&path);
        }
        let again = store(dir.path(), SnapshotMode::Check, false).check(&rec).unwrap();
        assert_eq!(again.status, SnapshotStatus::Matched, "{name}");
    }
    assert!(
        files(dir.path())
            .iter()
            .all(|f| f.starts_with("prihlaseni-uzivatele__") && f.ends_with(".snap")),
        "{:?}",
        files(dir.path())
    );
}
