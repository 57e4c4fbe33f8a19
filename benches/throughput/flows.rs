//! Writes the benchmark's suites: N copies of the basic flow (POST /login
//! capturing the token, GET /login, POST /search, GET /logout, each with the
//! same assertions) as scenario YAML and, for Hurl, as `.hurl` files.
//!
//! Must not measure anything: the driver times what runs these files.

use std::fmt::Write as _;
use std::path::Path;

/// Requests one flow sends.
pub const REQUESTS_PER_FLOW: u64 = 4;

fn scenario_yaml(index: usize) -> String {
    format!(
        r##"name: Basic flow {index}
steps:
  - name: Log in
    post: /login
    json: {{ name: mary.griffin@circularo.com, password: "#32Password1!", returnToken: true }}
    expect:
      status: 200
      body:
        $.logged: true
        $.token: {{ type: string, matches: "^[A-Za-z0-9_-]+$" }}
    capture:
      token: $.token
  - name: Session status
    get: /login
    query: {{ token: "{{{{ token }}}}", returnToken: true }}
    expect:
      status: 200
      body:
        $.logged: true
        $.isUnlocked: true
        $.rights: {{ contains: use_document_management }}
  - name: Search
    post: /search
    query: {{ token: "{{{{ token }}}}" }}
    json: {{ from: 0, size: 10 }}
    expect:
      status: 200
      body:
        $.from: 0
        $.total: {{ type: integer, ">=": 0 }}
        $.results: {{ type: array }}
  - name: Log out
    get: /logout
    query: {{ token: "{{{{ token }}}}" }}
    expect:
      status: 200
"##
    )
}

fn hurl_file(base: &str) -> String {
    let mut text = String::new();
    let _ = write!(
        text,
        r##"POST {base}/login
{{"name":"mary.griffin@circularo.com","password":"#32Password1!","returnToken":true}}
HTTP 200
[Captures]
token: jsonpath "$.token"
[Asserts]
jsonpath "$.logged" == true
jsonpath "$.token" isString
jsonpath "$.token" matches "^[A-Za-z0-9_-]+$"

GET {base}/login
[Query]
token: {{{{token}}}}
returnToken: true
HTTP 200
[Asserts]
jsonpath "$.logged" == true
jsonpath "$.isUnlocked" == true
jsonpath "$.rights" contains "use_document_management"

POST {base}/search
[Query]
token: {{{{token}}}}
{{"from":0,"size":10}}
HTTP 200
[Asserts]
jsonpath "$.from" == 0
jsonpath "$.total" isInteger
jsonpath "$.total" >= 0
jsonpath "$.results" isCollection

GET {base}/logout
[Query]
token: {{{{token}}}}
HTTP 200
"##
    );
    text
}

/// Writes `count` scenario files under `dir/scenarios`, replacing what an
/// earlier size left there.
pub fn write_scenarios(dir: &Path, count: usize) -> std::io::Result<()> {
    let folder = dir.join("scenarios");
    if folder.exists() {
        std::fs::remove_dir_all(&folder)?;
    }
    std::fs::create_dir_all(&folder)?;
    for index in 1..=count {
        std::fs::write(folder.join(format!("flow-{index:05}.yaml")), scenario_yaml(index))?;
    }
    Ok(())
}

/// Writes `count` Hurl files under `dir/hurl` aimed at `base`, and returns
/// their paths in order.
pub fn write_hurl(dir: &Path, count: usize, base: &str) -> std::io::Result<Vec<String>> {
    let folder = dir.join("hurl");
    if folder.exists() {
        std::fs::remove_dir_all(&folder)?;
    }
    std::fs::create_dir_all(&folder)?;
    let text = hurl_file(base);
    (1..=count)
        .map(|index| {
            let path = folder.join(format!("flow-{index:05}.hurl"));
            std::fs::write(&path, &text)?;
            Ok(path.display().to_string())
        })
        .collect()
}
