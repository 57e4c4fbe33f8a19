//! Reads a template's tokens (minijinja's own lexer) for what its parser's
//! name listing misses: variables read only through a slice (`plain[0:4]`),
//! and the functions, filters and tests it calls that do not exist.
//!
//! Pure: tokenizes, never parses into a template or renders. Must not decide
//! what a caller reports (it returns names and offsets), and must not touch
//! HTTP or the terminal.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::machinery::{Token, tokenize};
use minijinja::syntax::SyntaxConfig;

use super::diagnose::OWN_FILTERS;

/// Filters minijinja 3.1 ships (`builtins` feature, `json`, `urlencode`).
const BUILTIN_FILTERS: &[&str] = &[
    "safe",
    "escape",
    "e",
    "lower",
    "upper",
    "title",
    "capitalize",
    "replace",
    "length",
    "count",
    "dictsort",
    "items",
    "reverse",
    "trim",
    "join",
    "split",
    "lines",
    "default",
    "d",
    "round",
    "abs",
    "int",
    "float",
    "attr",
    "first",
    "last",
    "min",
    "max",
    "sort",
    "list",
    "string",
    "bool",
    "batch",
    "slice",
    "sum",
    "indent",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "map",
    "groupby",
    "unique",
    "chain",
    "zip",
    "pprint",
    "format",
    "tojson",
    "urlencode",
];

/// Tests minijinja 3.1 ships (`x is defined`, `n is odd`...).
const BUILTIN_TESTS: &[&str] = &[
    "undefined",
    "defined",
    "none",
    "safe",
    "escaped",
    "boolean",
    "odd",
    "even",
    "divisibleby",
    "number",
    "integer",
    "int",
    "float",
    "string",
    "sequence",
    "iterable",
    "mapping",
    "startingwith",
    "endingwith",
    "lower",
    "upper",
    "sameas",
    "eq",
    "equalto",
    "ne",
    "lt",
    "lessthan",
    "le",
    "gt",
    "greaterthan",
    "ge",
    "in",
    "true",
    "false",
    "filter",
    "test",
];

/// Words the lexer reads as identifiers that are operators or statement
/// keywords (`not (a or b)`, `{% if (x) %}`), never names.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "elif",
    "else",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "for",
    "recursive",
    "set",
    "with",
    "filter",
    "call",
    "macro",
    "import",
    "from",
    "as",
    "include",
    "extends",
    "block",
    "do",
    "autoescape",
];

/// Names the engine defines inside statements (`{% for %}`'s `loop`...).
const ENGINE_NAMES: &[&str] = &["loop", "self", "super", "caller", "varargs", "kwargs"];

/// Says what kind of callable a name was used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallableKind {
    /// `name(...)`.
    Function,
    /// `value | name`.
    Filter,
    /// `value is name`.
    Test,
}

impl CallableKind {
    /// Returns the word for messages: `function`, `filter`, `test`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Function => "function",
            Self::Filter => "filter",
            Self::Test => "test",
        }
    }
}

/// Names a function, filter or test a template uses that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCallable {
    /// Function, filter or test.
    pub kind: CallableKind,
    /// The name as written.
    pub name: String,
    /// Byte offset of the name in the template text.
    pub offset: usize,
    /// The known name it is nearest to, when near enough to be a typo.
    pub suggestion: Option<String>,
}

/// What one pass over the tokens found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Names read with `[` right after them, outside statements' assignments.
    pub subscripted: BTreeSet<String>,
    /// Names only ever called (`uuidd()`), so not variables.
    pub called: BTreeSet<String>,
    /// Unknown functions, filters and tests.
    pub unknown: Vec<UnknownCallable>,
}

/// Tokenizes `text` (a template, or a bare expression when `in_expr`) and
/// reports what [`Scan`] lists; `globals` are the known function names.
/// A template that does not tokenize gives an empty scan (its syntax error
/// is reported elsewhere).
pub(super) fn scan(text: &str, in_expr: bool, globals: &BTreeSet<String>) -> Scan {
    let Ok(tokens) = tokenize(text, in_expr, SyntaxConfig::default())
        .map(|t| t.map(|(token, span)| (token, span.start_offset as usize)))
        .collect::<Result<Vec<_>, _>>()
    else {
        return Scan::default();
    };
    let assigned = assigned_in_statements(&tokens);
    let mut out = Scan::default();
    let mut used_otherwise: BTreeSet<&str> = BTreeSet::new();
    let mut called: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (token, offset)) in tokens.iter().enumerate() {
        let Token::Ident(name) = token else { continue };
        let before = i.checked_sub(1).map(|j| &tokens[j].0);
        let before2 = i.checked_sub(2).map(|j| &tokens[j].0);
        let after = tokens.get(i + 1).map(|(t, _)| t);
        let kind = match (before2, before) {
            (_, Some(Token::Pipe)) => Some(CallableKind::Filter),
            (_, Some(Token::Ident("is"))) | (Some(Token::Ident("is")), Some(Token::Ident("not"))) => {
                Some(CallableKind::Test)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            let (known, candidates): (bool, Vec<&str>) = match kind {
                CallableKind::Filter => {
                    let all: Vec<&str> = BUILTIN_FILTERS.iter().chain(OWN_FILTERS).copied().collect();
                    (all.contains(name), all)
                }
                _ => (BUILTIN_TESTS.contains(name), BUILTIN_TESTS.to_vec()),
            };
            if !known && *name != "not" {
                out.unknown
                    .push(unknown(kind, name, *offset, candidates.into_iter()));
            }
            continue;
        }
        if matches!(before, Some(Token::Dot))
            || assigned.contains(name)
            || ENGINE_NAMES.contains(name)
            || KEYWORDS.contains(name)
        {
            continue;
        }
        match after {
            Some(Token::ParenOpen) => {
                called.entry(name).or_insert(*offset);
            }
            Some(Token::BracketOpen) => {
                out.subscripted.insert((*name).to_owned());
                used_otherwise.insert(name);
            }
            _ => {
                used_otherwise.insert(name);
            }
        }
    }
    for (name, offset) in &called {
        if !used_otherwise.contains(name) && !globals.contains(*name) {
            let candidates = globals.iter().map(String::as_str);
            out.unknown
                .push(unknown(CallableKind::Function, name, *offset, candidates));
        }
    }
    out.called = called
        .into_keys()
        .filter(|name| !used_otherwise.contains(name))
        .map(str::to_owned)
        .collect();
    out.unknown.sort_by_key(|u| u.offset);
    out
}

