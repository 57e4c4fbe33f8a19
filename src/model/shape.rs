//! Finds every unknown key and every wrongly typed node of a scenario file in
//! one pass, for the files the typed parse refuses: serde stops at the first
//! problem, and `check` promises them all.
//!
//! The file is read a second time into a generic located tree ([`Node`]) and
//! walked against the format's shape. The shape has one source of truth, the
//! model types: which keys and kinds are allowed comes from the JSON Schema
//! generated from them ([`super::schema::scenario_schema`]), and the order in
//! which a mapping's keys are listed comes from serde's own field list, asked
//! of the typed parse itself.
//!
//! The walk reports only what the typed parse (or the checks after it) would
//! also refuse, so it never invents a problem: a scalar where a string is
//! expected is fine (serde reads any scalar as a string), a `null` is left
//! alone where the key is optional, and free JSON values (request bodies,
//! literal expectations) are not looked into.
//!
//! Must not decide whether a file loads (the typed parse does) and must not
//! word messages (the loader turns [`ShapeProblem`]s into diagnostics).

use std::fmt;
use std::sync::OnceLock;

use schemars::SchemaGenerator;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};
use serde_saphyr::{Error as YamlError, Options};

use super::{Scenario, Spanned};

/// Gives the walk room for the deepest tree the parser's budget lets through:
/// serde's generic code costs tens of kilobytes of stack per nesting level in
/// unoptimised builds, and the stack is only reserved, not committed.
const WALK_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Bounds how many `$ref` / `allOf` / `oneOf` hops are followed without
/// descending into the file, so a schema that refers to itself cannot loop.
const MAX_SCHEMA_HOPS: usize = 16;

/// Holds one YAML node as written, children with their locations, so every
/// problem can be pointed at.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// A mapping, entries in file order.
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A scalar YAML reads as a string.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i128),
    /// A number with a fraction or an exponent.
    Float(f64),
    /// `null`, `~` or an empty value.
    Null,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// Builds a [`Node`] from whatever the YAML holds. Recursion goes one level
/// per nesting level of the file, which the parser's budget bounds.
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        // Only the sign of a whole number matters to the walk.
        Ok(Node::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Names a kind of node the format expects somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A string (any scalar is read as one).
    String,
    /// A whole number; `unsigned` when it may not be negative.
    Integer {
        /// Refuses negative numbers.
        unsigned: bool,
    },
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A sequence.
    List,
    /// A mapping.
    Mapping,
    /// `null`.
    Null,
}

/// Names the kind of node found where another was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// A scalar; its text is quoted from the source at the problem's place.
    Scalar,
    /// A sequence.
    List,
    /// A mapping.
    Mapping,
}

/// Describes one problem the walk found, without wording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    /// A key the mapping does not accept.
    UnknownKey {
        /// The key as written.
        key: String,
        /// The keys the mapping accepts, in the order the model declares them.
        valid: Vec<String>,
    },
    /// A required key is absent from the mapping.
    MissingKey {
        /// The absent key.
        key: String,
        /// The key the mapping sits under, if any.
        parent: Option<String>,
        /// Tells whether the mapping is the whole file.
        at_root: bool,
    },
    /// A node of the wrong kind.
    WrongKind {
        /// The key the node sits under, if any.
        key: Option<String>,
        /// The kinds accepted here.
        expected: Vec<Kind>,
        /// The kind found.
        found: Found,
    },
    /// An empty value where a value is required.
    NoValue {
        /// The key the value is missing under.
        key: Option<String>,
        /// The kinds accepted here.
        expected: Vec<Kind>,
    },
    /// A number or boolean where a duration string (`5s`) is expected. The
    /// loader applies the duration rule to it, since a bare `0` is valid.
    NotADurationString {
        /// The key the value sits under.
        key: String,
    },
}

/// Locates a [`Problem`] in the file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShapeProblem {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// Characters of the node's text, 0 when unknown.
    pub len: usize,
    /// Places the key the node sits under (line, column), where serde may
    /// report the same problem.
    pub key_at: Option<(u64, u64)>,
    /// What is wrong.
    pub problem: Problem,
}

