//! Owns the outbox: every e-mail and SMS code the mock "sent", oldest first
//! and bounded, and the filters `/__mock/outbox` selects them with.
//!
//! Must not decide when codes are sent or what they are: the MFA rules do;
//! this file only keeps and finds them.

use std::collections::VecDeque;

use time::OffsetDateTime;

use super::account::Factor;

/// Describes one e-mail or SMS the mock "sent".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutboxMessage {
    pub(crate) name: String,
    pub(crate) factor: Factor,
    pub(crate) address: String,
    pub(crate) code: String,
    pub(crate) token: String,
    pub(crate) sent_at: OffsetDateTime,
}

/// Selects outbox messages; every field is optional.
#[derive(Debug, Clone, Default)]
pub(crate) struct OutboxFilter {
    pub(crate) name: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) factor: Option<String>,
    pub(crate) token: Option<String>,
}

impl OutboxFilter {
    /// Tells whether `message` passes every field given.
    fn matches(&self, message: &OutboxMessage) -> bool {
        self.name
            .as_deref()
            .is_none_or(|n| message.name.eq_ignore_ascii_case(n))
            && self.address.as_deref().is_none_or(|a| message.address == a)
            && self
                .factor
                .as_deref()
                .is_none_or(|f| message.factor.as_str() == f)
            && self.token.as_deref().is_none_or(|t| message.token == t)
    }
}

/// Holds the sent messages, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    messages: VecDeque<OutboxMessage>,
}

impl Outbox {
    /// Keeps `message`, dropping the oldest ones beyond `limit`.
    pub(crate) fn send(&mut self, message: OutboxMessage, limit: usize) {
        self.messages.push_back(message);
        while self.messages.len() > limit {
            self.messages.pop_front();
        }
    }

    /// Returns the messages matching `filter`, newest first.
    pub(crate) fn newest_first(&self, filter: &OutboxFilter) -> Vec<OutboxMessage> {
        self.messages
            .iter()
            .rev()
            .filter(|m| filter.matches(m))
            .cloned()
            .collect()
    }
}
