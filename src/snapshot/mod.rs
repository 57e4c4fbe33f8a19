//! Owns response snapshots: the `.snap` file format (insta-compatible), comparing,
//! diffs, pending `.snap.new` files and their review.
//!
//! Must not touch HTTP or the terminal beyond the interactive review it is asked to run.
