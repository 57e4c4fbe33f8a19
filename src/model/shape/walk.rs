//! Walks a file's generic tree against the format's shape and collects every
//! [`ShapeProblem`]: unknown and missing keys, nodes of the wrong kind, empty
//! values, numbers where a duration string is expected.
//!
//! Must not word messages or decide whether the file loads; must not report
//! what the typed parse would accept.

use serde::de;
use serde_json::{Map, Value};
use serde_saphyr::Options;

use super::format::{
    Format, MAX_SCHEMA_HOPS, Segment, declared_fields, format, kind_matches, kinds_of, resolve,
};
use super::node::Node;
use super::problem::{Found, Kind, Problem, ShapeProblem};
use crate::model::Spanned;

/// Gives the walk room for the deepest tree the parser's budget lets through:
/// serde's generic code costs tens of kilobytes of stack per nesting level in
/// unoptimised builds, and the stack is only reserved, not committed.
const WALK_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Returns every shape problem of `source`, in file order, or `None` when the
/// text cannot be read as a tree of string-keyed mappings (the typed parse's
/// own error then stands alone). `options` makes the parser options the typed
/// parse uses.
pub fn find_problems(source: &str, options: fn() -> Options) -> Option<Vec<ShapeProblem>> {
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

/// Parses `source` into its generic tree and walks it from the root.
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
        let matching = resolved
            .iter()
            .find(|branch| match kinds_of(branch) {
                None => true,
                Some(kinds) => kinds.iter().any(|k| kind_matches(&node.value, *k)),
            })
            // A quoted `"true"` is still read as a boolean by the visitors that take one.
            .or_else(|| {
                resolved.iter().find(|branch| {
                    kinds_of(branch).is_some_and(|kinds| {
                        kinds
                            .iter()
                            .any(|k| !matches!(k, Kind::String) && self.scalar_fits(&node.value, *k))
                    })
                })
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
        let template = is_template_or_literal(schema);
        // A number-or-template field reads as its number kind: a string is only a carrier.
        let literal: Vec<Kind> = kinds
            .iter()
            .copied()
            .filter(|k| !template || *k != Kind::String)
            .collect();
        let kinds = literal.as_slice();
        let accepted = match &node.value {
            Node::Null => kinds.contains(&Kind::Null) || !slot.required,
            Node::Map(_) => kinds.contains(&Kind::Mapping),
            Node::Seq(_) => kinds.contains(&Kind::List),
            // A string here must be a template, or read as the literal's kind ("3").
            scalar if template => {
                matches!(scalar, Node::Str(text) if text.contains("{{"))
                    || kinds.iter().any(|kind| self.scalar_fits(scalar, *kind))
            }
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

/// Tells whether a schema takes a literal or a template string
/// ([`crate::model::Templated`]): its strings must hold `{{`.
fn is_template_or_literal(schema: &Value) -> bool {
    schema.get("pattern").and_then(Value::as_str) == Some(crate::model::TEMPLATE_PATTERN)
}
