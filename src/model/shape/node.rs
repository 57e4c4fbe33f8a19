//! Reads a YAML file into a generic located tree ([`Node`]): every mapping,
//! list and scalar as written, each child with its location, so the walk can
//! point at any of them.
//!
//! Must not know the scenario format: the tree is whatever the YAML holds.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::Spanned;

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

#[cfg(test)]
mod tests {
    use super::super::tests::options;
    use super::*;

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
}
