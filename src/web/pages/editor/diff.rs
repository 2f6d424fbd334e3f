//! Diffs as the editor pages show them: unified-diff lines, each marked by its `+`/`-` sign
//! and an element (`<ins>`, `<del>`), not by colour alone.

use similar::TextDiff;

/// One line of a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// `add`, `del`, `hunk` (`@@ … @@`), `head` (`---`/`+++`) or `same`.
    pub kind: &'static str,
    /// The line as in the diff, its sign included.
    pub text: String,
}

/// The lines of a unified diff (as `kb::write::diff` makes one), classified.
pub fn lines(unified: &str) -> Vec<DiffLine> {
    unified
        .lines()
        .enumerate()
        .map(|(n, line)| {
            // Only the first two lines are headers: an added line `++ x` reads `+++ x`.
            let header = n < 2 && (line.starts_with("+++ ") || line.starts_with("--- "));
            let kind = if header {
                "head"
            } else if line.starts_with("@@") {
                "hunk"
            } else if line.starts_with('+') {
                "add"
            } else if line.starts_with('-') {
                "del"
            } else {
                "same"
            };
            DiffLine {
                kind,
                text: line.to_string(),
            }
        })
        .collect()
}

/// The diff from `old` to `new`, three lines of context, headed with their names.
pub fn between(old: &str, new: &str, old_name: &str, new_name: &str) -> Vec<DiffLine> {
    let unified = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    lines(&unified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_keeps_its_sign_and_gets_its_kind() {
        let diff = between("a\nb\nc\n", "a\nB\nc\n", "versie 1", "versie 2");
        let kinds: Vec<(&str, &str)> = diff.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                ("head", "--- versie 1"),
                ("head", "+++ versie 2"),
                ("hunk", "@@ -1,3 +1,3 @@"),
                ("same", " a"),
                ("del", "-b"),
                ("add", "+B"),
                ("same", " c"),
            ]
        );
        assert!(between("x\n", "x\n", "a", "b").is_empty());
        let added = between("a\n", "a\n++ b\n", "1", "2");
        assert_eq!((added[4].kind, added[4].text.as_str()), ("add", "+++ b"));
    }
}
