//! Names what the shape walk can find wrong with a node, located but not
//! worded: the loader turns each [`ShapeProblem`] into a diagnostic.
//!
//! Must not word messages or know where a problem came from.

/// Names a kind of node the format expects somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
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
pub enum Found {
    /// A scalar; its text is quoted from the source at the problem's place.
    Scalar,
    /// A sequence.
    List,
    /// A mapping.
    Mapping,
}

/// Describes one problem the walk found, without wording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
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
pub struct ShapeProblem {
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
