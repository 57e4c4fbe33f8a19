//! Tests the redactor: encoded forms, short and declared secrets, JSON,
//! overlapping and frozen secrets, markers (with names cleaned), clones, and
//! the withheld fallback.
//!
//! Must not print or keep any secret beyond the assertions that need it.

use base64::Engine as _;
use serde_json::json;

use super::*;

#[test]
fn redacts_plain_and_encoded_forms() {
    let mut r = Redactor::new();
    r.add("password", "#32Password1!");
    assert_eq!(r.redact("pw=#32Password1!"), "pw=[secret:password]");
    assert_eq!(r.redact("pw=%2332Password1%21"), "pw=[secret:password]");
    let b64 = base64::engine::general_purpose::STANDARD.encode("#32Password1!");
    assert_eq!(r.redact(&b64), "[secret:password]");
}

#[test]
fn leaves_short_values_and_unrelated_text_alone() {
    let mut r = Redactor::new();
    r.add("flag", "ab");
    assert!(r.is_empty());
    assert!(matches!(r.redact("abc"), Cow::Borrowed(_)));
}

#[test]
fn longer_secrets_win_over_their_substrings() {
    let mut r = Redactor::new();
    r.add("short", "abcd");
    r.add("long", "abcdefgh");
    assert_eq!(r.redact("abcdefgh abcd"), "[secret:long] [secret:short]");
}

#[test]
fn redacts_inside_json_values_and_numbers() {
    let mut r = Redactor::new();
    r.add_value("code", &json!(271008));
    r.add("token", "tok-123456");
    let got = r.redact_json(&json!({"code": 271008, "t": ["x tok-123456"], "n": 5}));
    assert_eq!(
        got,
        json!({"code": "[secret:code]", "t": ["x [secret:token]"], "n": 5})
    );
    let holding = r.redact_json(&json!({"longer": 92710081}));
    assert_eq!(
        holding,
        json!({"longer": "9[secret:code]1"}),
        "a number holding a secret is redacted as its text is"
    );
}

#[test]
fn redacts_declared_short_secrets_in_text_and_json() {
    let mut r = Redactor::new();
    r.add_declared("pin", "abc");
    r.add_declared_value("code", &json!(12));
    assert!(!r.is_empty());
    assert_eq!(r.redact("x abc y"), "x [secret:pin] y");
    assert_eq!(r.redact("code=12;"), "code=[secret:code];");
    let got = r.redact_json(&json!({"p": "abc", "n": 12, "other": 5, "abc": ["abcd"]}));
    assert_eq!(
        got,
        json!({"p": "[secret:pin]", "n": "[secret:code]", "other": 5, "[secret:pin]": ["[secret:pin]d"]})
    );
}

#[test]
fn redacts_encoded_forms_of_declared_short_secrets() {
    let mut r = Redactor::new();
    r.add_declared("pin", "a b");
    assert_eq!(r.redact("q=a+b&r=a%20b"), "q=[secret:pin]&r=[secret:pin]");
    let b64 = base64::engine::general_purpose::STANDARD.encode("a b");
    assert_eq!(r.redact(&format!("basic {b64}")), "basic [secret:pin]");
}

#[test]
fn ignores_short_heuristic_values_and_empty_declared_ones() {
    let mut r = Redactor::new();
    r.add("code", "123");
    r.add_value("code", &json!(7));
    r.add_value("flags", &json!([true, null, "ab"]));
    r.add_declared("empty", "");
    r.add_declared_value("nothing", &json!(null));
    assert!(r.is_empty());
    assert!(matches!(r.redact("123 7 ab"), Cow::Borrowed(_)));
}

#[test]
fn redacts_a_value_registered_both_ways_in_either_order() {
    let mut heuristic_first = Redactor::new();
    heuristic_first.add("code", "42");
    heuristic_first.add_declared("code", "42");
    let mut declared_first = Redactor::new();
    declared_first.add_declared("code", "42");
    declared_first.add("code", "42");
    for r in [heuristic_first, declared_first] {
        assert_eq!(r.redact("code 42"), "code [secret:code]");
    }
}

#[test]
fn redacts_non_ascii_secrets_and_their_percent_encoding() {
    let mut r = Redactor::new();
    r.add_declared("pw", "pä");
    assert_eq!(r.redact("ü pä ü"), "ü [secret:pw] ü");
    assert_eq!(r.redact("pw=p%C3%A4"), "pw=[secret:pw]");
}

#[test]
fn overlapping_secrets_are_replaced_from_the_leftmost_longest() {
    for long_first in [true, false] {
        let mut r = Redactor::new();
        if long_first {
            r.add("long", "abcdefgh");
            r.add("short", "efgh");
        } else {
            r.add("short", "efgh");
            r.add("long", "abcdefgh");
        }
        r.add("tail", "ghij");
        assert_eq!(r.redact("abcdefghij efgh"), "[secret:long]ij [secret:short]");
    }
}