/// Returns every shape problem of `source`, in file order, or `None` when the
/// text cannot be read as a tree of string-keyed mappings (the typed parse's
/// own error then stands alone). `options` makes the parser options the typed
/// parse uses.
pub(super) fn find_problems(source: &str, options: fn() -> Options) -> Option<Vec<ShapeProblem>> {
    // The walk gets a thread of its own so that the deepest tree the budget
    // lets through fits whatever stack the caller runs on.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("shape-walk".to_owned())
            .stack_size(WALK_STACK_BYTES)
            .spawn_scoped(scope, || walk_source(source, options))
            .ok()?
            .join()
            .ok()?
    })
}

fn walk_source(source: &str, options: fn() -> Options) -> Option<Vec<ShapeProblem>> {
    let tree = serde_saphyr::from_str_with_options::<Spanned<Node>>(source, options()).ok()?;
    let format = format();
    let mut walker = Walker {
        format,
        options,
        path: Vec::new(),
        out: Vec::new(),
    };
    let slot = Slot {
        key: None,
        required: true,
    };
    walker.check(&tree, &format.schema, slot, MAX_SCHEMA_HOPS);
    let mut found = walker.out;
    found.sort_by_key(|p| (p.line, p.column));
    Some(found)
}

/// Holds the format's shape, computed once per process.
struct Format {
    /// The JSON Schema of a scenario file.
    schema: Value,
    /// The schema every duration key shares, to recognise durations by.
    duration: Value,
}

fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(|| Format {
        schema: super::schema::scenario_schema(),
        duration: super::schema::duration(&mut SchemaGenerator::default()).to_value(),
    })
}

/// Accepts anything; stands for a `$ref` that points nowhere.
static ANYTHING: Value = Value::Bool(true);

/// Names one step from the file's root to a node, to ask serde about the
/// mapping found there.
#[derive(Debug, Clone)]
enum Segment {
    /// A key the format defines.
    Key(String),
    /// A key the author chooses (a capture name, an input name).
    Entry,
    /// An item of a list.
    Item,
}

/// Says where a node sits: under which key, and whether a value is required.
#[derive(Debug, Clone, Copy)]
struct Slot<'k> {
    key: Option<&'k Spanned<String>>,
    required: bool,
}

impl Slot<'_> {
    fn key_name(&self) -> Option<String> {
        self.key.map(|k| k.value.clone())
    }

    fn key_at(&self) -> Option<(u64, u64)> {
        self.key.map(|k| (k.referenced.line(), k.referenced.column()))
    }
}

struct Walker {
    format: &'static Format,
    options: fn() -> Options,
    path: Vec<Segment>,
    out: Vec<ShapeProblem>,
}

impl Walker {
    fn report(&mut self, node: &Spanned<impl Sized>, key_at: Option<(u64, u64)>, problem: Problem) {
        self.out.push(ShapeProblem {
            line: node.referenced.line(),
            column: node.referenced.column(),
            len: usize::try_from(node.referenced.span().len()).unwrap_or(0),
            key_at,
            problem,
        });
    }

