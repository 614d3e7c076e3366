//! A word-level diff of two texts, for the history: what an old version's text became.

/// What a run of text is in the diff.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// In both texts.
    Same,
    /// Only in the new text.
    Added,
    /// Only in the old text.
    Removed,
}

/// A run of words (and the whitespace between them) of one kind.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Run {
    /// In both, added or removed.
    pub(crate) kind: Kind,
    /// The text, spacing included.
    pub(crate) text: String,
}

/// The largest comparison table (words of the old text's changed middle × the new one's): past
/// it, the changed middle shows as removed and added whole. Bounds the memory to a few MB.
const MAX_CELLS: usize = 1_000_000;

/// Splits into words and the whitespace between them: joined again, they are the text.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut space) = (0, None);
    for (i, c) in text.char_indices() {
        let is_space = c.is_whitespace();
        if space.is_some_and(|s| s != is_space) {
            out.push(&text[start..i]);
            start = i;
        }
        space = Some(is_space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Appends `text` as `kind`, joining it to the last run when that is of the same kind.
fn push(runs: &mut Vec<Run>, kind: Kind, text: &str) {
    match runs.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => runs.push(Run { kind, text: text.to_string() }),
    }
}

/// The runs that turn `old` into `new`, word by word: the longest common subsequence of their
/// words is `Same`, the rest `Removed` (old) or `Added` (new). Adjacent runs differ in kind.
pub(crate) fn words(old: &str, new: &str) -> Vec<Run> {
    let (a, b) = (tokens(old), tokens(new));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut runs = Vec::new();
    for t in &a[..prefix] {
        push(&mut runs, Kind::Same, t);
    }
    if a_mid.len().saturating_mul(b_mid.len()) > MAX_CELLS {
        a_mid.iter().for_each(|t| push(&mut runs, Kind::Removed, t));
        b_mid.iter().for_each(|t| push(&mut runs, Kind::Added, t));
    } else {
        middle(a_mid, b_mid, &mut runs);
    }
    for t in &a[a.len() - suffix..] {
        push(&mut runs, Kind::Same, t);
    }
    runs
}

/// The longest-common-subsequence diff of `a` and `b`, appended to `runs`.
fn middle(a: &[&str], b: &[&str], runs: &mut Vec<Run>) {
    let width = b.len() + 1;
    // lcs[i * width + j]: the length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0_u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            push(runs, Kind::Same, a[i]);
            (i, j) = (i + 1, j + 1);
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            push(runs, Kind::Removed, a[i]);
            i += 1;
        } else {
            push(runs, Kind::Added, b[j]);
            j += 1;
        }
    }
    a[i..].iter().for_each(|t| push(runs, Kind::Removed, t));
    b[j..].iter().for_each(|t| push(runs, Kind::Added, t));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(runs: &[Run]) -> String {
        runs.iter()
            .map(|r| match r.kind {
                Kind::Same => r.text.clone(),
                Kind::Added => format!("{{+{}+}}", r.text),
                Kind::Removed => format!("[-{}-]", r.text),
            })
            .collect()
    }

    #[test]
    fn equal_texts_are_one_same_run() {
        assert_eq!(words("milk and eggs", "milk and eggs"), vec![Run { kind: Kind::Same, text: "milk and eggs".into() }]);
        assert_eq!(words("", ""), vec![]);
    }

    #[test]
    fn a_changed_word_is_removed_then_added() {
        assert_eq!(show(&words("milk and eggs", "milk and bread")), "milk and [-eggs-]{+bread+}");
        assert_eq!(show(&words("milk and eggs", "milk, butter and eggs")), "[-milk-]{+milk, butter+} and eggs");
    }

    #[test]
    fn words_added_and_removed_in_the_middle_keep_their_spacing() {
        assert_eq!(show(&words("one two three four", "one three four five")), "one [-two -]three four{+ five+}");
        assert_eq!(show(&words("a\n\nb", "a\n\nnew\n\nb")), "a\n\n{+new\n\n+}b");
    }

    #[test]
    fn from_or_to_nothing() {
        assert_eq!(show(&words("", "all new")), "{+all new+}");
        assert_eq!(show(&words("all gone", "")), "[-all gone-]");
    }

    #[test]
    fn joining_the_runs_gives_back_both_texts() {
        let (old, new) = ("The quick brown fox jumps over the lazy dog", "A quick red fox jumped over the dog today");
        let runs = words(old, new);
        let keep = |k: Kind| runs.iter().filter(|r| r.kind != k).map(|r| r.text.as_str()).collect::<String>();
        assert_eq!(keep(Kind::Added), old);
        assert_eq!(keep(Kind::Removed), new);
        assert!(runs.windows(2).all(|w| w[0].kind != w[1].kind), "adjacent runs differ in kind");
    }

    #[test]
    fn past_the_table_limit_the_middle_is_replaced_whole() {
        let old: String = (0..1500).map(|i| format!("w{i} ")).collect();
        let new: String = (0..1500).map(|i| format!("v{i} ")).collect();
        let runs = words(&old, &new);
        assert_eq!(runs.len(), 3, "removed, added, and the shared trailing space");
        assert_eq!(runs[0].kind, Kind::Removed);
        assert_eq!(runs[1].kind, Kind::Added);
    }
}
