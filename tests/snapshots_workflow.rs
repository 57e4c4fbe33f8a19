//! Drives the snapshot workflow through the binary: record, a changed field
//! fails with a readable diff and how to accept it, `snapshots accept` makes
//! it pass; `--snapshots update` lists what it rewrote; CI mode never writes
//! and says so; every committed `.snap` is one insta can read.

mod support;

use std::path::Path;

use scenario::mock::MockServer;
use support::{Ran, RunToEnd, root, run_blocking, scenario, sorted_names, stable};

/// Copies the scenarios and the project configuration into `dir`, so a test
/// can write snapshots without touching the repository.
fn project_copy(dir: &Path) {
    for entry in walkdir::WalkDir::new(root().join("scenarios"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(root()).unwrap();
        let target = dir.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    std::fs::copy(root().join("scenario.yaml"), dir.join("scenario.yaml")).unwrap();
}

async fn mock_with(seed_file: &str) -> MockServer {
    support::mock::start_with_seed(&root().join("tests/fixtures/circularo").join(seed_file)).await
}

/// Runs the password-login scenario against `mock` from `dir`, with `args`.
async fn run_login(dir: &Path, mock: &MockServer, ci: bool, args: &[&str]) -> Ran {
    let mut command = scenario(dir);
    command
        .args([
            "run",
            "scenarios/password-login.yaml",
            "--env",
            "local",
            "--target",
            &mock.base_url(),
        ])
        .args(["--var", &format!("mock_url={}", mock.root_url())])
        .args(args);
    if ci {
        command.env("CI", "true");
    }
    run_blocking(command).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_search_field_fails_with_a_diff_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    project_copy(dir.path());
    let snap = dir
        .path()
        .join("snapshots/password-login__search-documents-with-the-token.snap");

    let before = mock_with("changed-title-before.yaml").await;
    let recorded = run_login(dir.path(), &before, false, &["--snapshots", "update"]).await;
    assert_eq!(recorded.status.code(), Some(0), "{}", recorded.stdout);
    assert!(
        std::fs::read_to_string(&snap)
            .unwrap()
            .contains("Price list 2025")
    );
    before.shutdown().await;

    let after = mock_with("changed-title-after.yaml").await;
    let changed = run_login(dir.path(), &after, false, &[]).await;
    let stdout = changed.stdout;
    assert_eq!(changed.status.code(), Some(1), "{stdout}");
    insta::assert_snapshot!("changed_field_diff", stable(&stdout));
    assert!(
        snap.with_extension("snap.new").exists(),
        "a pending snapshot was written"
    );

    let accept = scenario(dir.path()).args(["snapshots", "accept"]).ran();
    assert_eq!(accept.status.code(), Some(0));
    assert!(accept.stdout.contains("1 snapshot(s) accepted"));
    assert!(
        std::fs::read_to_string(&snap)
            .unwrap()
            .contains("Price list 2026")
    );

    let passing = run_login(dir.path(), &after, false, &[]).await;
    assert_eq!(passing.status.code(), Some(0), "{}", passing.stdout);
    assert!(!snap.with_extension("snap.new").exists());
    after.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ci_mode_fails_on_a_change_but_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    project_copy(dir.path());
    let before = mock_with("changed-title-before.yaml").await;
    let updated = run_login(dir.path(), &before, false, &["--snapshots", "update"]).await;
    before.shutdown().await;
    assert!(
        updated.stdout.contains(
            "updated 1 snapshot:\n  snapshots/password-login__search-documents-with-the-token.snap\n"
        ),
        "update lists what it rewrote: {}",
        updated.stdout
    );
    let snapshots = dir.path().join("snapshots");
    let listing = || sorted_names(&snapshots);
    let files_before = listing();

    let after = mock_with("changed-title-after.yaml").await;
    let output = run_login(dir.path(), &after, true, &[]).await;
    after.shutdown().await;
    let stdout = &output.stdout;
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("Price list 2026"), "the diff is shown: {stdout}");
    assert_eq!(listing(), files_before, "CI mode wrote nothing");
    assert!(
        stdout.contains("nothing written (CI is set): to accept, run `scenario run --snapshots update`"),
        "and says so: {stdout}"
    );
    assert!(
        stdout.contains("1 snapshot new or changed, nothing written (CI is set)"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn review_accepts_rejects_and_skips_from_scripted_answers() {
    let dir = tempfile::tempdir().unwrap();
    project_copy(dir.path());
    let mock = mock_with("changed-title-before.yaml").await;
    // No stored snapshots: the run fails and leaves one pending file.
    let first = run_login(dir.path(), &mock, false, &[]).await;
    mock.shutdown().await;
    assert_eq!(first.status.code(), Some(1));
    let pending = scenario(dir.path()).args(["snapshots", "pending"]).ran();
    assert!(pending.stdout.contains("1 pending snapshot(s)"));
    let review = scenario(dir.path())
        .args(["snapshots", "review"])
        .write_stdin("a\n")
        .ran();
    let text = &review.stdout;
    assert_eq!(review.status.code(), Some(0), "{text}");
    assert!(text.contains("1 accepted, 0 rejected, 0 skipped"), "{text}");
}

#[test]
fn every_committed_snapshot_is_one_insta_reads() {
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("snapshots")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "snap") {
            let snapshot =
                insta::Snapshot::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                snapshot
                    .metadata()
                    .description()
                    .is_some_and(|d| d.contains(" / ")),
                "{}",
                path.display()
            );
            count += 1;
        }
    }
    assert!(count >= 3, "the documented flows' snapshots are committed");
}
