//! Consumes engine events and writes reports: console, JUnit, JSON.
//!
//! Must not call the engine, HTTP or anything that runs scenarios.
