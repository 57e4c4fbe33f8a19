//! Guards the shape of the source tree: layers point one way, no two files
//! import each other (directly or round a loop), every module says what it
//! owns and what it must not touch, and no file grows past ~500 lines without
//! saying why.
//!
//! Reads `src/` as text; must not build or run anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines a file may hold before its module doc must say why it is longer.
const MAX_LINES: usize = 520;
/// The phrase a module doc uses to say why its file is long.
const LONG_FILE_MARK: &str = "Long file:";

/// Lists, for each top-level module of the library, the modules it may use.
/// A new module must be added here, in its layer.
const LAYERS: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("secret", &[]),
    ("state", &["secret"]),
    ("template", &[]),
    ("http", &[]),
    ("snapshot", &[]),
    ("mock", &[]),
    ("model", &["secret"]),
    ("check", &["model", "secret"]),
    ("validate", &["model", "check", "template", "secret"]),
    (
        "engine",
        &[
            "model", "check", "http", "template", "snapshot", "secret", "state",
        ],
    ),
    ("report", &["engine", "model", "secret"]),
    (
        "app",
        &[
            "engine", "model", "check", "http", "template", "snapshot", "secret", "state", "validate",
            "report", "mock", "error",
        ],
    ),
];

/// One library source file, as a module path (`["engine", "runner"]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Module(Vec<String>);

impl Module {
    fn top(&self) -> Option<&str> {
        self.0.first().map(String::as_str)
    }

    fn name(&self) -> String {
        if self.0.is_empty() {
            "crate".to_owned()
        } else {
            self.0.join("::")
        }
    }
}

struct Tree {
    /// Every library module, with its file and whether it is a folder's `mod.rs`.
    files: BTreeMap<Module, (PathBuf, bool)>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Returns every `.rs` file under `src/`, sorted.
fn all_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
}

/// Tells whether a file belongs to the binary (clap lives there), not the library.
fn is_binary(relative: &Path) -> bool {
    relative == Path::new("main.rs") || relative.starts_with("cli")
}

/// Tells whether a file holds only unit tests of its parent (`x/tests.rs`, `x_tests.rs`).
fn is_test_file(relative: &Path) -> bool {
    relative
        .file_stem()
        .is_some_and(|s| s == "tests" || s == "fixtures")
}

fn module_of(relative: &Path) -> (Module, bool) {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs").to_owned();
    match stem.as_str() {
        "lib" if parts.is_empty() => (Module(Vec::new()), true),
        "mod" => (Module(parts), true),
        _ => {
            parts.push(stem);
            (Module(parts), false)
        }
    }
}

impl Tree {
    fn read() -> Self {
        let root = src();
        let mut files = BTreeMap::new();
        for path in all_files() {
            let relative = path.strip_prefix(&root).unwrap().to_path_buf();
            if is_binary(&relative) || is_test_file(&relative) {
                continue;
            }
            let (module, is_face) = module_of(&relative);
            files.insert(module, (path, is_face));
        }
        Self { files }
    }

    fn is_module(&self, path: &[String]) -> bool {
        self.files.contains_key(&Module(path.to_vec()))
    }
}

/// Returns a file's text without comments, and without its inline unit tests
/// (`#[cfg(test)] mod tests { ... }`), which may use anything.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests {"))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let without_comment = match line.find("// ") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push_str(without_comment);
        out.push('\n');
    }
    out
}

/// Expands one `use` tree (`super::{a, b::{C, D}}`) into its paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or(&tree).to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand_use(&format!("{prefix}{p}")))
        .collect()
}

/// Lists every path a file names that starts with `crate::`, `super::` or `self::`.
fn referenced_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    // `use` statements first: their brace groups need expanding.
    let mut outside_uses = String::new();
    while let Some(at) = find_use(rest) {
        outside_uses.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find(';').unwrap_or(after.len());
        let statement = after[..end]
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ");
        let statement = statement.trim_start_matches("pub ").trim_start_matches("use ");
        paths.extend(expand_use(statement));
        rest = &after[end..];
    }
    outside_uses.push_str(rest);
    let bytes = outside_uses.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = outside_uses[from..].find(start) {
            let at = from + found;
            let boundary = at == 0
                || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':');
            let end = outside_uses[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(outside_uses.len(), |e| at + e);
            if boundary {
                paths.push(outside_uses[at..end].trim_end_matches(':').to_owned());
            }
            from = end.max(at + 1);
        }
    }
    paths
}