    /// Checks `node` against `schema`; `hops` bounds schema indirections.
    fn check(&mut self, node: &Spanned<Node>, schema: &'static Value, slot: Slot<'_>, hops: usize) {
        let Some(schema) = resolve(&self.format.schema, schema, hops) else {
            return;
        };
        let hops = hops.saturating_sub(1);
        if hops == 0 {
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.check(node, part, slot, hops);
            }
        }
        for word in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(word).and_then(Value::as_array) {
                self.check_branches(node, branches, slot, hops);
            }
        }
        // A schema that names no type describes a free JSON value.
        let Some(kinds) = kinds_of(schema) else { return };
        if !self.has_accepted_kind(node, schema, &kinds, slot) {
            return;
        }
        match &node.value {
            Node::Map(entries) if kinds.contains(&Kind::Mapping) => {
                self.check_mapping(node, entries, schema, slot);
            }
            Node::Seq(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.path.push(Segment::Item);
                        let item_slot = Slot {
                            key: None,
                            required: false,
                        };
                        self.check(item, item_schema, item_slot, MAX_SCHEMA_HOPS);
                        self.path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// Picks the `oneOf` branch that matches the node's kind (a hand-written
    /// visitor dispatches on it), or reports the kinds the branches accept.
    fn check_branches(
        &mut self,
        node: &Spanned<Node>,
        branches: &'static [Value],
        slot: Slot<'_>,
        hops: usize,
    ) {
        let resolved: Vec<&'static Value> = branches
            .iter()
            .filter_map(|b| resolve(&self.format.schema, b, hops))
            .collect();
        let matching = resolved.iter().find(|branch| match kinds_of(branch) {
            None => true,
            Some(kinds) => kinds.iter().any(|k| kind_matches(&node.value, *k)),
        });
        if let Some(branch) = matching {
            self.check(node, branch, slot, hops);
            return;
        }
        let mut expected: Vec<Kind> = Vec::new();
        for kind in resolved.iter().filter_map(|b| kinds_of(b)).flatten() {
            if !expected.contains(&kind) {
                expected.push(kind);
            }
        }
        self.report_kind(node, expected, slot);
    }

    /// Tells whether the node's kind is one of `kinds`, reporting it when not;
    /// `false` also stops the walk below a `null` left to serde's defaults.
    fn has_accepted_kind(
        &mut self,
        node: &Spanned<Node>,
        schema: &Value,
        kinds: &[Kind],
        slot: Slot<'_>,
    ) -> bool {
        let accepted = match &node.value {
            Node::Null => kinds.contains(&Kind::Null) || !slot.required,
            Node::Map(_) => kinds.contains(&Kind::Mapping),
            Node::Seq(_) => kinds.contains(&Kind::List),
            scalar if kinds.contains(&Kind::String) => {
                if !matches!(scalar, Node::Str(_))
                    && let Some(key) = slot.key_name()
                    && self.is_duration(schema)
                {
                    self.report(node, slot.key_at(), Problem::NotADurationString { key });
                }
                true
            }
            scalar => kinds.iter().any(|kind| self.scalar_fits(scalar, *kind)),
        };
        if !accepted {
            self.report_kind(node, kinds.to_vec(), slot);
        }
        accepted && !matches!(node.value, Node::Null)
    }

    fn report_kind(&mut self, node: &Spanned<Node>, expected: Vec<Kind>, slot: Slot<'_>) {
        let key = slot.key_name();
        let problem = match &node.value {
            Node::Null if !slot.required => return,
            Node::Null => Problem::NoValue { key, expected },
            Node::Map(_) => Problem::WrongKind {
                key,
                expected,
                found: Found::Mapping,
            },
            Node::Seq(_) => Problem::WrongKind {
                key,
                expected,
                found: Found::List,
            },
            _ => Problem::WrongKind {
                key,
                expected,
                found: Found::Scalar,
            },
        };
        self.report(node, slot.key_at(), problem);
    }

    /// Tells whether serde would read this scalar as `kind`: quoted numbers
    /// and booleans are read too, so a string is asked of serde-saphyr itself.
    fn scalar_fits(&self, scalar: &Node, kind: Kind) -> bool {
        match (kind, scalar) {
            (Kind::String, _)
            | (Kind::Number, Node::Int(_) | Node::Float(_))
            | (Kind::Boolean, Node::Bool(_)) => true,
            (Kind::Integer { unsigned }, Node::Int(n)) => !unsigned || *n >= 0,
            (Kind::Integer { unsigned: true }, Node::Str(text)) => self.reads_as::<u64>(text),
            (Kind::Integer { unsigned: false }, Node::Str(text)) => self.reads_as::<i64>(text),
            (Kind::Number, Node::Str(text)) => self.reads_as::<f64>(text),
            (Kind::Boolean, Node::Str(text)) => self.reads_as::<bool>(text),
            _ => false,
        }
    }

    fn reads_as<T: de::DeserializeOwned>(&self, text: &str) -> bool {
        // A JSON string is a double-quoted YAML scalar with the same text.
        serde_json::to_string(text)
            .is_ok_and(|quoted| serde_saphyr::from_str_with_options::<T>(&quoted, (self.options)()).is_ok())
    }

    fn is_duration(&self, schema: &Value) -> bool {
        let described = |(key, _): &(&String, &Value)| key.as_str() != "description";
        let (Some(here), Some(duration)) = (schema.as_object(), self.format.duration.as_object()) else {
            return false;
        };
        here.iter().filter(described).count() == duration.iter().filter(described).count()
            && duration
                .iter()
                .filter(described)
                .all(|(key, value)| here.get(key) == Some(value))
    }

    fn check_mapping(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<String>, Spanned<Node>)],
        schema: &'static Value,
        slot: Slot<'_>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (key, value) in entries {
            if let Some(property) = properties.and_then(|p| p.get(&key.value)) {
                self.path.push(Segment::Key(key.value.clone()));
                let value_slot = Slot {
                    key: Some(key),
                    required: required.contains(&key.value.as_str()),
                };
                self.check(value, property, value_slot, MAX_SCHEMA_HOPS);
                self.path.pop();
                continue;
            }
            match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    let valid = self.declared_keys(properties);
                    let problem = Problem::UnknownKey {
                        key: key.value.clone(),
                        valid,
                    };
                    self.report(key, None, problem);
                }
                Some(entry_schema @ Value::Object(_)) => {
                    self.path.push(Segment::Entry);
                    let value_slot = Slot {
                        key: Some(key),
                        required: false,
                    };
                    self.check(value, entry_schema, value_slot, MAX_SCHEMA_HOPS);
                    self.path.pop();
                }
                _ => {}
            }
        }
        for absent in required
            .iter()
            .filter(|name| !entries.iter().any(|(key, _)| key.value == **name))
        {
            let problem = Problem::MissingKey {
                key: (*absent).to_owned(),
                parent: slot.key_name(),
                at_root: self.path.is_empty(),
            };
            self.report(node, slot.key_at(), problem);
        }
    }

    /// Returns the keys of the mapping at the current path in the order the
    /// model declares them (serde's field list, from a probe of the typed
    /// parse), or the schema's keys when the probe does not tell.
    fn declared_keys(&self, properties: Option<&Map<String, Value>>) -> Vec<String> {
        let from_schema: Vec<String> = properties
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        match declared_fields(&self.path, self.options) {
            Some(fields)
                if fields.len() == from_schema.len() && fields.iter().all(|f| from_schema.contains(f)) =>
            {
                fields
            }
            _ => from_schema,
        }
    }
}

