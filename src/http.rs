//! Sends requests: the only user of reqwest.
//!
//! Turns a rendered request into an [`crate::check::Response`]; must not know
//! scenarios, templates or the terminal.
