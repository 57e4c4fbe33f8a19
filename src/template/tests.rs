//! Tests the template environment: typing, errors, functions, TOTP, conditions.
//!
//! Must not reach the network or read the process environment; a test that
//! needs a fixed time injects a clock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use serde_json::json;

use super::*;

fn vars(value: Value) -> Vars {
    serde_json::from_value(value).unwrap()
}

fn scope() -> Vars {
    vars(json!({
        "token": "tok-123",
        "count": 3,
        "ratio": 0.5,
        "flag": false,
        "nothing": null,
        "login": {"isUnlocked": false, "factors": ["email", "sms"]},
        "codes": [1, 2],
        "totp_secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    }))
}

fn templates() -> Templates {
    Templates::new(BTreeMap::from([("BASE_USER".to_owned(), "alice".to_owned())]))
}

fn render(text: &str) -> Value {
    templates().render_value(&json!(text), &scope()).unwrap().value
}

fn render_err(text: &str) -> String {
    templates()
        .render_value(&json!(text), &scope())
        .unwrap_err()
        .message
}

#[test]
fn single_expressions_keep_their_json_type() {
    assert_eq!(render("{{ count }}"), json!(3));
    assert_eq!(render("{{ ratio }}"), json!(0.5));
    assert_eq!(render("{{ flag }}"), json!(false));
    assert_eq!(render("{{ nothing }}"), json!(null));
    assert_eq!(render("{{ token }}"), json!("tok-123"));
    assert_eq!(render("{{ codes }}"), json!([1, 2]));
    assert_eq!(
        render("{{ login }}"),
        json!({"isUnlocked": false, "factors": ["email", "sms"]})
    );
    assert_eq!(render("  {{ count + 1 }}\n"), json!(4));
    assert_eq!(render("{{- count -}}"), json!(3));
    assert_eq!(
        render("{{ {'a': count, 'b': [flag]} }}"),
        json!({"a": 3, "b": [false]})
    );
    assert_eq!(render("{{ 'x' if false }}"), json!(null));
}

#[test]
fn mixed_text_renders_to_a_string_with_json_spellings() {
    assert_eq!(render("Bearer {{ token }}"), json!("Bearer tok-123"));
    assert_eq!(render("{{ count }}{{ count }}"), json!("33"));
    assert_eq!(render("{{ count }} {{ token }}"), json!("3 tok-123"));
    assert_eq!(
        render("unlocked={{ login.isUnlocked }}&x={{ nothing }}"),
        json!("unlocked=false&x=null")
    );
    assert_eq!(render("f={{ login.factors }}"), json!(r#"f=["email","sms"]"#));
    assert_eq!(render("{% if count > 2 %}many{% endif %}"), json!("many"));
}

#[test]
fn text_without_templates_is_returned_as_is() {
    assert_eq!(render("plain {text} } {"), json!("plain {text} } {"));
    let rendered = templates().render_str("no template", &Vars::new()).unwrap();
    assert_eq!(rendered, Rendered::plain("no template".to_owned()));
}

#[test]
fn walks_nested_objects_and_lists_and_renders_keys() {
    let value = json!({
        "{{ token }}": {"n": "{{ count }}", "list": ["{{ flag }}", "x {{ count }}", 7, null]},
        "plain": true,
    });
    let rendered = templates().render_value(&value, &scope()).unwrap();
    assert_eq!(
        rendered.value,
        json!({
            "tok-123": {"n": 3, "list": [false, "x 3", 7, null]},
            "plain": true,
        })
    );
    assert_eq!(rendered.not_before, None);
    assert!(rendered.secrets.is_empty());
}

#[test]
fn undefined_variables_are_errors_that_name_them() {
    assert_eq!(
        render_err("Bearer {{ tokn }}"),
        "undefined variable `tokn` (did you mean `token`?)"
    );
    assert_eq!(
        render_err("{{ tokn }}"),
        "undefined variable `tokn` (did you mean `token`?)"
    );
    assert_eq!(render_err("{{ session }}"), "undefined variable `session`");
    assert_eq!(
        render_err("{{ tokn | upper }}"),
        "undefined variable `tokn` (did you mean `token`?)"
    );
    assert_eq!(
        render_err("{{ count + cuont }}"),
        "undefined variable `cuont` (did you mean `count`?); tried to use + operator on unsupported types number and undefined"
    );
    assert_eq!(
        render_err("{{ login.isUnlockd }}"),
        "undefined value `login.isUnlockd` (did you mean `login.isUnlocked`?)"
    );
}

#[test]
fn other_errors_are_short_and_specific() {
    assert_eq!(
        render_err("{{ token"),
        "syntax error: unexpected end of input, expected end of variable block"
    );
    assert_eq!(
        render_err("{{ uuidd() }}"),
        "unknown function `uuidd` (did you mean `uuid`?)"
    );
    assert_eq!(
        render_err("{{ token | base64_encod }}"),
        "unknown filter `base64_encod` (did you mean `base64_encode`?)"
    );
    assert_eq!(
        render_err("{{ count + 'a' }}"),
        "invalid operation: tried to use + operator on unsupported types number and string"
    );
}

#[test]
fn env_reads_the_injected_map() {
    assert_eq!(render("{{ env('BASE_USER') }}"), json!("alice"));
    assert_eq!(render("{{ env.BASE_USER }}"), json!("alice"));
    assert_eq!(render("{{ env('MISSING', 'bob') }}"), json!("bob"));
    assert_eq!(render("{{ env('PORT', 8080) }}"), json!(8080));
    assert_eq!(render("{{ env.MISSING | default('carol') }}"), json!("carol"));
    assert_eq!(
        render_err("{{ env('MISSING') }}"),
        "environment variable `MISSING` is not set"
    );
    assert_eq!(
        render_err("x {{ env.MISSING }}"),
        "environment variable `MISSING` is not set"
    );
    assert_eq!(render("{{ env }}"), json!("<environment>"));
}

#[test]
fn time_functions_read_the_injected_clock() {
    let templates = Templates::with_clock(BTreeMap::new(), || {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    });
    let render = |text: &str| templates.render_value(&json!(text), &Vars::new()).unwrap().value;
    assert_eq!(render("{{ now() }}"), json!("2023-11-14T22:13:20Z"));
    assert_eq!(render("{{ now('%d/%m/%Y') }}"), json!("14/11/2023"));
    assert_eq!(render("{{ timestamp() }}"), json!(1_700_000_000));
}

#[test]
fn now_without_a_clock_is_rfc3339_utc() {
    let Value::String(now) = render("{{ now() }}") else {
        panic!("now() is not a string");
    };
    assert!(time::OffsetDateTime::parse(&now, &time::format_description::well_known::Rfc3339).is_ok());
    assert!(now.ends_with('Z'), "{now}");
}

#[test]
fn encoding_functions_and_filters_agree() {
    assert_eq!(render("{{ base64_encode('user:pw') }}"), json!("dXNlcjpwdw=="));
    assert_eq!(render("{{ 'user:pw' | base64_encode }}"), json!("dXNlcjpwdw=="));
    assert_eq!(render("{{ 'user:pw' | b64encode }}"), json!("dXNlcjpwdw=="));
    assert_eq!(render("{{ base64_decode('dXNlcjpwdw==') }}"), json!("user:pw"));
    assert_eq!(render("{{ 'dXNlcjpwdw' | b64decode }}"), json!("user:pw"));
    assert_eq!(render("{{ urlencode('a b&c') }}"), json!("a%20b%26c"));
    assert_eq!(render("{{ 'a b&c' | urlencode }}"), json!("a%20b%26c"));
    assert_eq!(render("{{ urlencode({'q': 'a b'}) }}"), json!("q=a%20b"));
}

#[test]
fn random_functions_have_the_requested_shape() {
    let digits = render("{{ random_digits(8) }}");
    assert!(
        digits
            .as_str()
            .is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit())),
        "{digits}"
    );
    let alnum = render("{{ random_alphanumeric(12) }}");
    assert!(
        alnum
            .as_str()
            .is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_alphanumeric())),
        "{alnum}"
    );
    assert_eq!(
        render_err("{{ random_digits(5000) }}"),
        "random_digits: length must be at most 4096, got 5000"
    );
}

#[test]
fn uuid_is_a_version_4_uuid() {
    let id = render("{{ uuid() }}");
    let parsed = uuid::Uuid::parse_str(id.as_str().unwrap()).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
}

/// Returns templates whose clock reads the shared counter, in Unix seconds.
fn templates_at(seconds: &Arc<AtomicU64>) -> Templates {
    let clock = Arc::clone(seconds);
    Templates::with_clock(BTreeMap::new(), move || {
        UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst))
    })
}

