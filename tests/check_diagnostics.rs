//! Runs `scenario check`'s entry point over every broken fixture and
//! snapshots the rendered diagnostics (no colour, relative paths): one clear,
//! located error per problem, and never a panic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scenario::model::diag::RenderOptions;
use scenario::validate::{CheckReport, check_paths};

/// Lists the fixtures that hold several problems (or only a warning) on purpose.
const SEVERAL_PROBLEMS: &str = "several-semantic-problems.yaml";
const SEVERAL_SHAPE_PROBLEMS: &str = "several-shape-problems.yaml";
const WARNING_ONLY: &str = "misspelt-secret.yaml";

fn check(path: &Path) -> CheckReport {
    check_paths(&[path.to_path_buf()], &BTreeSet::new())
}

/// Returns the fixture path relative to the crate root (the test's working
/// directory), so snapshots do not depend on where the crate lives.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf()
}

/// Lists the broken fixtures, sorted, as paths relative to the crate root.
fn broken_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| relative(&path))
        .collect();
    files.sort();
    files
}

#[test]
fn every_broken_fixture_gets_clear_located_diagnostics() {
    let fixtures = broken_fixtures();
    assert!(fixtures.len() >= 24, "{fixtures:?}");
    for path in fixtures {
        let report = check(&path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        match name {
            SEVERAL_PROBLEMS => assert!(report.error_count() > 5, "{}", report.render_compact()),
            SEVERAL_SHAPE_PROBLEMS => assert_eq!(report.error_count(), 6, "{}", report.render_compact()),
            WARNING_ONLY => {
                assert!(!report.has_errors(), "{}", report.render_compact());
                assert_eq!(report.warning_count(), 1, "{}", report.render_compact());
            }
            _ => {
                assert_eq!(report.error_count(), 1, "{name}:\n{}", report.render_compact());
                assert_eq!(report.warning_count(), 0, "{name}:\n{}", report.render_compact());
            }
        }
        for diagnostic in &report.diagnostics {
            assert!(
                !diagnostic.help.is_empty(),
                "no help for: {}",
                diagnostic.one_line()
            );
            assert!(diagnostic.location.line > 0 || diagnostic.location.column == 0);
        }
        insta::assert_snapshot!(
            format!("broken__{}", name.trim_end_matches(".yaml")),
            report.render(RenderOptions::default())
        );
    }
}

#[test]
fn several_problems_are_all_reported_in_one_line_form_too() {
    let report = check(
        Path::new("tests/fixtures/broken")
            .join(SEVERAL_PROBLEMS)
            .as_path(),
    );
    insta::assert_snapshot!(report.render_compact());
}

#[test]
fn every_unknown_key_and_wrong_type_of_a_file_is_reported_in_one_run() {
    let report = check(
        Path::new("tests/fixtures/broken")
            .join(SEVERAL_SHAPE_PROBLEMS)
            .as_path(),
    );
    let found: Vec<(u64, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.location.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "unknown key `descripton` at the top of the scenario"),
            (
                7,
                "`timeout`: invalid duration `5` (time unit needed, for example 5sec or 5ms)"
            ),
            (9, "unknown key `stauts` in `expect`"),
            (11, "unknown key `jsonpth` in a capture"),
            (13, "`name`: expected a single value (a string)"),
            (15, "unknown key `heders` in a step"),
        ]
    );
}

#[test]
fn a_folder_of_broken_files_is_checked_in_one_run() {
    let report = check(Path::new("tests/fixtures/broken"));
    let files_with_problems: BTreeSet<_> = report
        .diagnostics
        .iter()
        .map(|d| d.location.file.clone())
        .collect();
    // Every fixture has a problem, except that the cycle of `flow-cycle.yaml` is
    // reported once, in the flow that closes it; the valid login flow has none.
    let fixtures = broken_fixtures().len();
    assert_eq!(files_with_problems.len(), fixtures, "{}", report.render_compact());
    assert!(
        files_with_problems
            .iter()
            .any(|f| f.ends_with("flows/cycle-b.yaml"))
    );
    assert!(report.has_errors());
    // Diagnostics come in file order, and by line within a file.
    let positions: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.location.file.clone(), d.location.line))
        .collect();
    for pair in positions.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(pair[0].1 <= pair[1].1, "{pair:?}");
        }
    }
}

/// Runs `f` on a thread with a 2 MiB stack, the size of Rust's test threads
/// and smaller than a default main thread, whatever `RUST_MIN_STACK` says.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let flow = dir.path().join("nested-brackets.yaml");
    let block = dir.path().join("nested-mappings.yaml");
    std::fs::write(
        &flow,
        format!(
            "name: Nested\nsteps: {}{}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    )
    .unwrap();
    let mut nested = String::from("name: Nested\nvars:\n");
    for depth in 1..=1_000 {
        nested.push_str(&" ".repeat(depth));
        nested.push_str("a:\n");
    }
    std::fs::write(&block, nested).unwrap();
    let shown = dir.path().display().to_string();
    let rendered = on_small_stack(move || {
        [flow, block]
            .iter()
            .map(|path| {
                let report = check(path);
                assert_eq!(report.error_count(), 1, "{}", report.render_compact());
                report.render(RenderOptions::default())
            })
            .collect::<Vec<_>>()
            .join("")
    });
    insta::assert_snapshot!(rendered.replace(&shown, "[tmp]"));
}

#[test]
fn literal_secret_values_are_not_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.yaml");
    std::fs::write(
        &file,
        "name: Secret\nsecrets: [password]\nvars: { password: hunter2-secret, greeting: \"{{ usr }}\" }\nsteps:\n  - get: /a\n",
    )
    .unwrap();
    let report = check(&file);
    assert_eq!(report.error_count(), 1, "{}", report.render_compact());
    let rendered = report.render(RenderOptions::default());
    assert!(!rendered.contains("hunter2-secret"), "{rendered}");
    assert!(rendered.contains("[secret:password]"), "{rendered}");
}

#[test]
fn missing_paths_and_empty_folders_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let report = check_paths(
        &[dir.path().join("nope.yaml"), dir.path().to_path_buf()],
        &BTreeSet::new(),
    );
    let messages: Vec<_> = report.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("no such file or folder"), "{messages:?}");
    assert!(messages[1].starts_with("no scenario files in"), "{messages:?}");
    assert_eq!(report.files, 0);
}
