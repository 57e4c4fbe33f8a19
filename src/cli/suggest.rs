//! Suggests the subcommand a user meant when clap found none close enough:
//! clap's threshold misses short typos such as `rn` for `run`.
//!
//! Reads only the clap error and the command tree; must not parse options
//! or run anything.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, Error};

/// Adds a "similar subcommand" tip to an unknown-subcommand error that has
/// none, naming a sibling of the mistyped word one edit away from it.
pub fn add_subcommand_tip(error: &mut Error, root: &Command, args: &[String]) {
    if error.kind() != ErrorKind::InvalidSubcommand || error.get(ContextKind::SuggestedSubcommand).is_some() {
        return;
    }
    let Some(ContextValue::String(typed)) = error.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    let typed = typed.clone();
    let parent = command_holding(root, args, &typed);
    let names: Vec<&str> = parent.get_subcommands().map(Command::get_name).collect();
    if let Some(name) = closest(&typed, &names) {
        error.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::String(name.to_owned()),
        );
    }
}

/// Finds the command whose subcommand `typed` was meant to be, following
/// the subcommands named in `args` before it.
fn command_holding<'a>(root: &'a Command, args: &[String], typed: &str) -> &'a Command {
    let mut current = root;
    for arg in args {
        if arg == typed {
            break;
        }
        if let Some(sub) = current.find_subcommand(arg) {
            current = sub;
        }
    }
    current
}

/// Returns the only name one edit (insert, delete, change or swap) from
/// `typed`; none when several are, so the tip is never a guess.
fn closest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let mut near = names
        .iter()
        .filter(|name| strsim::damerau_levenshtein(&typed, name) == 1);
    match (near.next(), near.next()) {
        (Some(name), None) => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["run", "check", "list", "mock", "state", "schema"];

    #[test]
    fn one_edit_away_is_suggested() {
        assert_eq!(closest("rn", NAMES), Some("run"));
        assert_eq!(closest("chekc", NAMES), Some("check"));
        assert_eq!(closest("Lst", NAMES), Some("list"));
    }

    #[test]
    fn far_or_ambiguous_words_get_no_tip() {
        assert_eq!(closest("deploy", NAMES), None);
        assert_eq!(closest("run", NAMES), None);
        assert_eq!(closest("ab", &["a", "b"]), None);
    }

    #[test]
    fn the_tip_names_a_sibling_of_the_mistyped_word() {
        let root = Command::new("scenario")
            .subcommand(Command::new("run"))
            .subcommand(Command::new("state").subcommand(Command::new("reset")));
        let args: Vec<String> = ["scenario", "state", "rest"].map(String::from).to_vec();
        let mut error = root.clone().try_get_matches_from(&args).unwrap_err();
        add_subcommand_tip(&mut error, &root, &args);
        assert!(error.to_string().contains("'reset'"), "{error}");

        let args: Vec<String> = ["scenario", "rn"].map(String::from).to_vec();
        let mut error = root.clone().try_get_matches_from(&args).unwrap_err();
        add_subcommand_tip(&mut error, &root, &args);
        assert!(error.to_string().contains("'run'"), "{error}");
    }
}