#[test]
fn totp_matches_the_reference_vectors_and_is_reported_as_a_secret() {
    let now = Arc::new(AtomicU64::new(1_111_111_111));
    let templates = templates_at(&now);
    let rendered = templates
        .render_value(&json!({"password": "{{ totp(totp_secret) }}"}), &scope())
        .unwrap();
    assert_eq!(rendered.value, json!({"password": "050471"}));
    assert_eq!(rendered.secrets, vec![("totp".to_owned(), "050471".to_owned())]);
    assert_eq!(rendered.not_before, None);

    now.store(59, Ordering::SeqCst);
    let eight = templates
        .render_str(
            "{{ totp(totp_secret, digits=8, period=30, algorithm='SHA1') }}",
            &scope(),
        )
        .unwrap();
    assert_eq!(eight.value, "94287082");
}

#[test]
fn totp_hands_out_the_next_window_instead_of_a_replayed_code() {
    let now = Arc::new(AtomicU64::new(1_111_111_111));
    let templates = templates_at(&now);
    let first = templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    assert_eq!(first.value, "050471");
    assert_eq!(first.not_before, None);

    let second = templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    let next_window = UNIX_EPOCH + Duration::from_secs(1_111_111_140);
    assert_eq!(second.not_before, Some(next_window));
    assert_ne!(second.value, first.value);
    assert_eq!(second.secrets, vec![("totp".to_owned(), second.value.clone())]);

    // Once the clock is in that window, its code is spent: the one after is next.
    now.store(1_111_111_145, Ordering::SeqCst);
    let third = templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    assert_eq!(third.not_before, Some(next_window + Duration::from_secs(30)));

    now.store(1_111_111_200, Ordering::SeqCst);
    let fourth = templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    assert_eq!(fourth.not_before, None);
}