/// Finds the next `use` statement at the start of a line.
fn find_use(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .any(|p| trimmed.starts_with(p))
        {
            return Some(offset + indent);
        }
        offset += line.len();
    }
    None
}

/// Lists the names of the public items a file declares (for `pub use child::*`).
fn public_items(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in code.lines() {
        let Some(rest) = line.strip_prefix("pub ") else {
            continue;
        };
        for keyword in [
            "struct ",
            "enum ",
            "fn ",
            "type ",
            "const ",
            "static ",
            "trait ",
            "async fn ",
        ] {
            if let Some(after) = rest.strip_prefix(keyword) {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
        }
    }
    names
}

/// Lists `pub use child::{A, B}` (and `pub use child::*`) re-exports of a
/// folder's face: item name -> child module.
fn re_exports(code: &str, child_code: impl Fn(&str) -> Option<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut rest = code;
    while let Some(at) = find_use(rest) {
        let after = &rest[at..];
        let end = after.find(';').unwrap_or(after.len());
        let statement = &after[..end];
        if statement.trim_start().starts_with("pub") {
            let tree = statement.split_once("use ").map_or("", |(_, t)| t);
            for path in expand_use(tree) {
                let segments: Vec<&str> = path.split("::").collect();
                match (segments.first(), segments.last()) {
                    (Some(first), Some(&"*")) => {
                        for item in child_code(first).map(|c| public_items(&c)).unwrap_or_default() {
                            map.entry(item).or_insert_with(|| (*first).to_owned());
                        }
                    }
                    (Some(first), Some(last)) if segments.len() >= 2 => {
                        map.insert((*last).to_owned(), (*first).to_owned());
                    }
                    _ => {}
                }
            }
        }
        rest = &after[end..];
    }
    map
}

/// Resolves a path named in `from` to the library file it points into.
fn resolve(
    tree: &Tree,
    faces: &BTreeMap<Module, BTreeMap<String, String>>,
    from: &Module,
    path: &str,
) -> Option<Module> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut current: Vec<String> = match segments.next()? {
        "crate" => Vec::new(),
        "self" => from.0.clone(),
        "super" => {
            // A file's module and a folder's `mod.rs` both sit one level below their parent.
            let mut parent = from.0.clone();
            parent.pop();
            parent
        }
        _ => return None,
    };
    let rest: Vec<&str> = segments.collect();
    let mut index = 0;
    while index < rest.len() {
        if rest[index] == "super" {
            current.pop();
            index += 1;
            continue;
        }
        let mut next = current.clone();
        next.push(rest[index].to_owned());
        if tree.is_module(&next) {
            current = next;
            index += 1;
        } else {
            break;
        }
    }
    // An item re-exported by a folder's face lives in one of its children.
    if let Some(item) = rest.get(index)
        && let Some(child) = faces.get(&Module(current.clone())).and_then(|m| m.get(*item))
    {
        let mut next = current.clone();
        next.push(child.clone());
        if tree.is_module(&next) {
            current = next;
        }
    }
    Some(Module(current))
}