#[test]
fn longest_wins_across_frozen_and_recent_secrets() {
    for long_first in [true, false] {
        let mut r = Redactor::new();
        let (first, second) = if long_first {
            (("long", "tok-0000-extended"), ("short", "tok-0000"))
        } else {
            (("short", "tok-0000"), ("long", "tok-0000-extended"))
        };
        r.add(first.0, first.1);
        for i in 0..TAIL_LIMIT {
            r.add("filler", &format!("filler-{i:04}"));
        }
        r.add(second.0, second.1);
        assert!(
            !r.segments.is_empty(),
            "the first secret should sit in a frozen segment"
        );
        assert_eq!(
            r.redact("tok-0000-extended tok-0000 filler-0003"),
            "[secret:long] [secret:short] [secret:filler]"
        );
    }
}

#[test]
fn keeps_markers_intact_when_redacting_twice() {
    let mut r = Redactor::new();
    r.add("password", "hunter22");
    r.add_declared("pin", "e");
    r.add_declared("word", "secret");
    let once = r.redact("pw hunter22 e secret");
    assert_eq!(once, "pw [secret:password] [secret:pin] [secret:word]");
    assert_eq!(r.redact(&once), once);
}

#[test]
fn a_secret_equal_to_a_marker_is_still_redacted() {
    let mut r = Redactor::new();
    r.add("a", "abcd");
    r.add("b", "[secret:a]");
    assert_eq!(r.redact("[secret:a] abcd"), "[secret:b] [secret:a]");
}

#[test]
fn redacts_many_long_secrets_in_a_large_text() {
    let mut r = Redactor::new();
    for i in 0..5000 {
        r.add("token", &token(i));
    }
    let mut text = String::new();
    let mut expected = String::new();
    let mut i = 0;
    while text.len() < 100_000 {
        text.push_str(&format!("line {i} token={} end\n", token(i * 7 % 5000)));
        expected.push_str(&format!("line {i} token=[secret:token] end\n"));
        i += 1;
    }
    assert_eq!(r.redact(&text), expected);
    let unrelated = "z".repeat(100_000);
    assert!(matches!(r.redact(&unrelated), Cow::Borrowed(_)));
}

#[test]
fn segments_cover_every_pattern_once_and_stay_few() {
    let mut r = Redactor::new();
    for i in 0..3000 {
        r.add("token", &token(i));
    }
    let mut next = 0;
    for segment in &r.segments {
        assert_eq!(segment.first, next);
        next += segment.len();
    }
    assert!(r.patterns.len() - next < TAIL_LIMIT);
    // Sizes at least halve from one segment to the next, like bits of a counter.
    let segment_limit = (r.patterns.len() / TAIL_LIMIT).ilog2() as usize + 1;
    assert!(r.segments.len() <= segment_limit, "{} segments", r.segments.len());
    assert!(r.segments.windows(2).all(|w| w[0].len() > w[1].len()));
}

#[test]
fn a_secret_added_after_a_redaction_is_redacted_next_time() {
    let mut r = Redactor::new();
    r.add("first", "one-secret");
    assert_eq!(r.redact("one-secret two-secret"), "[secret:first] two-secret");
    r.add("second", "two-secret");
    assert_eq!(
        r.redact("one-secret two-secret"),
        "[secret:first] [secret:second]"
    );
    for i in 0..2 * TAIL_LIMIT {
        r.add("filler", &format!("filler-{i:04}"));
        let text = format!("filler-{i:04}");
        assert_eq!(r.redact(&text), "[secret:filler]");
    }
    assert_eq!(
        r.redact("one-secret two-secret"),
        "[secret:first] [secret:second]"
    );
}

#[test]
fn a_clone_redacts_the_same_and_learns_on_its_own() {
    let mut r = Redactor::new();
    r.add("token", "tok-123456");
    let before_use = r.clone();
    assert_eq!(r.redact("tok-123456"), "[secret:token]");
    let mut after_use = r.clone();
    assert_eq!(before_use.redact("tok-123456"), "[secret:token]");
    assert_eq!(after_use.redact("tok-123456"), "[secret:token]");
    after_use.add("other", "tok-999999");
    assert_eq!(after_use.redact("tok-999999"), "[secret:other]");
    assert_eq!(r.redact("tok-999999"), "tok-999999");
}

#[test]
fn is_shareable_and_debug_shows_no_secret() {
    fn assert_traits<T: Clone + Send + Sync + fmt::Debug + Default>() {}
    assert_traits::<Redactor>();
    let mut r = Redactor::new();
    r.add("password", "hunter22");
    let _ = r.redact("warm the cache: hunter22");
    let shown = format!("{r:?}");
    assert!(shown.contains("password"), "{shown}");
    assert!(!shown.contains("hunter22"), "{shown}");
}

