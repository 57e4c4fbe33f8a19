//! Drives mistyped invocations: an unknown subcommand exits 2 with a tip
//! naming the one meant, at the level it was typed, and none when nothing
//! is close; `--help` says what `--jobs` defaults to; the bash completion
//! script, loaded into a real bash, completes subcommands and flags.

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

/// Completes `words` (the last one partial) with the generated bash script, in bash.
fn bash_completes(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let array = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'; COMP_WORDS=({array}); COMP_CWORD={}; \
         _scenario scenario '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_bash_script_completes_subcommands_and_flags_in_bash() {
    let dir = tempfile::tempdir().unwrap();
    let output = scenario(dir.path()).args(["completions", "bash"]).ran();
    output.assert_code(0);
    let script = dir.path().join("scenario.bash");
    std::fs::write(&script, &output.stdout).unwrap();
    assert_eq!(bash_completes(&script, &["scenario", "ru"]), ["run"]);
    assert_eq!(
        bash_completes(&script, &["scenario", "run", "--report-j"]),
        ["--report-json"]
    );
    assert_eq!(
        bash_completes(&script, &["scenario", "snapshots", "rev"]),
        ["review"]
    );
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = scenario(dir.path()).args(["completions", shell]).ran();
        output.assert_code(0);
        assert!(
            output.stdout.contains("rerun-failed"),
            "{shell}: {}",
            output.stdout
        );
    }
    let output = scenario(dir.path()).args(["completions", "tcsh"]).ran();
    output.assert_code(2);
    assert!(output.stderr.contains("possible values"), "{}", output.stderr);
}
