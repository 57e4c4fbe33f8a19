//! Validates the JUnit reports of real runs against the Jenkins xunit
//! plugin's junit-10.xsd: passed, failed, errored, skipped (never started)
//! scenarios, a matrix, an invalid file and a merged report against both
//! published revisions; flaky and rerun-failed scenarios (`--retries`)
//! against the newer one, since the older predates those elements.
//!
//! Needs the schemas and a validator (xmlschema), which `bash .ci/report-consumers`
//! fetches from PyPI and then runs this test with; so it is ignored by a
//! plain `cargo test`.

mod support;

use std::path::{Path, PathBuf};

use support::mixed::{project, server};
use support::{RunToEnd, scenario};

/// The revision of junit-10.xsd that has `flakyFailure` and `rerunFailure`.
const NEWER: &str = "junit-10-ae25da5.xsd";

/// Returns the validator and the schema files `.ci/report-consumers` prepared.
fn validator() -> (PathBuf, Vec<PathBuf>) {
    let folder = std::env::var_os("SCENARIO_JUNIT_XSD").map(PathBuf::from).expect(
        "SCENARIO_JUNIT_XSD is not set: run `bash .ci/report-consumers`, which fetches the schemas and runs this test",
    );
    let python = folder.join("venv/bin/python");
    let schemas: Vec<PathBuf> = std::fs::read_dir(folder.join("xsd"))
        .expect("the schema folder .ci/report-consumers makes")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "xsd"))
        .collect();
    assert!(
        schemas.len() == 2 && schemas.iter().any(|s| s.ends_with(NEWER)),
        "expected both junit-10.xsd revisions, found {schemas:?}"
    );
    (python, schemas)
}

/// Asserts that `report` is valid against every schema (or only the newer
/// one), naming each problem.
fn assert_valid(report: &Path, only_newer: bool) {
    let (python, schemas) = validator();
    for schema in schemas.into_iter().filter(|s| !only_newer || s.ends_with(NEWER)) {
        let output = std::process::Command::new(&python)
            .args([
                "-c",
                "import sys, xmlschema\n\
                 schema = xmlschema.XMLSchema(sys.argv[1])\n\
                 errors = list(schema.iter_errors(sys.argv[2]))\n\
                 for error in errors: print(error.reason, 'at', error.path)\n\
                 sys.exit(1 if errors else 0)",
            ])
            .arg(&schema)
            .arg(report)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{} is not valid against {}:\n{}{}",
            report.display(),
            schema.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
#[ignore = "needs the JUnit schemas and xmlschema: run `bash .ci/report-consumers`"]
fn every_kind_of_result_is_valid_against_the_jenkins_schemas() {
    let (_served, url) = server();
    let dir = project();
    let run = |paths: &[&str], name: &str, extra: &[&str]| {
        scenario(dir.path())
            .arg("run")
            .args(paths)
            .args(["--target", &url])
            .args(extra)
            .args([
                "--junit",
                &format!("{name}.xml"),
                "--report-json",
                &format!("{name}.json"),
            ])
            .ran()
            .assert_code(1);
    };
    run(&[], "all", &["--retries", "1"]);
    run(
        &[
            "scenarios/a-pass.yaml",
            "scenarios/b-fail.yaml",
            "scenarios/c-error.yaml",
        ],
        "one",
        &[],
    );
    run(
        &[
            "scenarios/d-skip.yaml",
            "scenarios/e-flaky.yaml",
            "scenarios/f-always.yaml",
            "scenarios/g.v2.matrix.yaml",
        ],
        "two",
        &[],
    );
    run(&[], "fast", &["--fail-fast", "--jobs", "1"]);
    scenario(dir.path())
        .args(["report", "merge", "one.json", "two.json", "--junit", "merged.xml"])
        .ran()
        .assert_code(1);
    std::fs::write(
        dir.path().join("scenarios/h-invalid.yaml"),
        "name: Broken\nsteps:\n  - name: x\n    get: [\n",
    )
    .unwrap();
    scenario(dir.path())
        .args(["run", "--target", &url, "--junit", "invalid.xml"])
        .ran()
        .assert_code(2);

    let all = std::fs::read_to_string(dir.path().join("all.xml")).unwrap();
    for element in ["<failure", "<error", "<flakyFailure", "<rerunFailure"] {
        assert!(all.contains(element), "the full run has no {element}:\n{all}");
    }
    let fast = std::fs::read_to_string(dir.path().join("fast.xml")).unwrap();
    assert!(
        fast.contains("<skipped message=\"not started: --fail-fast"),
        "{fast}"
    );
    assert!(all.contains(r#"classname="scenarios/g_v2_matrix""#), "{all}");
    assert_valid(&dir.path().join("all.xml"), true);
    for name in ["one", "two", "fast", "merged", "invalid"] {
        assert_valid(&dir.path().join(format!("{name}.xml")), false);
    }
}
