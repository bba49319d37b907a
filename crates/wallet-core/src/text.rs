//! Text from outside (token names, merchant labels) made safe to show: control characters become
//! spaces, and invisible formatting characters (bidirectional overrides, zero-width characters),
//! which can make one name look like another, are removed.

/// Whether `c` changes how neighbouring text looks without being seen itself.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// `text` with control characters replaced by spaces and invisible formatting removed, trimmed, and
/// cut to `max_chars` characters.
pub fn displayable(text: &str, max_chars: usize) -> String {
    let cleaned: String =
        text.chars().filter(|c| !is_invisible_format(*c)).map(|c| if c.is_control() { ' ' } else { c }).collect();
    cleaned.trim().chars().take(max_chars).collect::<String>().trim_end().to_owned()
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

#[cfg(test)]
mod tests {
    use super::displayable;

    #[test]
    fn spoofing_characters_are_removed() {
        assert_eq!(displayable("US\u{202e}DC", 16), "USDC");
        assert_eq!(displayable("Shop\u{200b}\u{2066}Name\u{2069}", 64), "ShopName");
        assert_eq!(displayable(" Table 7\nthanks\0 ", 64), "Table 7 thanks");
        assert_eq!(displayable("Café Zoé", 64), "Café Zoé");
        assert_eq!(displayable(&"x".repeat(100), 16).len(), 16);
    }
}
