//! Drives `run` at each `-v` level against a loopback server: the default
//! and `-v` show a failed step's request line and body excerpt, `-v` also
//! every passed step's request line; `-vv` adds a failed step's whole
//! exchange; `-vvv` every step's.

mod support;

use support::mixed::{project, server};
use support::{RunToEnd, scenario};

/// Returns what `run` printed for the passing and the failing file at `level`.
fn blocks(level: &[&str]) -> (String, String) {
    let (_served, url) = server();
    let dir = project();
    let output = scenario(dir.path())
        .args([
            "run",
            "scenarios/a-pass.yaml",
            "scenarios/b-fail.yaml",
            "--target",
            &url,
        ])
        .args(level)
        .ran();
    output.assert_code(1);
    let text = output.stdout;
    let failed = text
        .find("FAIL   Fails an expectation")
        .expect("the failing block");
    let passed = text.find("PASS   Lists items").expect("the passing block");
    assert!(passed < failed, "{text}");
    (text[passed..failed].to_owned(), text[failed..].to_owned())
}

#[test]
fn each_level_adds_what_it_says() {
    let (passed, failed) = blocks(&[]);
    assert!(!passed.contains("/api/ok ->"), "one line for a pass: {passed}");
    assert!(
        failed.contains("/api/ok -> 200") && !failed.contains("< content-type"),
        "{failed}"
    );

    let (passed, failed) = blocks(&["-v"]);
    assert!(
        passed.contains("GET http://") && !passed.contains("< ok"),
        "{passed}"
    );
    assert!(!failed.contains("< content-type"), "{failed}");

    let (passed, failed) = blocks(&["-vv"]);
    assert!(
        passed.contains("GET http://") && !passed.contains("< ok"),
        "{passed}"
    );
    assert!(
        failed.contains("< content-type") && failed.contains("< ok"),
        "{failed}"
    );

    let (passed, failed) = blocks(&["-vvv"]);
    assert!(
        passed.contains("< content-type") && passed.contains("< ok"),
        "{passed}"
    );
    assert!(failed.contains("< ok"), "{failed}");
}
