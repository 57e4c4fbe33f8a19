//! Serves the built-in Circularo mock (axum): state, handlers, seed, errors.
//!
//! Stands apart: must not import the engine, model or reporters.