#[test]
fn totp_errors_name_the_problem() {
    let err = |text: &str| templates().render_str(text, &scope()).unwrap_err().message;
    assert_eq!(err("{{ totp('') }}"), "totp: the secret is empty");
    assert_eq!(
        err("{{ totp(totp_secret, digits=9) }}"),
        "totp: digits must be 6, 7 or 8, got 9"
    );
    assert_eq!(
        err("{{ totp(totp_secret, digts=8) }}"),
        "too many arguments: unknown keyword argument 'digts'"
    );
}

#[test]
fn totp_says_when_this_run_moved_the_code_on() {
    let now = Arc::new(AtomicU64::new(1_111_111_111));
    let templates = templates_at(&now);
    templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    let second = templates.render_str("{{ totp(totp_secret) }}", &scope()).unwrap();
    assert_eq!(
        second.waits,
        vec![TotpWait {
            until: UNIX_EPOCH + Duration::from_secs(1_111_111_140),
            earlier_run: false
        }]
    );
}

/// Hands out the values of one pool, in order, like a run's pool would.
struct Queue(std::sync::Mutex<Vec<&'static str>>);

impl PoolSource for Queue {
    fn take(&self, name: &str) -> Result<String, String> {
        if name != "codes" {
            return Err(format!("no pool `{name}`"));
        }
        let mut values = self.0.lock().unwrap();
        if values.is_empty() {
            return Err("pool `codes` is empty".to_owned());
        }
        Ok(values.remove(0).to_owned())
    }
}

#[test]
fn take_hands_out_pool_values_as_secrets_and_says_what_it_took() {
    let hooks = TemplateHooks {
        pools: Some(Arc::new(Queue(std::sync::Mutex::new(vec![
            "11223344", "55667788",
        ])))),
        ..TemplateHooks::default()
    };
    let templates = Templates::with_hooks(BTreeMap::new(), std::time::SystemTime::now, hooks);
    let rendered = templates
        .render_value(
            &json!({"a": "{{ take('codes') }}", "b": "{{ take(\"codes\") }}"}),
            &scope(),
        )
        .unwrap();
    assert_eq!(rendered.value, json!({"a": "11223344", "b": "55667788"}));
    let taken = vec![
        ("codes".to_owned(), "11223344".to_owned()),
        ("codes".to_owned(), "55667788".to_owned()),
    ];
    assert_eq!(rendered.taken, taken);
    assert_eq!(rendered.secrets, taken);
    let err = templates.render_str("{{ take('codes') }}", &scope()).unwrap_err();
    assert_eq!(err.message, "take: pool `codes` is empty");
    let err = templates.render_str("{{ take('other') }}", &scope()).unwrap_err();
    assert_eq!(err.message, "take: no pool `other`");
}

#[test]
fn take_without_pools_says_where_to_declare_them() {
    let err = templates()
        .render_str("{{ take('codes') }}", &scope())
        .unwrap_err();
    assert!(
        err.message.starts_with("take: no pool `codes`"),
        "{}",
        err.message
    );
    assert!(err.message.contains("pools:"), "{}", err.message);
}

#[test]
fn templates_are_shareable_across_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Templates>();
}

