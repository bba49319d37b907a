//! The core's layout: its modules form no import circle, at the level of the concept folders
//! (`keys`, `vault`, `store`, `chain`, `pay`, …) and at the level of single modules. Read from the
//! source: every `crate::…` path outside comments and test modules is an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `chain/network.rs` → `chain::network`; `vault/mod.rs` → `vault`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).filter(|p| *p != "mod").collect();
    parts.join("::")
}

/// The code of a file without comments, string literals' doc text and `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut cfg_test = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            cfg_test = true;
            continue;
        }
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        if cfg_test && skip_depth.is_none() {
            cfg_test = false;
            if trimmed.starts_with("mod ") && opens > closes {
                skip_depth = Some(depth);
            } else if trimmed.starts_with("mod ") {
                // `mod tests;` in a file of its own: that file is skipped by name.
                continue;
            }
        }
        depth = depth + opens - closes.min(depth + opens);
        if let Some(d) = skip_depth {
            if depth <= d {
                skip_depth = None;
            }
            continue;
        }
        out.push_str(line.split("//").next().unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The module a `crate::a::b::Item` path names: the longest prefix that is a module.
fn target(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|m| modules.contains(m))
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with("_tests.rs") || name == "lib.rs" {
            continue;
        }
        let from = module_of(&src, file);
        let text = code(&std::fs::read_to_string(file).expect("read"));
        let mut uses = BTreeSet::new();
        // `crate::a::b` paths, and the `use crate::{a, b::c}` form.
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                for item in inner.split(',') {
                    let p: String =
                        item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                    uses.extend(target(&p, &modules));
                }
            } else {
                let p: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                uses.extend(target(p.trim_end_matches(':'), &modules));
            }
        }
        uses.remove(&from);
        graph.entry(from).or_default().extend(uses);
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == next).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, graph, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

/// `chain::network` → `chain`.
fn folder(module: &str) -> String {
    module.split("::").next().unwrap_or(module).to_owned()
}

#[test]
fn no_module_imports_in_a_circle() {
    let graph = edges();
    assert!(graph.len() > 20, "the source was read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle among modules: {}", cycle.join(" → "));
    }
}

#[test]
fn no_concept_folder_imports_in_a_circle() {
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in edges() {
        let f = folder(&from);
        let entry = folders.entry(f.clone()).or_default();
        entry.extend(tos.iter().map(|t| folder(t)).filter(|t| *t != f));
    }
    if let Some(cycle) = find_cycle(&folders) {
        panic!("import circle among the core's folders: {}", cycle.join(" → "));
    }
}

#[test]
fn the_checker_sees_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]
    .into();
    assert_eq!(find_cycle(&graph).map(|c| c.len()), Some(4));
    let text =
        "use crate::x::y;\n// crate::z\n#[cfg(test)]\nmod tests {\n    use crate::w;\n}\nfn f() { crate::v::g() }\n";
    let code = code(text);
    assert!(code.contains("crate::x::y") && code.contains("crate::v::g"));
    assert!(!code.contains("crate::z") && !code.contains("crate::w"), "{code}");
}

/// The most lines a core file may have: what a newcomer reads in one sitting.
const MAX_LINES: usize = 600;

/// Files allowed past [`MAX_LINES`], each with why. One concept that reads as one may stay; the others
/// are listed to be split, and may not grow.
const LONGER: &[(&str, usize, &str)] =
    &[("pay/gasless.rs", 860, "one concept: the gasless checkout, from the shop's terms to the chain's word")];

/// No core file grows past what a newcomer reads in one sitting, unless it is listed above with why,
/// and a listed one does not grow past its allowance.
#[test]
fn no_core_file_is_longer_than_a_sitting() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut over = Vec::new();
    for file in &files {
        let name = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        let lines = std::fs::read_to_string(file).expect("read").lines().count();
        let allowed = LONGER.iter().find(|(n, ..)| *n == name).map_or(MAX_LINES, |(_, max, _)| *max);
        if lines > allowed {
            over.push(format!("{name}: {lines} lines (at most {allowed})"));
        }
    }
    assert!(over.is_empty(), "split these by concept: {over:?}");
    for (name, ..) in LONGER {
        assert!(src.join(name).exists(), "{name} is listed as longer but is gone: take it off the list");
    }
}
