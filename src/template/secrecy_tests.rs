//! Tests what renders learn for secrecy and the bounds they stay within:
//! what each template printed from which variables, huge outputs, endless
//! loops, and function errors that never quote their input.
//!
//! Must not reach the network or read the process environment.

use serde_json::json;

use super::*;

fn templates() -> Templates {
    Templates::new(BTreeMap::new())
}

fn vars(value: Value) -> Vars {
    serde_json::from_value(value).unwrap()
}

#[test]
fn renders_record_what_each_template_printed_from_which_variables() {
    let t = templates();
    let v = vars(json!({"password": "#32Password1!", "user": "ann"}));
    let rendered = t
        .render_value(
            &json!({"a": "{{ password | upper }}", "b": "u={{ user }}", "c": "plain"}),
            &v,
        )
        .unwrap();
    assert_eq!(
        rendered.printed,
        vec![
            Printed {
                reads: vec!["password".to_owned()],
                outputs: vec!["#32PASSWORD1!".to_owned()],
            },
            Printed {
                reads: vec!["user".to_owned()],
                outputs: vec!["ann".to_owned()],
            },
        ]
    );
    let text = t.render_str("{{ 'a' ~ password | base64_encode }}", &v).unwrap();
    assert_eq!(text.printed[0].outputs, vec![text.value.clone()]);
}

#[test]
fn huge_outputs_and_endless_loops_are_errors_not_hangs() {
    let t = templates();
    let big = t
        .render_str("{{ 'x' * 10000000 ~ 'x' * 10000000 }}", &Vars::new())
        .unwrap_err();
    assert!(big.message.contains("larger than 16 MiB"), "{}", big.message);
    let raw = t
        .render_str(
            "{% for i in range(100) %}{{ 'x' * 1000000 }}{% endfor %}",
            &Vars::new(),
        )
        .unwrap_err();
    assert!(raw.message.contains("larger than 16 MiB"), "{}", raw.message);
    let endless = t
        .render_str(
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
            &Vars::new(),
        )
        .unwrap_err();
    assert!(endless.message.contains("fuel"), "{}", endless.message);
}

#[test]
fn base64_errors_never_quote_the_input() {
    let t = templates();
    let v = vars(json!({"password": "#32Password1!"}));
    let error = t.render_str("{{ base64_decode(password) }}", &v).unwrap_err();
    assert!(
        !error.message.contains("33") && !error.message.contains("offset"),
        "{}",
        error.message
    );
}