#[test]
fn conditions_evaluate_to_their_truthiness() {
    let templates = templates();
    let scope = scope();
    let eval = |expr: &str| templates.eval_condition(expr, &scope);
    assert_eq!(eval("token is defined"), Ok(true));
    assert_eq!(eval("tokn is defined"), Ok(false));
    assert_eq!(eval("{{ token is defined }}"), Ok(true));
    assert_eq!(eval("{{ session is not defined }}"), Ok(true));
    assert_eq!(eval("login.isUnlocked == false"), Ok(true));
    assert_eq!(eval("count > 5"), Ok(false));
    assert_eq!(eval("codes"), Ok(true));
    assert_eq!(eval("nothing"), Ok(false));
    assert_eq!(eval("session is defined and session.ok"), Ok(false));
}

#[test]
fn conditions_reject_undefined_variables_and_bad_syntax() {
    let templates = templates();
    let scope = scope();
    let err = |expr: &str| templates.eval_condition(expr, &scope).unwrap_err().message;
    assert_eq!(err("tokn"), "undefined variable `tokn` (did you mean `token`?)");
    assert_eq!(
        err("not tokn"),
        "undefined variable `tokn` (did you mean `token`?)"
    );
    assert_eq!(
        err("tokn == 'x'"),
        "undefined variable `tokn` (did you mean `token`?)"
    );
    assert_eq!(
        err("count >"),
        "invalid condition `count >`: syntax error: unexpected end of input, expected expression"
    );
    assert!(err("{{ a }} and {{ b }}").starts_with("invalid condition `{{ a }} and {{ b }}`: syntax error"));
}

#[test]
fn lists_referenced_variables_without_globals() {
    let names = |text: &str| {
        referenced_variables(text)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(names("plain"), Vec::<String>::new());
    assert_eq!(names("Bearer {{ token }}"), ["token"]);
    assert_eq!(
        names("{{ login.isUnlocked }} {{ b | default(c) }}"),
        ["b", "c", "login"]
    );
    assert_eq!(
        names("{{ totp(secret) }} {{ env('X') }} {{ uuid() }} {{ range(3) }}"),
        ["secret"]
    );
    assert_eq!(
        names("{% set x = 1 %}{{ x }}{% for i in items %}{{ i }}{% endfor %}"),
        ["items"]
    );
    // minijinja's own listing misses a name read only through a slice.
    assert_eq!(names("{{ plain[0:4] }}"), ["plain"]);
    assert_eq!(names("{{ plain[:2] ~ other[1] }}"), ["other", "plain"]);
    // A name only called is a function (known or not), never a variable.
    assert_eq!(names("{{ uuidd() }}"), Vec::<String>::new());
    assert_eq!(
        referenced_variables("{{ token").unwrap_err().message,
        "syntax error: unexpected end of input, expected end of variable block"
    );
}

#[test]
fn lists_variables_of_conditions() {
    let names = |expr: &str| {
        referenced_variables_in_condition(expr)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>()
    };
    assert_eq!(names("token is defined"), ["token"]);
    assert_eq!(names("{{ login.isUnlocked == false and env('CI') }}"), ["login"]);
    assert!(referenced_variables_in_condition("a ==").is_err());
    assert_eq!(names("plain[0:2] == 'ab'"), ["plain"]);
}

#[test]
fn lists_unknown_functions_and_filters_with_suggestions() {
    let found = unknown_callables("{{ uuidd() }} {{ t | base64_encod }} {{ uuid() | upper }}");
    let found: Vec<_> = found
        .iter()
        .map(|u| (u.kind.word(), u.name.as_str(), u.offset, u.suggestion.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("function", "uuidd", 3, Some("uuid")),
            ("filter", "base64_encod", 21, Some("base64_encode"))
        ]
    );
    assert!(unknown_callables("{{ env('X') | default('y') }} {{ totp(s) }} {{ take('p') }}").is_empty());
    assert_eq!(unknown_callables_in_condition("x is defnied")[0].name, "defnied");
}
