//! Mutates the shipped scenarios with a seeded generator and checks each
//! result: `scenario check`'s library must report, never panic, whatever
//! the bytes. A bounded number of mutations runs in `cargo test`; set
//! `SCENARIO_MUTATIONS` (and `SCENARIO_MUTATION_SEED`) for a longer run, as
//! `.ci/mutations` does.
//!
//! Must not reach the network or write outside its temporary folder.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scenario::model::diag::RenderOptions;
use scenario::validate::check_paths;

/// Mutations per `cargo test` run: a few seconds in a debug build.
const DEFAULT_MUTATIONS: usize = 250;

/// Pieces a mutation may insert: YAML and template syntax, hostile values
/// and the meaningless ones `check` must name.
const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\n",
    "\n  ",
    "\t",
    "#",
    "&a",
    "*a",
    "!!binary",
    "? ",
    "|",
    ">-",
    "$..",
    "$[",
    "[?@.x]",
    "0s",
    "-1",
    "1e400",
    "1000000000000",
    "~",
    "null",
    "[]",
    "{}",
    "\u{0}",
    "\u{feff}",
    "é",
    "😀",
    "{{ x[0:4] }}",
    "{{ uuidd() }}",
    "{{ a | base64_encod }}",
    "{{ env('UNSET') }}",
    "http://[::1",
    "steps: []",
    "use: ../password-login.yaml",
    "timeout: 0s",
    "length: -1",
    "not: ",
    "matches: '('",
];

/// Generates the same numbers for the same seed (xorshift64*).
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound.max(1) as u64).unwrap_or(0)
    }
}

/// Returns `text` changed in one of several ways: bytes deleted, a piece
/// inserted, a line duplicated, two lines swapped, or a run of bytes repeated.
fn mutate(text: &str, random: &mut Seeded) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=random.below(3) {
        let at = random.below(bytes.len() + 1);
        match random.below(5) {
            0 => {
                let end = (at + random.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let piece = PIECES[random.below(PIECES.len())].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            2 | 3 => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 1 {
                    let (a, b) = (random.below(lines.len()), random.below(lines.len()));
                    if random.below(2) == 0 {
                        lines.swap(a, b);
                    } else {
                        lines.insert(b, lines[a]);
                    }
                }
                bytes = lines.join("\n").into_bytes();
            }
            _ => {
                let end = (at + random.below(8)).min(bytes.len());
                let run = bytes[at..end].to_vec();
                for _ in 0..random.below(64) {
                    bytes.splice(at..at, run.iter().copied());
                }
            }
        }
    }
    bytes
}

/// Copies the shipped scenarios (flows included) into `dir`, returning the copies.
fn copy_scenarios(dir: &Path) -> Vec<PathBuf> {
    let source = support::root().join("scenarios");
    let mut copies = Vec::new();
    for entry in walkdir::WalkDir::new(&source).into_iter().flatten() {
        let relative = entry.path().strip_prefix(&source).unwrap();
        let target = dir.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            copies.push(target);
        }
    }
    copies.sort();
    copies
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn check_reports_every_mutated_scenario_without_panicking() {
    let mutations = usize::try_from(env_number("SCENARIO_MUTATIONS", DEFAULT_MUTATIONS as u64)).unwrap();
    let seed = env_number("SCENARIO_MUTATION_SEED", 0x5CE7_A210);
    let dir = tempfile::tempdir().unwrap();
    let files = copy_scenarios(dir.path());
    let originals: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let known: BTreeSet<String> = ["user", "password", "code_source", "totp_secret", "email_user"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut random = Seeded(seed | 1);
    let mut reported = 0;
    for round in 0..mutations {
        let pick = random.below(files.len());
        let mutated = mutate(&originals[pick], &mut random);
        std::fs::write(&files[pick], &mutated).unwrap();
        let outcome = std::panic::catch_unwind(|| {
            let report = check_paths(std::slice::from_ref(&files[pick]), &known);
            let _ = report.render(RenderOptions { color: false });
            let _ = report.render_compact();
            report.has_errors()
        });
        match outcome {
            Ok(has_errors) => reported += usize::from(has_errors),
            Err(_) => panic!(
                "check panicked on mutation {round} (seed {seed}) of {}:\n{}",
                files[pick].display(),
                String::from_utf8_lossy(&mutated)
            ),
        }
        std::fs::write(&files[pick], &originals[pick]).unwrap();
    }
    // The generator must be hostile enough to matter: most mutations are errors.
    assert!(
        reported * 3 > mutations,
        "only {reported} of {mutations} mutations were reported as errors"
    );
}