/// Asks the typed parse for the fields of the struct at `path`: a document
/// that holds an unknown (empty) key there makes serde list them.
fn declared_fields(path: &[Segment], options: fn() -> Options) -> Option<Vec<String>> {
    let mut probe = json!({ "": null });
    for segment in path.iter().rev() {
        probe = match segment {
            Segment::Key(key) => {
                let mut map = Map::new();
                map.insert(key.clone(), probe);
                Value::Object(map)
            }
            Segment::Entry => json!({ "x": probe }),
            Segment::Item => json!([probe]),
        };
    }
    let text = serde_json::to_string(&probe).ok()?;
    let error = serde_saphyr::from_str_with_options::<Scenario>(&text, options()).err()?;
    match error.without_snippet() {
        YamlError::SerdeUnknownField { field, expected, .. } if field.is_empty() => {
            Some(expected.iter().map(|f| (*f).to_owned()).collect())
        }
        _ => None,
    }
}

/// Follows `$ref`s to the schema they name; `None` when `hops` ran out.
fn resolve(root: &'static Value, mut schema: &'static Value, hops: usize) -> Option<&'static Value> {
    for _ in 0..hops {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Some(schema);
        };
        schema = reference
            .strip_prefix("#/definitions/")
            .and_then(|name| root.get("definitions")?.get(name))
            .unwrap_or(&ANYTHING);
    }
    None
}

/// Returns the kinds a schema's `type` names, or `None` when it names none.
fn kinds_of(schema: &Value) -> Option<Vec<Kind>> {
    let unsigned = schema
        .get("minimum")
        .and_then(Value::as_f64)
        .is_some_and(|m| m >= 0.0);
    let kind = |name: &str| match name {
        "string" => Some(Kind::String),
        "integer" => Some(Kind::Integer { unsigned }),
        "number" => Some(Kind::Number),
        "boolean" => Some(Kind::Boolean),
        "array" => Some(Kind::List),
        "object" => Some(Kind::Mapping),
        "null" => Some(Kind::Null),
        _ => None,
    };
    match schema.get("type")? {
        Value::String(name) => Some(kind(name).into_iter().collect()),
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).filter_map(kind).collect()),
        _ => None,
    }
}

