//! Derives snapshot file names from scenario files and step names.
//!
//! Names must be stable across runs and platforms, safe as file names on every
//! filesystem, and readable by insta, which splits `module__name` at the last `__`.
//!
//! Must not touch the file system: names are computed from text alone.

/// Longest slug kept, in bytes (ASCII only, so also in characters).
const MAX_SLUG_LEN: usize = 60;

/// Returns the snapshot name `<stem>__<step-slug>` for a step.
///
/// Both parts are lowercased; ASCII letters and digits are kept, common Latin
/// letters with diacritics are transliterated (`č` -> `c`, `ß` -> `ss`),
/// combining marks are dropped and anything else becomes a `-` separator, with
/// runs collapsed and ends trimmed. The stem also keeps `_`. Each part is cut to
/// 60 characters. A step name that leaves nothing (only emoji or CJK, say) falls
/// back to `step-<step_number>`, and an empty stem to `scenario`.
#[must_use]
pub fn snapshot_name(scenario_file_stem: &str, step_name: &str, step_number: usize) -> String {
    let mut stem = slug_with(scenario_file_stem, &['_']);
    if stem.is_empty() {
        stem = "scenario".to_owned();
    }
    let mut step = slug_with(step_name, &[]);
    if step.is_empty() {
        step = format!("step-{step_number}");
    }
    format!("{stem}__{step}")
}

/// Returns `text` as a lowercase ASCII slug, keeping the characters in `keep`.
fn slug_with(text: &str, keep: &[char]) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_separator = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let piece: Option<&str> = if c.is_ascii_alphanumeric() || keep.contains(&c) {
            None
        } else if is_combining_mark(c) {
            continue;
        } else if let Some(ascii) = transliterate(c) {
            Some(ascii)
        } else {
            pending_separator = true;
            continue;
        };
        if pending_separator && !slug.is_empty() {
            slug.push('-');
        }
        pending_separator = false;
        match piece {
            Some(ascii) => slug.push_str(ascii),
            None => slug.push(c),
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
        let trimmed = slug.trim_end_matches('-').len();
        slug.truncate(trimmed);
    }
    slug
}

/// Tells whether `c` only decorates the previous letter (decomposed accents).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Returns the ASCII spelling of a lowercase Latin letter with diacritics.
fn transliterate(c: char) -> Option<&'static str> {
    let ascii = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    };
    Some(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stem_and_step_slug() {
        assert_eq!(snapshot_name("login", "POST /login", 1), "login__post-login");
        assert_eq!(
            snapshot_name("login_mfa", "Step 2: verify code (TOTP)", 2),
            "login_mfa__step-2-verify-code-totp"
        );
    }

    #[test]
    fn collapses_runs_and_trims_separators() {
        assert_eq!(slug_with("  --Hello,   World!!  ", &[]), "hello-world");
        assert_eq!(slug_with("a__b", &[]), "a-b");
        assert_eq!(slug_with("a__b", &['_']), "a__b");
    }

    #[test]
    fn transliterates_latin_letters_and_drops_accents() {
        assert_eq!(slug_with("Přihlášení uživatele", &[]), "prihlaseni-uzivatele");
        assert_eq!(slug_with("Straße Œuvre", &[]), "strasse-oeuvre");
        // "é" written as "e" + combining acute stays one letter.
        assert_eq!(slug_with("cafe\u{301} noir", &[]), "cafe-noir");
    }

    #[test]
    fn other_scripts_separate_words() {
        assert_eq!(slug_with("a日b", &[]), "a-b");
        assert_eq!(slug_with("ログイン", &[]), "");
        assert_eq!(slug_with("🔐 login", &[]), "login");
    }

    #[test]
    fn falls_back_when_nothing_is_left() {
        assert_eq!(snapshot_name("flows", "🚀🚀", 3), "flows__step-3");
        assert_eq!(snapshot_name("日本", "get", 1), "scenario__get");
    }

    #[test]
    fn cuts_long_names_without_trailing_separator() {
        let long = format!("{} tail", "x".repeat(59));
        let slug = slug_with(&long, &[]);
        assert_eq!(slug, "x".repeat(59));
        assert!(slug_with(&"word ".repeat(40), &[]).len() <= MAX_SLUG_LEN);
    }

    #[test]
    fn never_produces_path_characters() {
        let name = snapshot_name("../etc", "a/b\\c:d*e?f\"g<h>i|j.k", 1);
        assert_eq!(name, "etc__a-b-c-d-e-f-g-h-i-j-k");
    }
}
