//! Wires a command together: load scenarios, start the mock when needed, run
//! the engine, feed reporters, and turn the outcome into an exit status.
//!
//! Owns no domain rules of its own.