/// Tells whether a node is of `kind` as YAML wrote it, with no conversion:
/// how a hand-written visitor tells the forms of a shorthand apart.
fn kind_matches(node: &Node, kind: Kind) -> bool {
    matches!(
        (node, kind),
        (Node::Map(_), Kind::Mapping)
            | (Node::Seq(_), Kind::List)
            | (Node::Str(_), Kind::String)
            | (Node::Bool(_), Kind::Boolean)
            | (Node::Int(_), Kind::Integer { .. } | Kind::Number)
            | (Node::Float(_), Kind::Number)
            | (Node::Null, Kind::Null)
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;
    use crate::model::load::{MAX_DEPTH, parse_source};

    fn options() -> Options {
        serde_saphyr::options! {
            strict_booleans: true,
            leading_zero_numbers_as_strings: true,
            budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
        }
    }

    fn problems(source: &str) -> Vec<(u64, u64, Problem)> {
        find_problems(source, options)
            .unwrap_or_else(|| panic!("no tree for:\n{source}"))
            .into_iter()
            .map(|p| (p.line, p.column, p.problem))
            .collect()
    }

    fn unknown(key: &str) -> impl Fn(&Problem) -> bool + '_ {
        move |p| matches!(p, Problem::UnknownKey { key: k, .. } if k == key)
    }

    fn wrong(key: &str, expected: &[Kind], found: Found) -> Problem {
        Problem::WrongKind {
            key: Some(key.to_owned()),
            expected: expected.to_vec(),
            found,
        }
    }

    #[test]
    fn children_keep_their_locations_inside_the_generic_tree() {
        let tree: Spanned<Node> = serde_saphyr::from_str_with_options(
            "name: x\nsteps:\n  - get: /a\n    retry: { attempts: 3 }\n",
            options(),
        )
        .unwrap();
        let Node::Map(top) = &tree.value else {
            panic!("{tree:?}")
        };
        let (key, steps) = &top[1];
        assert_eq!(
            (key.value.as_str(), key.referenced.line(), key.referenced.column()),
            ("steps", 2, 1)
        );
        let Node::Seq(items) = &steps.value else {
            panic!("{steps:?}")
        };
        let Node::Map(step) = &items[0].value else {
            panic!("{items:?}")
        };
        let (key, retry) = &step[1];
        assert_eq!((key.referenced.line(), key.referenced.column()), (4, 5));
        assert_eq!((retry.referenced.line(), retry.referenced.column()), (4, 12));
        let Node::Map(retry) = &retry.value else {
            panic!("{retry:?}")
        };
        assert_eq!(retry[0].1.value, Node::Int(3));
        assert_eq!(retry[0].1.referenced.column(), 24);
    }

    #[test]
    fn nesting_as_deep_as_the_budget_allows_fits_a_small_stack() {
        let depth = MAX_DEPTH - 4;
        let mut source = String::from("name: x\nsteps:\n  - get: /a\n    stauts: 1\n    json:\n");
        for level in 0..depth {
            source.push_str(&" ".repeat(6 + 2 * level));
            source.push_str("a:\n");
        }
        let found = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || problems(&source))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(unknown("stauts")(&found[0].2));
    }

    #[test]
    fn unknown_keys_are_found_at_every_level_with_the_declared_keys() {
        let source = "name: x\nstep: []\nsnapshot: { redacted: [] }\ninputs: { a: { defualt: 1 } }\nsteps:\n  - get: /a\n    captur: {}\n    expect: { stats: 200 }\n    capture: { t: { jsonpth: $.t } }\n    snapshot: { redcat: [] }\n    retry: { attempts: 2, wait: 1s }\n  - ask: { var: a, prompt: b, envv: C }\nfinally:\n  - get: /b\n    hedaers: {}\n";
        let found = problems(source);
        let keys: Vec<(u64, &str)> = found
            .iter()
            .map(|(line, _, p)| match p {
                Problem::UnknownKey { key, .. } => (*line, key.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            keys,
            [
                (2, "step"),
                (3, "redacted"),
                (4, "defualt"),
                (7, "captur"),
                (8, "stats"),
                (9, "jsonpth"),
                (10, "redcat"),
                (11, "wait"),
                (12, "envv"),
                (15, "hedaers"),
            ]
        );
        let Problem::UnknownKey { valid, .. } = &found[3].2 else {
            unreachable!()
        };
        assert_eq!(valid[..4], ["name", "if", "get", "post"]);
        let Problem::UnknownKey { valid, .. } = &found[4].2 else {
            unreachable!()
        };
        assert_eq!(valid, &["status", "headers", "body", "subset", "max_time"]);
    }

    /// Returns the place the typed parse reports its (first) error at.
    fn typed_error_at(source: &str) -> (u64, u64) {
        let file = std::sync::Arc::new(std::path::PathBuf::from("t.yaml"));
        let d = parse_source(&file, source).expect_err(source);
        (d.location.line, d.location.column)
    }

    #[test]
    fn wrong_kinds_are_found_where_serde_refuses_them() {
        let unsigned = Kind::Integer { unsigned: true };
        let step = |rest: &str| format!("name: x\nsteps:\n  - get: /a\n    {rest}\n");
        let cases = [
            (
                "name: { a: 1 }\n".to_owned(),
                wrong("name", &[Kind::String], Found::Mapping),
            ),
            (
                "name: x\ntags: x\n".to_owned(),
                wrong("tags", &[Kind::List], Found::Scalar),
            ),
            (
                "name: x\nsteps:\n  - get: [/a]\n".to_owned(),
                wrong("get", &[Kind::String, Kind::Null], Found::List),
            ),
            (
                step("follow_redirects: yes"),
                wrong("follow_redirects", &[Kind::Boolean, Kind::Null], Found::Scalar),
            ),
            (
                step("retry: { attempts: three }"),
                wrong("attempts", &[unsigned], Found::Scalar),
            ),
            (
                step("retry: { attempts: -1 }"),
                wrong("attempts", &[unsigned], Found::Scalar),
            ),
            (
                step("retry: { attempts: 2, backoff: fast }"),
                wrong("backoff", &[Kind::Number, Kind::Null], Found::Scalar),
            ),
            (
                step("capture: { t: 12 }"),
                wrong("t", &[Kind::String, Kind::Mapping], Found::Scalar),
            ),
            (
                step("snapshot: maybe"),
                wrong("snapshot", &[Kind::Boolean, Kind::Mapping], Found::Scalar),
            ),
            (
                step("expect: [200]"),
                wrong("expect", &[Kind::Mapping], Found::List),
            ),
        ];
        for (source, problem) in cases {
            let found = find_problems(&source, options).unwrap();
            assert_eq!(found.len(), 1, "{source}");
            assert_eq!(found[0].problem, problem, "{source}");
            let typed = typed_error_at(&source);
            let place = (found[0].line, found[0].column);
            // Serde points at the value, or for some shorthands at its key.
            assert!(
                typed == place || Some(typed) == found[0].key_at,
                "{source}: {typed:?} vs {:?}",
                found[0]
            );
        }
    }

    #[test]
    fn one_run_finds_what_serde_finds_one_at_a_time() {
        let source = "name: { a: 1 }\ntags: x\nsteps:\n  - get: /a\n    follow_redirects: yes\n    retry: { attempts: three, backoff: fast }\n    capture: { t: 12 }\n    snapshot: maybe\n";
        let places: Vec<(u64, u64)> = problems(source).iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            places,
            [(1, 7), (2, 7), (5, 23), (6, 24), (6, 40), (7, 19), (8, 15)]
        );
    }

    #[test]
    fn scalars_serde_converts_are_accepted() {
        let source = "name: 12\ndescription: true\nsteps:\n  - get: 5\n    follow_redirects: \"true\"\n    retry: { attempts: \"3\", backoff: \"1.5\", interval: 5s }\n    capture: { t: { group: \"2\", status: true } }\n";
        let file = std::sync::Arc::new(std::path::PathBuf::from("t.yaml"));
        assert!(parse_source(&file, source).is_ok());
        assert_eq!(problems(source), []);
    }

    #[test]
    fn numbers_where_a_duration_string_is_expected_are_found() {
        let source = "name: x\nsteps:\n  - get: /a\n    timeout: 5\n    expect: { max_time: 1.5 }\n    retry: { attempts: 2, interval: true, deadline: 10s }\n";
        let found: Vec<(u64, Problem)> = problems(source).into_iter().map(|(l, _, p)| (l, p)).collect();
        let duration = |key: &str| Problem::NotADurationString { key: key.to_owned() };
        assert_eq!(
            found,
            [
                (4, duration("timeout")),
                (5, duration("max_time")),
                (6, duration("interval"))
            ]
        );
    }

    #[test]
    fn empty_values_are_left_to_serde_unless_a_value_is_required() {
        let source = "name:\nsecrets:\nsteps:\n  - get:\n    timeout:\n    retry: { attempts: }\n    capture: { t: }\n";
        let found = problems(source);
        let no_value = |key: &str, expected: &[Kind]| Problem::NoValue {
            key: Some(key.to_owned()),
            expected: expected.to_vec(),
        };
        assert_eq!(
            found,
            [
                (1, 5, no_value("name", &[Kind::String])),
                (6, 22, no_value("attempts", &[Kind::Integer { unsigned: true }])),
            ]
        );
    }

    #[test]
    fn missing_required_keys_are_found_where_the_mapping_starts() {
        let found = problems("steps:\n  - get: /a\n    retry: { interval: 1s }\n  - ask:\n      var: a\n");
        let missing = |key: &str, parent: Option<&str>, at_root: bool| Problem::MissingKey {
            key: key.to_owned(),
            parent: parent.map(str::to_owned),
            at_root,
        };
        assert_eq!(
            found,
            [
                (1, 1, missing("name", None, true)),
                (3, 12, missing("attempts", Some("retry"), false)),
                (5, 7, missing("prompt", Some("ask"), false)),
            ]
        );
    }

    #[test]
    fn free_json_values_are_not_looked_into() {
        let source = "name: x\nvars: { a: { b: [1, { c: d }] } }\nsteps:\n  - post: /a\n    json: { stauts: [1, { x: y }] }\n    headers: { X-A: [1, 2] }\n    expect:\n      status: 2xx\n      subset: { any: thing }\n      body:\n        $.a: { exists: yes please, lenght: 2 }\n        $.b: { name: x, role: [admin] }\n    capture: { t: { jsonpath: $.t, default: { any: [thing] } } }\n";
        assert_eq!(problems(source), []);
    }

    #[test]
    fn a_tree_that_is_not_string_keyed_is_left_to_the_typed_parse() {
        assert_eq!(find_problems("name: x\nvars:\n  ? [a]\n  : 1\n", options), None);
    }

    #[test]
    fn the_shipped_scenarios_and_loading_fixtures_have_no_shape_problems() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for folder in ["scenarios", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let path = entry.unwrap().into_path();
                if path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                let Ok(source) = String::from_utf8(std::fs::read(&path).unwrap()) else {
                    continue;
                };
                let file = std::sync::Arc::new(path.clone());
                if parse_source(&file, &source).is_err() {
                    continue;
                }
                let found = find_problems(&source, options);
                assert_eq!(found, Some(Vec::new()), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} files checked");
    }

    /// Lists a path to every mapping of the format whose keys are closed, with
    /// the schema definition that describes it (`None`: the root).
    fn closed_mappings() -> Vec<(Vec<Segment>, Option<&'static str>)> {
        let key = |k: &str| Segment::Key(k.to_owned());
        vec![
            (vec![], None),
            (vec![key("steps"), Segment::Item], Some("Step")),
            (vec![key("steps"), Segment::Item, key("expect")], Some("Expect")),
            (
                vec![key("steps"), Segment::Item, key("capture"), Segment::Entry],
                Some("CaptureSpec"),
            ),
            (vec![key("steps"), Segment::Item, key("retry")], Some("Retry")),
            (
                vec![key("steps"), Segment::Item, key("snapshot")],
                Some("SnapshotSettings"),
            ),
            (vec![key("steps"), Segment::Item, key("ask")], Some("Ask")),
            (vec![key("snapshot")], Some("SnapshotDefaults")),
            (vec![key("inputs"), Segment::Entry], Some("InputSpec")),
        ]
    }

    #[test]
    fn serde_and_the_schema_agree_on_every_closed_mapping() {
        let schema = &format().schema;
        let mut covered = BTreeSet::new();
        for (path, definition) in closed_mappings() {
            let described = match definition {
                Some(name) => {
                    covered.insert(name);
                    &schema["definitions"][name]
                }
                None => schema,
            };
            let from_schema: BTreeSet<&str> = described["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{definition:?} has no properties"))
                .keys()
                .map(String::as_str)
                .collect();
            let fields = declared_fields(&path, options).unwrap_or_else(|| panic!("no fields for {path:?}"));
            let from_serde: BTreeSet<&str> = fields.iter().map(String::as_str).collect();
            assert_eq!(from_serde, from_schema, "{definition:?}");
        }
        let closed: BTreeSet<&str> = schema["definitions"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, d)| d["additionalProperties"] == Value::Bool(false))
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(covered, closed, "a closed mapping is missing from this test");
    }
}
