//! Proves that a realistic valid scenario, using every feature of the format,
//! produces no diagnostics, and that the report hands `run` what it needs:
//! the runnable scenarios and the flows their `use:` steps run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scenario::model::resolve_use_path;
use scenario::validate::check_paths;

const SCENARIO: &str = r#"# yaml-language-server: $schema=../scenario.schema.json
name: Log in with MFA, search, and log out
description: Walks the documented session flow end to end.
tags: [mfa, totp, smoke]
vars:
  user: alice
  password: "{{ env('CIRCULARO_PASSWORD') }}"
  greeting: "hello {{ user }}"
  recovery_code: 012345
  page_size: 10
secrets: [password, token, totp_secret, session, recovery_code]
snapshot:
  redact: [$.requestId, "$.results[*].documentId"]
steps:
  - use: flows/password-login.yaml
    with: { name: "{{ user }}", password: "{{ password }}" }
    outputs: [token]
  - name: Unlock the token with the authenticator code
    if: "{{ token is defined }}"
    post: /login/unlock
    query: { token: "{{ token }}" }
    headers:
      X-Request-Id: "{{ uuid() }}"
      Accept: application/json
    json:
      factors:
        - factor: totp
          password: "{{ totp(totp_secret) }}"
      greeting: "{{ greeting | upper }}"
    timeout: 5s
    follow_redirects: false
    retry: { attempts: 3, interval: 200ms, backoff: 2, max_interval: 1s, deadline: 10s }
    expect:
      status: [200, 204]
      headers:
        content-type: { contains: json }
        x-request-id: { exists: true }
      body:
        $.isUnlocked: true
        $.factors[?@.factor == 'totp'].unlocked: [true]
        $.token: { type: string, length: { ">": 10 }, matches: '^[a-f0-9]+$' }
        $.user: "{{ user }}"
      subset: { isUnlocked: true }
      max_time: 2s
    capture:
      unlocked: $.isUnlocked
      session: { cookie: sid, secret: true }
      request_id: { header: x-request-id, regex: '^(\w+)-', group: 1 }
      status_code: { status: true }
      raw: { body: true, regex: 'token' }
      fallback: { jsonpath: $.missing, default: "{{ user }}" }
    snapshot: { redact: [$.token], include: [status, headers] }
  - name: Search with a form
    post: /search
    form: { q: "{{ greeting }}", token: "{{ token }}", size: "{{ page_size }}" }
    snapshot: true
  - name: Store a note
    put: /notes
    headers: { Content-Type: text/plain }
    body: "note by {{ user }} after {{ status_code }} ({{ request_id }})"
  - name: Patch the note
    patch: /notes/1
    json: { text: "{{ raw | length }}", unlocked: "{{ unlocked }}" }
  - name: Check the session
    get: /me
    query: { token: "{{ token }}", ids: [1, 2] }
    expect: { status: 2xx, body: { $.name: { equals: "{{ user }}" } } }
  - name: Probe
    head: /health
  - name: Preflight
    options: /search
  - name: Recover
    if: unlocked == false
    post: /login/recovery
    json: { code: "{{ recovery_code }}", fallback: "{{ fallback }}" }
finally:
  - name: Log out
    if: "{{ token is defined }}"
    get: /logout
    query: { token: "{{ token }}", session: "{{ session }}" }
  - name: Delete the note
    delete: /notes/1
    expect: { status: [200, 404] }
"#;

const FLOW: &str = r#"name: Password login
description: Logs in with a name and a password; hands back the token.
inputs:
  name:
    description: the account name
  password:
    description: the account password
    secret: true
  remember:
    default: false
outputs: [token]
steps:
  - name: Log in with a password
    post: /login
    json: { name: "{{ name }}", password: "{{ password }}", remember: "{{ remember }}" }
    expect:
      status: 200
      body: { $.token: { type: string } }
    capture:
      token: $.token
"#;

fn write_project(root: &Path) -> PathBuf {
    let scenarios = root.join("scenarios");
    std::fs::create_dir_all(scenarios.join("flows")).unwrap();
    std::fs::write(scenarios.join("login-mfa.yaml"), SCENARIO).unwrap();
    std::fs::write(scenarios.join("flows/password-login.yaml"), FLOW).unwrap();
    scenarios
}

#[test]
fn a_valid_scenario_using_every_feature_has_no_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = write_project(dir.path());
    let extra = BTreeSet::from(["totp_secret".to_owned()]);
    let report = check_paths(std::slice::from_ref(&scenarios), &extra);
    assert!(report.diagnostics.is_empty(), "{}", report.render_compact());
    assert!(!report.has_errors());
    assert_eq!(report.files, 2);
    assert_eq!(report.scenarios.len(), 1);
    assert_eq!(report.scenarios[0].scenario.steps.len(), 9);

    let using = scenarios.join("login-mfa.yaml");
    let flow = report
        .flow_for(&using, "flows/password-login.yaml")
        .expect("the used flow is in the report");
    assert!(flow.scenario.is_flow());
    assert_eq!(report.flows.len(), 1);
    assert!(
        report
            .flows
            .contains_key(&resolve_use_path(&using, "./flows/password-login.yaml"))
    );
}

#[test]
fn checking_one_file_pulls_in_its_flows() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = write_project(dir.path());
    let extra = BTreeSet::from(["totp_secret".to_owned()]);
    let report = check_paths(&[scenarios.join("login-mfa.yaml")], &extra);
    assert!(report.diagnostics.is_empty(), "{}", report.render_compact());
    assert_eq!(report.files, 2);
    assert_eq!(report.flows.len(), 1);
}

#[test]
fn caller_variables_are_in_scope_and_their_absence_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = write_project(dir.path());
    let report = check_paths(&[scenarios], &BTreeSet::new());
    let messages: Vec<_> = report.diagnostics.iter().map(|d| d.one_line()).collect();
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{messages:#?}");
    assert_eq!(errors[0].message, "undefined variable `totp_secret`");
    assert!(errors[0].help[0].contains("--var totp_secret="), "{messages:#?}");
    // The secret list names it too, and nothing defines it: that is worth a warning.
    assert_eq!(report.warning_count(), 1, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("warning: secret `totp_secret`")),
        "{messages:#?}"
    );
}
