//! Declares one combination of a scenario's `matrix:` (or one run of its
//! `repeat:`): the values its variables take and the label that tells it
//! apart, as in `Login [account=sms]`.
//!
//! Plain data. Must not read files, evaluate templates or touch HTTP: the
//! validator expands a matrix into cases and the engine binds their values.

use serde_json::Value;

/// Holds one combination of a scenario's matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Tells the combination apart in ids, e.g. `account=sms, tenant=a`.
    pub label: String,
    /// Gives each matrix variable its value, in axis order.
    pub vars: Vec<(String, Value)>,
    /// Its place in the matrix's combinations, from 0: where it runs among
    /// its file's scenarios, whichever of them a run selects.
    pub position: usize,
}

/// Returns a scenario's id: its name, followed by its case's label in
/// brackets when it is one combination of a matrix.
#[must_use]
pub fn scenario_id(name: &str, case: Option<&Case>) -> String {
    match case {
        Some(case) => format!("{name} [{}]", case.label),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_combination_in_brackets() {
        let case = Case {
            label: "account=sms".to_owned(),
            vars: vec![("account".to_owned(), Value::from("sms"))],
            position: 0,
        };
        assert_eq!(scenario_id("Login", Some(&case)), "Login [account=sms]");
        assert_eq!(scenario_id("Login", None), "Login");
    }
}
