//! Recovery phrases (BIP39): generation from the OS random source, forgiving but exact parsing of what a
//! person types or pastes, language detection, and the phrase → seed step.
//!
//! Parsing normalises the input (Unicode NFKD, lower case, any run of spaces, numbering such as
//! `1. word 2) word`, commas and line breaks) and then accepts only an exact BIP39 phrase: an unknown
//! word is reported by position with up to three nearest words, a wrong count or checksum by its own
//! error. Nothing here ever returns the typed text in an error.

use std::fmt;

pub use bip39::Language;
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::secret::{SecretBytes, SecretString, Seed};

/// The word counts BIP39 allows.
pub const WORD_COUNTS: [usize; 5] = [12, 15, 18, 21, 24];

/// A BIP39 word list of this build: its stable id (command line, files, the UI) and its name in its
/// own language, as a shopper choosing it looks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WordList {
    /// `english`, `french`, …, `chinese-simplified`, `chinese-traditional`.
    pub id: &'static str,
    /// `English`, `Français`, …, `简体中文`, `繁體中文`.
    pub name: &'static str,
    /// The language.
    #[serde(skip)]
    pub language: Language,
}

/// Every word-list language of this build, English first.
pub const WORD_LISTS: &[WordList] = &[
    WordList { id: "english", name: "English", language: Language::English },
    WordList { id: "french", name: "Français", language: Language::French },
    WordList { id: "spanish", name: "Español", language: Language::Spanish },
    WordList { id: "italian", name: "Italiano", language: Language::Italian },
    WordList { id: "portuguese", name: "Português", language: Language::Portuguese },
    WordList { id: "czech", name: "Čeština", language: Language::Czech },
    WordList { id: "japanese", name: "日本語", language: Language::Japanese },
    WordList { id: "korean", name: "한국어", language: Language::Korean },
    WordList { id: "chinese-simplified", name: "简体中文", language: Language::SimplifiedChinese },
    WordList { id: "chinese-traditional", name: "繁體中文", language: Language::TraditionalChinese },
];

/// The command-line names of every supported language.
pub fn language_names() -> Vec<&'static str> {
    WORD_LISTS.iter().map(|w| w.id).collect()
}

/// The language named `name` (`english`, `french`, …; case-insensitive).
pub fn language_from_name(name: &str) -> Result<Language> {
    let wanted = name.trim().to_lowercase();
    WORD_LISTS
        .iter()
        .find(|w| w.id == wanted)
        .map(|w| w.language)
        .ok_or_else(|| Error::UnknownLanguage { name: name.to_owned(), known: language_names() })
}

/// The command-line name of `language`.
pub fn language_name(language: Language) -> &'static str {
    WORD_LISTS.iter().find(|w| w.language == language).map_or("english", |w| w.id)
}

/// A valid BIP39 recovery phrase. Zeroized on drop; `Debug` prints nothing of it.
pub struct RecoveryPhrase {
    inner: bip39::Mnemonic,
}

impl RecoveryPhrase {
    /// A new phrase of `word_count` words (12, 15, 18, 21 or 24) in `language`, from the OS random source.
    pub fn generate(word_count: usize, language: Language) -> Result<Self> {
        if !WORD_COUNTS.contains(&word_count) {
            return Err(Error::BadWordCount { count: word_count });
        }
        let mut entropy = Zeroizing::new([0u8; 32]);
        let len = word_count / 3 * 4;
        getrandom::getrandom(&mut entropy[..len]).map_err(Error::Random)?;
        Self::from_entropy(language, &entropy[..len])
    }

    /// The phrase that encodes `entropy` (16–32 bytes, a multiple of 4) in `language`.
    pub fn from_entropy(language: Language, entropy: &[u8]) -> Result<Self> {
        bip39::Mnemonic::from_entropy_in(language, entropy)
            .map(|inner| Self { inner })
            .map_err(|_| Error::BadWordCount { count: entropy.len() * 3 / 4 })
    }

