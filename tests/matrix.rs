//! Drives data-driven scenarios through the binary against a local test
//! server: a matrix read from a CSV file runs once per row, each row its own
//! JUnit testcase, JSON scenario and snapshot; `repeat:` runs a scenario N
//! times; `check` validates every combination's variables and points at
//! the line of a broken matrix; and a flow used twice keeps both results
//! under the names its outputs are renamed to.

mod support;

use support::server::TestServer;
use support::{RunToEnd, read_json, scenario, sorted_names, statuses};

/// Writes `files` (path, text) into a fresh project folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Returns the `name` attributes of the JUnit report's testcases.
fn junit_testcases(xml: &str) -> Vec<String> {
    let testcase = regex::Regex::new(r#"<testcase name="([^"]*)""#).unwrap();
    testcase
        .captures_iter(xml)
        .map(|c| c[1].replace("&#91;", "[").replace("&#93;", "]"))
        .collect()
}

const ACCOUNTS_CSV: &str =
    "user,password,tier\nann,s3cret-pass,gold\nbob,s3cret-pass,silver\ncid,wrong-pass,gold\n";

const LOGIN_MATRIX: &str = r#"name: Login
secrets: [password]
matrix:
  rows: accounts.csv
steps:
  - name: Log in
    post: /login
    json: { name: "{{ user }}", password: "{{ password }}" }
    expect:
      status: 200
      body: { $.user.name: "{{ user }}" }
  - name: Echo the tier
    get: /echo
    query: { tier: "{{ tier }}" }
    snapshot: true
"#;

#[test]
fn a_csv_matrix_runs_one_testcase_per_row_with_its_own_snapshot() {
    let server = TestServer::start();
    let dir = project(&[
        ("scenarios/accounts.csv", ACCOUNTS_CSV),
        ("scenarios/login.yaml", LOGIN_MATRIX),
    ]);
    let output = scenario(dir.path())
        .args(["run", "--target", &server.api_url()])
        .args([
            "--snapshots",
            "update",
            "--junit",
            "out.xml",
            "--report-json",
            "out.json",
        ])
        .ran();
    // The row with the wrong password fails; the other two pass.
    output.assert_code(1);
    let stdout = &output.stdout;
    assert!(stdout.contains("Login [user=ann, tier=gold]"), "{stdout}");
    assert!(
        !stdout.contains("s3cret-pass"),
        "a secret column stays out of ids:\n{stdout}"
    );

    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert_eq!(
        junit_testcases(&xml),
        [
            "Login [user=ann, tier=gold]",
            "Login [user=bob, tier=silver]",
            "Login [user=cid, tier=gold]"
        ],
        "{xml}"
    );
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");

    let report = read_json(&dir.path().join("out.json"));
    assert_eq!(
        statuses(&report),
        [
            ("Login [user=ann, tier=gold]", "passed"),
            ("Login [user=bob, tier=silver]", "passed"),
            ("Login [user=cid, tier=gold]", "failed")
        ]
    );

    // Each combination keeps its own snapshot, named by its id.
    let snapshots = sorted_names(&dir.path().join("snapshots"));
    // The failed row stops at its login, so its snapshot step never runs.
    assert_eq!(snapshots.len(), 2, "{snapshots:?}");
    assert!(!snapshots.iter().any(|n| n.contains("cid")), "{snapshots:?}");
    assert!(
        snapshots
            .iter()
            .any(|n| n.contains("user-ann") && n.contains("gold")),
        "{snapshots:?}"
    );
    let bob = snapshots.iter().find(|n| n.contains("bob")).unwrap();
    let bob_text = std::fs::read_to_string(dir.path().join("snapshots").join(bob)).unwrap();
    assert!(bob_text.contains("silver"), "{bob_text}");

    // A second run checks each combination against its own snapshot.
    scenario(dir.path())
        .args(["run", "--target", &server.api_url(), "--filter", "user=(ann|bob)"])
        .ran()
        .assert_code(0);
}

#[test]
fn repeat_runs_a_scenario_that_many_times_each_its_own_test() {
    let server = TestServer::start();
    let dir = project(&[(
        "scenarios/counter.yaml",
        "name: Count\nrepeat: 3\nsteps:\n  - get: /echo\n    query: { n: \"n{{ repeat }}\" }\n    \
         expect: { body: { $.query.n: \"n{{ repeat }}\" } }\n",
    )]);
    let output = scenario(dir.path())
        .args(["run", "--target", &server.api_url(), "--junit", "out.xml"])
        .ran();
    output.assert_code(0);
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert_eq!(
        junit_testcases(&xml),
        ["Count [repeat=1]", "Count [repeat=2]", "Count [repeat=3]"]
    );
}

#[test]
fn check_validates_each_combination_and_points_at_a_broken_matrix() {
    let dir = project(&[
        ("scenarios/accounts.csv", "user,tier\nann,gold\nbob\n"),
        (
            "scenarios/rows.yaml",
            "name: Rows\nmatrix:\n  rows: accounts.csv\nsteps:\n  - get: /a\n",
        ),
        (
            "scenarios/typo.yaml",
            "name: Typo\nmatrix:\n  account: [sms, email]\nsteps:\n  - get: /a\n    query: { who: \"{{ acount }}\" }\n",
        ),
        (
            "scenarios/exclude.yaml",
            "name: Exclude\nmatrix:\n  account: [sms]\n  exclude:\n    - { account: sms }\nsteps:\n  - get: /a\n",
        ),
    ]);
    let output = scenario(dir.path()).arg("check").ran();
    output.assert_code(2);
    let shown = format!("{}{}", output.stdout, output.stderr);
    for expected in [
        "scenarios/rows.yaml:3:3",
        "line 3 has 1 fields but the first line names 2",
        "accounts.csv",
        "scenarios/typo.yaml:6:23",
        "acount",
        "scenarios/exclude.yaml:4:3",
        "`exclude` drops every combination",
    ] {
        assert!(shown.contains(expected), "missing `{expected}` in:\n{shown}");
    }
    assert!(shown.contains("did you mean `account`"), "{shown}");

    // Nothing is sent: a run of the same files stops before any request.
    let run = scenario(dir.path())
        .args(["run", "--target", "http://127.0.0.1:9/api"])
        .ran();
    run.assert_code(2);
}

#[test]
fn one_flow_used_twice_keeps_both_outputs_under_their_new_names() {
    let server = TestServer::start();
    let dir = project(&[
        (
            "scenarios/flows/echo.yaml",
            "name: Echo a name\ninputs:\n  who: {}\noutputs: [got]\nsteps:\n  - get: /echo\n    \
             query: { who: \"{{ who }}\" }\n    capture: { got: $.query.who }\n",
        ),
        (
            "scenarios/twice.yaml",
            "name: Twice\nsteps:\n  - use: flows/echo.yaml\n    with: { who: ann }\n    outputs: { got: first }\n  \
             - use: flows/echo.yaml\n    with: { who: bob }\n    outputs: { got: second }\n  \
             - get: /echo\n    query: { pair: \"{{ first }}+{{ second }}\" }\n    \
             expect: { body: { $.query.pair: ann+bob } }\n",
        ),
    ]);
    scenario(dir.path())
        .args(["check", "scenarios/twice.yaml"])
        .ran()
        .assert_code(0);
    let output = scenario(dir.path())
        .args(["run", "scenarios/twice.yaml", "--target", &server.api_url()])
        .ran();
    output.assert_code(0);

    // Renaming an output the flow does not have is told at its key.
    std::fs::write(
        dir.path().join("scenarios/twice.yaml"),
        "name: Twice\nsteps:\n  - use: flows/echo.yaml\n    with: { who: ann }\n    outputs: { gto: first }\n",
    )
    .unwrap();
    let output = scenario(dir.path()).args(["check", "scenarios/twice.yaml"]).ran();
    output.assert_code(2);
    let shown = format!("{}{}", output.stdout, output.stderr);
    assert!(
        shown.contains("scenarios/twice.yaml:5:16") && shown.contains("does not output `gto`"),
        "{shown}"
    );
}