fn unknown<'a>(
    kind: CallableKind,
    name: &str,
    offset: usize,
    candidates: impl Iterator<Item = &'a str>,
) -> UnknownCallable {
    UnknownCallable {
        kind,
        name: name.to_owned(),
        offset,
        suggestion: super::diagnose::closest(name, candidates).map(str::to_owned),
    }
}

/// Lists the names a `{% ... %}` statement may assign (`set`, `for`, `macro`,
/// `with` targets and macro arguments): every identifier inside a statement
/// block that is followed by `=`, `,`, `in`, `(` after `macro`, or that
/// follows `set`, `for`, `macro`, `as`, `import`. Generous on purpose: a name
/// listed here is never reported, so a wrong guess only hides a warning.
fn assigned_in_statements<'a>(tokens: &[(Token<'a>, usize)]) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    let mut in_block = false;
    for (i, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::BlockStart => in_block = true,
            Token::BlockEnd => in_block = false,
            Token::Ident(name) if in_block => {
                let before = i.checked_sub(1).map(|j| &tokens[j].0);
                let after = tokens.get(i + 1).map(|(t, _)| t);
                let declared_after = matches!(
                    before,
                    Some(
                        Token::Ident("set" | "for" | "macro" | "as" | "import" | "with" | "call")
                            | Token::Comma
                            | Token::ParenOpen
                    )
                );
                let declared_before =
                    matches!(after, Some(Token::Assign | Token::Comma | Token::Ident("in")));
                if declared_after || declared_before {
                    out.insert(*name);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globals() -> BTreeSet<String> {
        ["uuid", "env", "now", "range", "base64_encode"]
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn unknown_of(text: &str) -> Vec<(CallableKind, String, usize, Option<String>)> {
        scan(text, false, &globals())
            .unknown
            .into_iter()
            .map(|u| (u.kind, u.name, u.offset, u.suggestion))
            .collect()
    }

    #[test]
    fn subscripted_names_are_listed() {
        let found = scan("{{ plain[0:4] }} {{ a.b[1] }} {{ c['k'] }}", false, &globals());
        assert_eq!(found.subscripted.into_iter().collect::<Vec<_>>(), ["c", "plain"]);
        let in_loop = scan(
            "{% for x in xs %}{{ x[0:1] }}{{ loop[0] }}{% endfor %}",
            false,
            &globals(),
        );
        assert!(in_loop.subscripted.is_empty(), "{:?}", in_loop.subscripted);
    }

    #[test]
    fn unknown_functions_filters_and_tests_are_named_with_a_suggestion() {
        assert_eq!(
            unknown_of("id {{ uuidd() }}"),
            [(
                CallableKind::Function,
                "uuidd".to_owned(),
                6,
                Some("uuid".to_owned())
            )]
        );
        assert_eq!(
            unknown_of("{{ x | base64_encod }}"),
            [(
                CallableKind::Filter,
                "base64_encod".to_owned(),
                7,
                Some("base64_encode".to_owned())
            )]
        );
        assert_eq!(
            unknown_of("{{ x is not defind }}"),
            [(
                CallableKind::Test,
                "defind".to_owned(),
                12,
                Some("defined".to_owned())
            )]
        );
        assert_eq!(unknown_of("{{ zzzzzz() }}")[0].3, None);
    }

    #[test]
    fn known_names_and_methods_pass() {
        assert!(
            unknown_of("{{ uuid() }} {{ env('X') | default('y') | upper }} {{ s.split(',') }}").is_empty()
        );
        assert!(unknown_of("{{ x is defined and y is not none }} {{ 'a' in b }}").is_empty());
        assert!(unknown_of("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1) }}").is_empty());
        assert!(unknown_of("{{ f(a=1) }}").len() == 1);
        assert!(unknown_of("{{ x | length }} {{ x | b64decode }}").is_empty());
        assert!(
            unknown_of("{{ a if (b) else (c) }} {{ not (a or (b and c)) }} {{ x in (1, 2) }}").is_empty()
        );
        assert!(unknown_of("{% if (a) %}{% elif (b) %}{% endif %}").is_empty());
    }

    #[test]
    fn names_only_called_are_not_variables() {
        let found = scan("{{ uuidd() }} {{ y(1) }} {{ y }}", false, &globals());
        assert_eq!(found.called.into_iter().collect::<Vec<_>>(), ["uuidd"]);
        assert_eq!(found.unknown.len(), 1);
    }
}