    /// Parses what a person typed or pasted, detecting the language.
    pub fn parse(input: &str) -> Result<Self> {
        let normalized = normalize(&bounded(input));
        let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() > MAX_WORDS_LOOKED_AT {
            return Err(Error::BadWordCount { count: words.len() });
        }
        let (language, unknown) = detect_language(&words);
        if let Some(index) = unknown {
            return Err(Error::UnknownWord { index, suggestions: suggest(language, words[index]) });
        }
        if !WORD_COUNTS.contains(&words.len()) {
            return Err(Error::BadWordCount { count: words.len() });
        }
        // Every language whose list holds all the words is tried; the seed depends only on the words,
        // so when two lists both accept the phrase, either gives the same wallet.
        let joined = Zeroizing::new(words.join(" "));
        let mut result = Err(Error::BadChecksum);
        for candidate in candidate_languages(&words) {
            if let Ok(inner) = bip39::Mnemonic::parse_in_normalized(candidate, &joined) {
                result = Ok(Self { inner });
                break;
            }
        }
        result
    }

    /// Parses `input` as a phrase of `language` only.
    pub fn parse_in(language: Language, input: &str) -> Result<Self> {
        let normalized = normalize(&bounded(input));
        let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() > MAX_WORDS_LOOKED_AT {
            return Err(Error::BadWordCount { count: words.len() });
        }
        if let Some(index) = words.iter().position(|w| find_word(language, w).is_none()) {
            return Err(Error::UnknownWord { index, suggestions: suggest(language, words[index]) });
        }
        if !WORD_COUNTS.contains(&words.len()) {
            return Err(Error::BadWordCount { count: words.len() });
        }
        let joined = Zeroizing::new(words.join(" "));
        bip39::Mnemonic::parse_in_normalized(language, &joined)
            .map(|inner| Self { inner })
            .map_err(|_| Error::BadChecksum)
    }

    /// The word-list language.
    pub fn language(&self) -> Language {
        self.inner.language()
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.inner.word_count()
    }

    /// The words, separated by single spaces (ideographic spaces for Japanese, as BIP39 asks).
    ///
    /// # Security
    /// This is the wallet. Show it only on a screen the person asked for; never log or store it.
    pub fn to_phrase_string(&self) -> SecretString {
        let sep = if self.language() == Language::Japanese { "\u{3000}" } else { " " };
        let mut out = String::with_capacity(self.word_count() * 9);
        for (i, word) in self.inner.words().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(word);
        }
        SecretString::new(out)
    }

    /// The words, for a word-by-word display or a backup quiz.
    ///
    /// # Security
    /// As [`Self::to_phrase_string`].
    pub fn words(&self) -> Vec<&'static str> {
        self.inner.words().collect()
    }

    /// The BIP39 entropy.
    ///
    /// # Security
    /// Equivalent to the phrase itself.
    pub fn entropy(&self) -> SecretBytes {
        let (mut bytes, len) = self.inner.to_entropy_array();
        let out = SecretBytes::copy_from(&bytes[..len]);
        bytes.zeroize();
        out
    }

    /// The 64-byte BIP39 seed for `passphrase` (empty for none). The passphrase is NFKD-normalised.
    ///
    /// # Security
    /// The seed controls every account.
    pub fn to_seed(&self, passphrase: &SecretString) -> Seed {
        let normalized = Zeroizing::new(passphrase.expose().nfkd().collect::<String>());
        let mut bytes = self.inner.to_seed_normalized(&normalized);
        match Seed::from_bytes(&mut bytes) {
            Some(seed) => seed,
            None => unreachable!("a BIP39 seed is 64 bytes"),
        }
    }
}

impl Clone for RecoveryPhrase {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

impl Drop for RecoveryPhrase {
    fn drop(&mut self) {
        self.inner.zeroize();
    }
}

impl fmt::Debug for RecoveryPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecoveryPhrase(<redacted {} words, {}>)", self.word_count(), language_name(self.language()))
    }
}

/// Normalises typed or pasted input: NFKD, lower case, separators and numbering turned into single spaces.
/// The result is zeroized on drop.
pub fn normalize(input: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(input.len()));
    let decomposed = Zeroizing::new(input.nfkd().collect::<String>());
    let mut pending_space = false;
    for c in decomposed.chars() {
        if is_separator(c) {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        for lower in c.to_lowercase() {
            out.push(lower);
        }
    }
    out
}

/// Characters that never occur in a BIP39 word: white space, digits (numbered lists) and punctuation.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_digit()
        || c.is_ascii_punctuation()
        || matches!(c, '、' | '。' | '，' | '•' | '·' | '–' | '—' | '“' | '”' | '‘' | '’' | '«' | '»' | '…')
}

