//! Drives mistyped invocations: an unknown subcommand exits 2 with a tip
//! naming the one meant, at the level it was typed, and none when nothing
//! is close; `--help` says what `--jobs` defaults to.

mod support;

use support::{RunToEnd, scenario};

#[test]
fn a_mistyped_subcommand_gets_a_tip_at_its_level() {
    let dir = tempfile::tempdir().unwrap();
    for (args, tip) in [
        (&["rn"][..], "a similar subcommand exists: 'run'"),
        (
            &["snapshots", "reveiw"][..],
            "a similar subcommand exists: 'review'",
        ),
        (&["state", "rest"][..], "a similar subcommand exists: 'reset'"),
    ] {
        let output = scenario(dir.path()).args(args).ran();
        output.assert_code(2);
        assert!(output.stderr.contains(tip), "{args:?}:\n{}", output.stderr);
    }
    let output = scenario(dir.path()).arg("deploy").ran();
    output.assert_code(2);
    assert!(!output.stderr.contains("tip:"), "{}", output.stderr);
}

#[test]
fn run_help_says_what_jobs_defaults_to() {
    let dir = tempfile::tempdir().unwrap();
    let output = scenario(dir.path()).args(["run", "--help"]).ran();
    output.assert_code(0);
    assert!(
        output.stdout.contains("[default: 4 per CPU core, from 4 to 32]"),
        "{}",
        output.stdout
    );
}