#[test]
fn withholds_text_when_no_automaton_could_be_built() {
    let mut r = Redactor::new();
    r.add("password", "hunter22");
    r.broken = true;
    assert_eq!(r.redact("nothing secret here"), WITHHELD);
}

/// Returns a distinct 64-character hex token, like a session token.
fn token(i: usize) -> String {
    format!(
        "{:016x}{:016x}{:016x}{:016x}",
        i,
        i.wrapping_mul(31),
        i ^ 0x5a5a,
        i + 7
    )
}

#[test]
#[ignore = "measurement; run by hand with --release --nocapture"]
fn measure_login_loop_and_large_text() {
    let started = std::time::Instant::now();
    let mut r = Redactor::new();
    for i in 0..4000 {
        let tok = token(i);
        r.add("token", &tok);
        let exchange = format!("{{\"token\":\"{tok}\",\"user\":\"u{i}\"}} {}", "x".repeat(1000));
        for _ in 0..6 {
            assert!(r.redact(&exchange).starts_with("{\"token\":\"[secret:token]\""));
        }
    }
    println!("login loop, 4000 adds x 6 redacts: {:?}", started.elapsed());

    let mut r = Redactor::new();
    for i in 0..5000 {
        r.add("token", &token(i));
    }
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 100_000 {
        text.push_str(&format!("line {i} token={} end\n", token(i * 7 % 5000)));
        i += 1;
    }
    let started = std::time::Instant::now();
    let out = r.redact(&text);
    println!("5000 tokens, first redact of 100 KB: {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let again = r.redact(&text);
    println!("5000 tokens, second redact of 100 KB: {:?}", started.elapsed());
    assert_eq!(out, again);
    assert!(!out.contains(&token(0)));
}

#[test]
fn a_secret_cut_short_by_an_excerpt_is_still_redacted() {
    let token = "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbi0xMjM0NTY3ODkw.abcdefghijklmnopqrstuvwx";
    let mut r = Redactor::new();
    r.add("token", token);
    let cut = format!("the body starts with: {{\"token\":\"{}...", &token[..39]);
    let redacted = r.redact(&cut);
    assert_eq!(redacted, "the body starts with: {\"token\":\"[secret:token]...");
    // Encoded forms are cut too: the URL-encoded one in a query string.
    let mut r = Redactor::new();
    r.add_declared("password", "#32Password1!");
    assert_eq!(
        r.redact("GET /x?p=%2332Pass... (cut)"),
        "GET /x?p=[secret:password]... (cut)"
    );
    // Ordinary text before a cut mark, and short overlaps, stay as they are.
    assert_eq!(r.redact("and so on... #3..."), "and so on... #3...");
}

#[test]
fn knows_registered_values_only() {
    let mut r = Redactor::new();
    r.add_declared("password", "hunter22");
    assert!(r.knows("hunter22"));
    assert!(!r.knows("hunter"));
}

#[test]
fn a_shorter_secret_inside_a_cut_one_does_not_hide_the_cut() {
    let mut r = Redactor::new();
    r.add("token", "abcdefgh4711ijklmnopqrstuvwxyz");
    r.add("code", "4711");
    assert_eq!(r.redact("start abcdefgh4711ij..."), "start [secret:token]...");
}

#[test]
fn a_frozen_redactor_and_its_clones_redact_what_they_learn_after() {
    let mut base = Redactor::new();
    base.add_declared("password", "hunter2-long");
    base.add("pin", "4711");
    base.freeze();
    assert!(base.segments.iter().map(Segment::len).sum::<usize>() == base.patterns.len());
    let mut scenario = base.clone();
    scenario.add("token", "tok-abc-123-xyz");
    let text = "pw=hunter2-long pin=4711 token=tok-abc-123-xyz longer: hunter2-longer";
    assert_eq!(
        scenario.redact(text),
        "pw=[secret:password] pin=[secret:pin] token=[secret:token] longer: [secret:password]er"
    );
    // The base never learns what a clone learned.
    assert_eq!(base.redact("token=tok-abc-123-xyz"), "token=tok-abc-123-xyz");
    // Freezing again with nothing new keeps the segments as they are.
    let segments = base.segments.len();
    base.freeze();
    assert_eq!(base.segments.len(), segments);
}

#[test]
fn a_name_from_a_server_cannot_break_out_of_a_quoted_line() {
    let mut r = Redactor::default();
    r.add("x'$(touch /tmp/pwned)'token", "application/json");
    assert_eq!(
        r.redact("-H 'content-type: application/json'"),
        "-H 'content-type: [secret:x___touch__tmp_pwned__token]'"
    );
}

#[test]
fn a_secret_with_a_quote_is_found_as_a_curl_line_quotes_it() {
    let mut r = Redactor::default();
    r.add("password", "pa'ss-word");
    assert_eq!(
        r.redact(r"curl -u 'user:pa'\''ss-word' http://x"),
        "curl -u 'user:[secret:password]' http://x"
    );
}