/// Builds the graph of which library file uses which.
fn dependencies() -> BTreeMap<Module, BTreeSet<Module>> {
    let tree = Tree::read();
    let code: BTreeMap<Module, String> = tree
        .files
        .iter()
        .map(|(m, (path, _))| (m.clone(), code_of(&std::fs::read_to_string(path).unwrap())))
        .collect();
    let faces: BTreeMap<Module, BTreeMap<String, String>> = tree
        .files
        .iter()
        .filter(|(_, (_, is_face))| *is_face)
        .map(|(m, _)| {
            let child_code = |child: &str| {
                let mut path = m.0.clone();
                path.push(child.to_owned());
                code.get(&Module(path)).cloned()
            };
            (m.clone(), re_exports(&code[m], child_code))
        })
        .collect();
    let mut graph = BTreeMap::new();
    for (module, (_, is_face)) in &tree.files {
        let mut uses = BTreeSet::new();
        for path in referenced_paths(&code[module]) {
            let Some(target) = resolve(&tree, &faces, module, &path) else {
                continue;
            };
            // A face declaring and re-exporting its own children is not a use.
            let own_child = *is_face && target.0.len() > module.0.len() && target.0.starts_with(&module.0);
            if target != *module && !own_child && tree.files.contains_key(&target) {
                uses.insert(target);
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

#[test]
fn layers_point_one_way() {
    let layers: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut problems = Vec::new();
    for (module, uses) in dependencies() {
        let Some(top) = module.top() else { continue };
        let Some(allowed) = layers.get(top) else {
            problems.push(format!(
                "{}: top-level module `{top}` is not in LAYERS; add it in its layer",
                module.name()
            ));
            continue;
        };
        for used in uses {
            let Some(used_top) = used.top() else { continue };
            if used_top != top && !allowed.contains(&used_top) {
                problems.push(format!(
                    "{} uses {}, but `{top}` may only use {allowed:?}",
                    module.name(),
                    used.name()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

#[test]
fn no_two_files_depend_on_each_other() {
    let graph = dependencies();
    let mut problems = BTreeSet::new();
    // Every cycle shows up as a path back to its start; report each loop once.
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let mut names: Vec<String> = trail.iter().map(Module::name).collect();
                    names.push(start.name());
                    let mut key = trail.clone();
                    key.sort();
                    if problems.iter().all(|(k, _): &(Vec<Module>, String)| *k != key) {
                        problems.insert((key, names.join(" -> ")));
                    }
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    let loops: Vec<String> = problems.into_iter().map(|(_, text)| text).collect();
    assert!(
        loops.is_empty(),
        "import cycles between files:\n{}",
        loops.join("\n")
    );
}

#[test]
fn every_module_says_what_it_owns_and_must_not_touch() {
    let root = src();
    let mut problems = Vec::new();
    for path in all_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let relative = path.strip_prefix(&root).unwrap().display().to_string();
        let doc: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!").trim())
            .collect::<Vec<_>>()
            .join(" ");
        if doc.is_empty() {
            problems.push(format!("{relative}: no `//!` module doc on the first line"));
        } else if !doc.to_lowercase().contains("must not") {
            problems.push(format!(
                "{relative}: the module doc does not say what it must not touch (`Must not ...`)"
            ));
        }
    }
    assert!(problems.is_empty(), "module docs:\n{}", problems.join("\n"));
}

#[test]
fn long_files_say_why() {
    let root = src();
    let mut problems = Vec::new();
    for path in all_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = text.lines().count();
        let doc: String = text.lines().take_while(|l| l.starts_with("//!")).collect();
        if lines > MAX_LINES && !doc.contains(LONG_FILE_MARK) {
            problems.push(format!(
                "{}: {lines} lines; split it by concern, or say why in its module doc (`{LONG_FILE_MARK} ...`)",
                path.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(problems.is_empty(), "long files:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_known_edges() {
    // The guard itself must see real uses, or it would pass on anything.
    let graph = dependencies();
    let engine_uses: Vec<String> = graph
        .iter()
        .filter(|(m, _)| m.top() == Some("engine"))
        .flat_map(|(_, uses)| uses.iter().map(Module::name))
        .collect();
    assert!(
        engine_uses.iter().any(|m| m.starts_with("check")),
        "{engine_uses:?}"
    );
    assert!(
        engine_uses.iter().any(|m| m.starts_with("http")),
        "{engine_uses:?}"
    );
    assert_eq!(
        expand_use("super::{a, b::{C, D}}"),
        ["super::a", "super::b::C", "super::b::D"]
    );
}
