//! Text from outside (token names, merchant labels, a node's error messages, a contract's revert
//! reason) made safe to show. Such text is untrusted: it may try to pass for Tender's own words
//! ("Tender security notice: type your 12 words at …"), to make one name look like another, or to
//! flood the screen. [`displayable`] removes what could do that:
//! - control characters, line and paragraph separators and every other kind of space become one
//!   plain space (so no fake line breaks), and runs of spaces are folded;
//! - every default-ignorable code point is removed: bidirectional overrides and isolates, zero-width
//!   characters, invisible fillers (U+115F, U+1160, U+3164, U+FFA0), variation selectors, tags
//!   (U+E0000–E0FFF), soft hyphens and the like;
//! - a run of combining marks is cut to [`MAX_MARKS`] (no "Zalgo" floods over the sheet);
//! - the result is cut to a length, with "…" where it was cut.
//!
//! Callers show such text labelled as the outsider's ("the network said: …"), never as Tender's.

use unicode_normalization::char::is_combining_mark;

/// Most combining marks kept on one base character (enough for any real script).
pub const MAX_MARKS: usize = 3;

/// Whether `c` is a combining mark (it draws on the character before it).
pub fn is_mark(c: char) -> bool {
    is_combining_mark(c)
}

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 16), plus
/// the byte-order mark: characters that render as nothing.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `c` separates text: controls, line and paragraph separators, and every space character.
fn is_separator(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{0085}')
}

/// `text` made safe to show (see the module documentation), at most `max_chars` characters long
/// (the last of them "…" when it was cut).
pub fn displayable(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut count = 0;
    let mut marks = 0;
    let mut pending_space = false;
    let mut cut = false;
    for c in text.chars() {
        if is_default_ignorable(c) {
            continue;
        }
        if is_separator(c) {
            pending_space = count > 0;
            marks = 0;
            continue;
        }
        if is_combining_mark(c) {
            marks += 1;
            if marks > MAX_MARKS || count == 0 {
                continue;
            }
        } else {
            marks = 0;
        }
        let needed = usize::from(pending_space) + 1;
        if count + needed > max_chars {
            cut = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    if cut && max_chars > 0 {
        // Make room for the ellipsis.
        while out.chars().count() >= max_chars {
            out.pop();
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('…');
    }
    out
}

/// Serialises an integer amount as a decimal string (serde's default for `U256` is hex), so JSON
/// consumers read base units without guessing.
pub fn serialize_decimal<S: serde::Serializer>(v: &alloy::primitives::U256, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// As [`serialize_decimal`], for an optional amount (`null` when absent).
pub fn serialize_opt_decimal<S: serde::Serializer>(
    v: &Option<alloy::primitives::U256>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.collect_str(n),
        None => s.serialize_none(),
    }
}

/// Serialises an address in its EIP-55 checksummed form (serde's default for `Address` is lower case).
pub fn serialize_checksummed<S: serde::Serializer>(
    address: &alloy::primitives::Address,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&address.to_checksum(None))
}

/// An optional address, EIP-55 checksummed (`null` when absent).
pub fn serialize_opt_checksummed<S: serde::Serializer>(
    address: &Option<alloy::primitives::Address>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match address {
        Some(a) => s.collect_str(&a.to_checksum(None)),
        None => s.serialize_none(),
    }
}

/// `#[serde(with = "crate::text::decimal")]`: an integer amount as a decimal string, both ways.
pub mod decimal {
    use alloy::primitives::U256;

    /// Writes `v` as a decimal string.
    pub fn serialize<S: serde::Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    /// Reads a decimal string.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
        use serde::de::Error as _;
        let text = <String as serde::Deserialize>::deserialize(d)?;
        U256::from_str_radix(&text, 10).map_err(|_| D::Error::custom(format!("{text:?} is not a decimal amount")))
    }
}

#[cfg(test)]
mod tests {
    use super::displayable;

    #[test]
    fn spoofing_characters_are_removed() {
        assert_eq!(displayable("US\u{202e}DC", 16), "USDC");
        assert_eq!(displayable("Shop\u{200b}\u{2066}Name\u{2069}", 64), "ShopName");
        assert_eq!(displayable(" Table 7\nthanks\0 ", 64), "Table 7 thanks");
        assert_eq!(displayable("Café Zoé", 64), "Café Zoé");
        assert_eq!(displayable(&"x".repeat(100), 16).chars().count(), 16);
    }

    #[test]
    fn what_the_audit_found_is_gone() {
        // Line and paragraph separators, NEL: no fake line breaks.
        assert_eq!(
            displayable("paid\u{2028}Tender security notice\u{2029}x\u{85}y", 64),
            "paid Tender security notice x y"
        );
        // Invisible fillers, tags, variation selectors, word joiner, Mongolian selectors.
        assert_eq!(displayable("a\u{3164}b\u{115F}c\u{FFA0}d", 64), "abcd");
        assert_eq!(displayable("shop\u{E0041}\u{E0042}\u{E007F}", 64), "shop");
        assert_eq!(displayable("x\u{FE0F}\u{FE00}y\u{E0100}\u{2060}\u{180B}z", 64), "xyz");
        // A combining flood keeps at most three marks per letter.
        let zalgo = format!("a{}b", "\u{0301}".repeat(500));
        assert_eq!(displayable(&zalgo, 64), format!("a{}b", "\u{0301}".repeat(3)));
        // Marks with nothing to sit on are dropped; real accents stay.
        assert_eq!(displayable("\u{0301}\u{0301}e\u{0301}", 8), "e\u{0301}");
        // Runs of odd spaces fold into one; a cut says so.
        assert_eq!(displayable("a\u{3000}\u{2003}\t b", 8), "a b");
        assert_eq!(displayable("the network said something long", 12), "the network…");
        // A 1.8 MB error body becomes a short line.
        let huge = "error ".repeat(300_000);
        assert!(displayable(&huge, 200).chars().count() <= 200);
    }
}