/// The languages whose word list holds every word, in the order of [`WORD_LISTS`].
/// The index of `word` in `language`'s list. bip39 scans six of the ten lists word by word (they are
/// not sorted); a phrase check looks up every word in every list, so each list is hashed once.
fn find_word(language: Language, word: &str) -> Option<u16> {
    type Lookup = std::collections::HashMap<&'static str, u16>;
    static LOOKUPS: std::sync::OnceLock<Vec<std::sync::OnceLock<Lookup>>> = std::sync::OnceLock::new();
    let lookups = LOOKUPS.get_or_init(|| Language::ALL.iter().map(|_| std::sync::OnceLock::new()).collect());
    let slot = Language::ALL.iter().position(|l| *l == language).unwrap_or(0);
    let lookup = lookups[slot].get_or_init(|| {
        language.word_list().iter().enumerate().map(|(i, w)| (*w, u16::try_from(i).unwrap_or(u16::MAX))).collect()
    });
    lookup.get(word).copied()
}

fn candidate_languages<'a>(words: &'a [&str]) -> impl Iterator<Item = Language> + 'a {
    WORD_LISTS.iter().map(|w| w.language).filter(move |l| words.iter().all(|w| find_word(*l, w).is_some()))
}

/// The most likely language (most words found; English first on a tie) and, if that list lacks a
/// word, the index of the first such word.
fn detect_language(words: &[&str]) -> (Language, Option<usize>) {
    let mut best = (Language::English, 0usize);
    for language in WORD_LISTS.iter().map(|w| w.language) {
        let hits = words.iter().filter(|w| find_word(language, w).is_some()).count();
        if hits > best.1 {
            best = (language, hits);
        }
    }
    let language = best.0;
    (language, words.iter().position(|w| find_word(language, w).is_none()))
}

/// Most characters of input looked at: a 24-word phrase in any list, numbered and generously spaced,
/// is far shorter; a longer paste (a whole document) is cut here, so no input costs more than a
/// phrase does.
pub const MAX_INPUT_CHARS: usize = 2048;
/// Most words looked at before the count alone refuses the input (no word lookups, no suggestions).
const MAX_WORDS_LOOKED_AT: usize = 48;
/// No BIP39 word is longer than this (in characters, after normalisation); a longer "word" gets
/// prefix suggestions only.
const MAX_WORD_CHARS: usize = 12;

fn bounded(input: &str) -> std::borrow::Cow<'_, str> {
    match input.char_indices().nth(MAX_INPUT_CHARS) {
        Some((cut, _)) => std::borrow::Cow::Owned(input[..cut].to_owned()),
        None => std::borrow::Cow::Borrowed(input),
    }
}

