//! Owns tag expressions, the values of `--tag`: a tag name, or tags joined
//! with `and`, `or`, `not` and parentheses (`mfa and not sms`), parsed by
//! recursive descent with `not` binding tighter than `and`, and `and` than
//! `or`. A tag is any run of characters other than white space and
//! parentheses; the three words are keywords, lowercase only.
//!
//! Must not know where tags come from nor which flag carried the text: the
//! selection matches an expression against a scenario's tags and names the flag.

use std::fmt;

/// Holds a parsed tag expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TagExpr {
    /// The scenario carries this tag.
    Tag(String),
    /// The inner expression does not hold.
    Not(Box<TagExpr>),
    /// Both hold.
    And(Box<TagExpr>, Box<TagExpr>),
    /// Either holds.
    Or(Box<TagExpr>, Box<TagExpr>),
}

/// Explains why a tag expression does not parse; columns count characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum TagExprError {
    /// Nothing but white space.
    #[error("the expression is empty: expected a tag")]
    Empty,
    /// An operand is missing.
    #[error("expected a tag {place}, found {found}")]
    ExpectedTag {
        /// Where: after which token (quoted) at which column.
        place: String,
        /// What came instead.
        found: String,
    },
    /// Two operands with no operator between them.
    #[error("expected `and` or `or` before {found} at column {column}")]
    ExpectedOperator {
        /// What came instead, quoted.
        found: String,
        /// Its column.
        column: usize,
    },
    /// A `(` without its `)`.
    #[error("`(` at column {column} is never closed: expected `)` before the end")]
    Unclosed {
        /// The column of the `(`.
        column: usize,
    },
    /// A `)` without its `(`.
    #[error("`)` at column {column} closes no `(`")]
    Unopened {
        /// The column of the `)`.
        column: usize,
    },
}

impl TagExpr {
    /// Parses `text` as a tag expression.
    ///
    /// # Errors
    /// Returns [`TagExprError`] naming the column where it goes wrong.
    pub(super) fn parse(text: &str) -> Result<Self, TagExprError> {
        let tokens = tokenize(text);
        if tokens.is_empty() {
            return Err(TagExprError::Empty);
        }
        let mut parser = Parser { tokens, at: 0 };
        let expr = parser.or()?;
        match parser.tokens.get(parser.at) {
            None => Ok(expr),
            Some(Token {
                kind: Kind::Close,
                column,
            }) => Err(TagExprError::Unopened { column: *column }),
            Some(token) => Err(TagExprError::ExpectedOperator {
                found: token.describe(),
                column: token.column,
            }),
        }
    }

    /// Tells whether a scenario satisfies the expression, `has` telling which tags it carries.
    pub(super) fn matches(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            TagExpr::Tag(tag) => has(tag),
            TagExpr::Not(inner) => !inner.matches(has),
            TagExpr::And(left, right) => left.matches(has) && right.matches(has),
            TagExpr::Or(left, right) => left.matches(has) || right.matches(has),
        }
    }
}

/// Writes the expression fully parenthesised, so its grouping shows.
impl fmt::Display for TagExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TagExpr::Tag(tag) => write!(f, "{tag}"),
            TagExpr::Not(inner) => write!(f, "(not {inner})"),
            TagExpr::And(left, right) => write!(f, "({left} and {right})"),
            TagExpr::Or(left, right) => write!(f, "({left} or {right})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Tag(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    column: usize,
}

impl Token {
    fn describe(&self) -> String {
        match &self.kind {
            Kind::Tag(tag) => format!("the tag `{tag}`"),
            Kind::And => "`and`".to_owned(),
            Kind::Or => "`or`".to_owned(),
            Kind::Not => "`not`".to_owned(),
            Kind::Open => "`(`".to_owned(),
            Kind::Close => "`)`".to_owned(),
        }
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut word_column = 0;
    for (index, c) in text.chars().enumerate() {
        let column = index + 1;
        if c.is_whitespace() || c == '(' || c == ')' {
            if !word.is_empty() {
                tokens.push(word_token(std::mem::take(&mut word), word_column));
            }
            match c {
                '(' => tokens.push(Token {
                    kind: Kind::Open,
                    column,
                }),
                ')' => tokens.push(Token {
                    kind: Kind::Close,
                    column,
                }),
                _ => {}
            }
        } else {
            if word.is_empty() {
                word_column = column;
            }
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push(word_token(word, word_column));
    }
    tokens
}

fn word_token(word: String, column: usize) -> Token {
    let kind = match word.as_str() {
        "and" => Kind::And,
        "or" => Kind::Or,
        "not" => Kind::Not,
        _ => Kind::Tag(word),
    };
    Token { kind, column }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Kind> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn or(&mut self) -> Result<TagExpr, TagExprError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Kind::Or) {
            self.at += 1;
            let right = self.and()?;
            left = TagExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<TagExpr, TagExprError> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Kind::And) {
            self.at += 1;
            let right = self.unary()?;
            left = TagExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<TagExpr, TagExprError> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(self.expected_tag("the end".to_owned()));
        };
        match token.kind {
            Kind::Tag(tag) => {
                self.at += 1;
                Ok(TagExpr::Tag(tag))
            }
            Kind::Not => {
                self.at += 1;
                Ok(TagExpr::Not(Box::new(self.unary()?)))
            }
            Kind::Open => {
                self.at += 1;
                let inner = self.or()?;
                if self.peek() == Some(&Kind::Close) {
                    self.at += 1;
                    Ok(inner)
                } else if self.at < self.tokens.len() {
                    let found = &self.tokens[self.at];
                    Err(TagExprError::ExpectedOperator {
                        found: found.describe(),
                        column: found.column,
                    })
                } else {
                    Err(TagExprError::Unclosed { column: token.column })
                }
            }
            Kind::And | Kind::Or | Kind::Close => {
                Err(self.expected_tag(format!("{} at column {}", token.describe(), token.column)))
            }
        }
    }

    /// Describes a missing operand, naming the token before it.
    fn expected_tag(&self, found: String) -> TagExprError {
        let place = match self.at.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(before) => format!("after {} at column {}", before.describe(), before.column),
            None => "at column 1".to_owned(),
        };
        TagExprError::ExpectedTag { place, found }
    }
}

#[cfg(test)]
#[path = "tag_expr_tests.rs"]
mod tests;