/// Up to three words of `language` nearest to `typed`: first any word sharing its first four letters
/// (BIP39 words are unique by them), then by edit distance (at most 2), then words with the same
/// first letter (typos rarely hit the first one), then alphabetically.
pub fn suggest(language: Language, typed: &str) -> Vec<String> {
    let typed: Vec<char> = typed.chars().take(MAX_WORD_CHARS + 3).collect();
    let prefix: Vec<char> = typed.iter().take(4).copied().collect();
    let list = language.word_list();
    let chars = word_chars(language);
    let index = suggestion_index(language);
    // The candidates: words sharing the first four letters, and words within two edits (every word
    // within two edits shares a string with `typed` after at most two deletions on each side: an
    // insertion is one deletion on one side, a substitution or a transposition one on each).
    let mut candidates: Vec<u16> = Vec::new();
    if typed.len() >= 4 {
        candidates.extend(index.get(&prefix_key(&prefix)).into_iter().flatten());
    }
    if typed.len() <= MAX_WORD_CHARS + 2 {
        for variant in deletions(&typed) {
            candidates.extend(index.get(&variant).into_iter().flatten());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut ranked: Vec<(bool, usize, bool, &'static str)> = candidates
        .into_iter()
        .filter_map(|i| {
            let (word, chars) = (list[usize::from(i)], &chars[usize::from(i)]);
            let same_prefix = typed.len() >= 4 && chars.len() >= 4 && chars[..4] == prefix[..];
            let distance = if typed.len().abs_diff(chars.len()) > 2 { 3 } else { edit_distance(&typed, chars) };
            let other_first = chars.first() != typed.first();
            (same_prefix || distance <= 2).then_some((!same_prefix, distance, other_first, word))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(3).map(|(_, _, _, w)| w.to_owned()).collect()
}

/// `word` with zero, one and two of its characters deleted, each once.
fn deletions(word: &[char]) -> Vec<String> {
    let mut out = vec![word.iter().collect::<String>()];
    for i in 0..word.len() {
        let one: Vec<char> = word.iter().enumerate().filter(|(k, _)| *k != i).map(|(_, c)| *c).collect();
        out.push(one.iter().collect());
        for j in i..one.len() {
            out.push(one.iter().enumerate().filter(|(k, _)| *k != j).map(|(_, c)| *c).collect());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The key under which a word is found by its first four letters (kept apart from deletion keys).
fn prefix_key(prefix: &[char]) -> String {
    let mut key = String::from("\0");
    key.extend(prefix);
    key
}

/// For `language`: every word under its deletions (up to two) and under its first four letters,
/// built once on first use (about 80 000 keys for a list of 2 048 words): a suggestion is then a few
/// hundred lookups instead of 2 048 edit distances.
fn suggestion_index(language: Language) -> &'static std::collections::HashMap<String, Vec<u16>> {
    type Index = std::collections::HashMap<String, Vec<u16>>;
    static INDEXES: std::sync::OnceLock<Vec<std::sync::OnceLock<Index>>> = std::sync::OnceLock::new();
    let indexes = INDEXES.get_or_init(|| Language::ALL.iter().map(|_| std::sync::OnceLock::new()).collect());
    let slot = Language::ALL.iter().position(|l| *l == language).unwrap_or(0);
    indexes[slot].get_or_init(|| {
        let mut index = Index::new();
        for (i, chars) in word_chars(language).iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            for variant in deletions(chars) {
                index.entry(variant).or_default().push(i);
            }
            if chars.len() >= 4 {
                index.entry(prefix_key(&chars[..4])).or_default().push(i);
            }
        }
        index
    })
}

/// The words of `language` as characters, decoded once (suggestions compare characters, and a
/// suggestion runs over the whole list).
fn word_chars(language: Language) -> &'static [Vec<char>] {
    static LISTS: std::sync::OnceLock<Vec<Vec<Vec<char>>>> = std::sync::OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        Language::ALL.iter().map(|l| l.word_list().iter().map(|w| w.chars().collect()).collect()).collect()
    });
    let index = Language::ALL.iter().position(|l| *l == language).unwrap_or(0);
    &lists[index]
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), exact up to 2;
/// 3 means "3 or more" (suggestions need nothing further, so the work stops there).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
        // Every later cell is at least the smallest of this row (transpositions reach back two rows).
        if prev.iter().min().is_some_and(|m| *m > 2) && prev2.iter().min().is_some_and(|m| *m > 2) {
            return 3;
        }
    }
    prev[b.len()].min(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: &str = "test test test test test test test test test test test junk";

    #[test]
    fn normalizes_numbered_lists_case_and_spacing() {
        let pasted =
            "1. Test\n2) TEST  3:test, 4 test\t5.test 6. test 7. test 8. test 9. test 10. test 11. test 12. junk ";
        let phrase = RecoveryPhrase::parse(pasted).expect("numbered list parses");
        assert_eq!(phrase.to_phrase_string().expose(), DEV);
        assert_eq!(phrase.language(), Language::English);
    }

    #[test]
    fn unknown_word_reports_position_and_suggestions() {
        let err = RecoveryPhrase::parse("test test tset test test test test test test test test junk").err();
        match err {
            Some(Error::UnknownWord { index, suggestions }) => {
                assert_eq!(index, 2);
                assert_eq!(suggestions.first().map(String::as_str), Some("test"));
                assert!(suggestions.len() <= 3);
            }
            other => panic!("expected UnknownWord, got {other:?}"),
        }
        // A word that is right in its first four letters suggests the word it must be.
        assert_eq!(suggest(Language::English, "abandx")[0], "abandon");
        assert_eq!(suggest(Language::English, "zzzzzzzzzz"), Vec::<String>::new());
    }

    #[test]
    fn count_and_checksum_errors() {
        assert!(matches!(
            RecoveryPhrase::parse("test test test test test test test test test test junk"),
            Err(Error::BadWordCount { count: 11 })
        ));
        assert!(matches!(
            RecoveryPhrase::parse("test test test test test test test test test test test test"),
            Err(Error::BadChecksum)
        ));
    }

    #[test]
    fn detects_french_and_accepts_unaccented_typing_only_when_exact() {
        let fr = RecoveryPhrase::generate(12, Language::French).expect("generate");
        let text = fr.to_phrase_string();
        let back = RecoveryPhrase::parse(text.expose()).expect("parse french");
        assert_eq!(back.language(), Language::French);
        assert_eq!(back.entropy(), fr.entropy());
        // NFC input (precomposed accents) is normalised to the NFKD form of the list.
        let nfc: String = text.expose().nfc().collect();
        assert_eq!(RecoveryPhrase::parse(&nfc).expect("nfc").entropy(), fr.entropy());
    }

    #[test]
    fn every_language_round_trips() {
        for &WordList { id: name, language, .. } in WORD_LISTS {
            for count in WORD_COUNTS {
                let p = RecoveryPhrase::generate(count, language).expect("generate");
                assert_eq!(p.word_count(), count);
                let back =
                    RecoveryPhrase::parse(p.to_phrase_string().expose()).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(back.entropy(), p.entropy(), "{name}");
                assert_eq!(language_from_name(name).expect("name"), language);
            }
        }
        assert!(matches!(RecoveryPhrase::generate(13, Language::English), Err(Error::BadWordCount { count: 13 })));
        assert!(matches!(language_from_name("klingon"), Err(Error::UnknownLanguage { .. })));
    }

    #[test]
    fn generated_phrases_differ() {
        let a = RecoveryPhrase::generate(24, Language::English).expect("a");
        let b = RecoveryPhrase::generate(24, Language::English).expect("b");
        assert_ne!(a.entropy(), b.entropy());
    }

    #[test]
    fn debug_is_redacted() {
        let p = RecoveryPhrase::parse(DEV).expect("dev");
        let shown = format!("{p:?}");
        assert!(!shown.contains("test") && !shown.contains("junk"), "{shown}");
    }

    proptest::proptest! {
        #[test]
        fn parsing_any_text_never_panics_and_normalizing_is_idempotent(text in "\\PC{0,200}") {
            let _ = RecoveryPhrase::parse(&text);
            let once = normalize(&text);
            proptest::prop_assert_eq!(&*normalize(&once), &*once);
        }

        #[test]
        fn phrase_text_round_trips(entropy in proptest::collection::vec(proptest::prelude::any::<u8>(), 32..=32), lang in 0usize..10) {
            let phrase = RecoveryPhrase::from_entropy(WORD_LISTS[lang].language, &entropy).expect("phrase");
            let back = RecoveryPhrase::parse(phrase.to_phrase_string().expose()).expect("parse");
            proptest::prop_assert_eq!(back.entropy(), phrase.entropy());
        }
    }

    /// The indexed suggestions give exactly what comparing with every word gives (the scan this index
    /// replaced), for typos of every kind in every list.
    #[test]
    fn indexed_suggestions_match_a_full_scan() {
        fn scan(language: Language, typed: &str) -> Vec<String> {
            let typed: Vec<char> = typed.chars().take(MAX_WORD_CHARS + 3).collect();
            let mut ranked: Vec<(bool, usize, bool, &'static str)> = language
                .word_list()
                .iter()
                .map(|w| {
                    let chars: Vec<char> = w.chars().collect();
                    let same_prefix = typed.len() >= 4 && chars.len() >= 4 && chars[..4] == typed[..4];
                    let distance = if typed.len() > MAX_WORD_CHARS + 2 { 3 } else { edit_distance(&typed, &chars) };
                    (!same_prefix, distance, chars.first() != typed.first(), *w)
                })
                .filter(|(p, d, _, _)| !*p || *d <= 2)
                .collect();
            ranked.sort();
            ranked.into_iter().take(3).map(|(_, _, _, w)| w.to_owned()).collect()
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for language in Language::ALL.iter().copied() {
            let words = language.word_list();
            for _ in 0..80 {
                let mut typed: Vec<char> = words[next(words.len())].chars().collect();
                for _ in 0..=next(3) {
                    let at = next(typed.len() + 1);
                    match next(4) {
                        0 if at < typed.len() => drop(typed.remove(at)),
                        1 => typed.insert(at, 'x'),
                        2 if at + 1 < typed.len() => typed.swap(at, at + 1),
                        _ if at < typed.len() => typed[at] = 'e',
                        _ => {}
                    }
                }
                let typed: String = typed.into_iter().collect();
                assert_eq!(suggest(language, &typed), scan(language, &typed), "{language:?} {typed:?}");
            }
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("tset", "test"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
    }
}
