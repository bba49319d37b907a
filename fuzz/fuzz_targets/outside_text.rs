//! Text from outside (merchant labels, token symbols, node and contract messages) as shown: never
//! longer than asked, never a line break, bidi control, invisible filler, tag or variation selector,
//! never more than three combining marks in a row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::text::{MAX_MARKS, displayable};

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let max = usize::from(max);
    let shown = displayable(&text, max);
    assert!(shown.chars().count() <= max, "{shown:?} is longer than {max}");
    let mut marks = 0;
    for c in shown.chars() {
        assert!(
            !c.is_control()
                && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{3164}' | '\u{115f}' | '\u{1160}' | '\u{ffa0}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0000}'..='\u{e0fff}'),
            "{c:?} in {shown:?}"
        );
        assert!(c == ' ' || !c.is_whitespace(), "{c:?} in {shown:?}");
        marks = if unicode_is_mark(c) { marks + 1 } else { 0 };
        assert!(marks <= MAX_MARKS, "{shown:?}");
    }
    assert!(!shown.starts_with(' ') && !shown.contains("  "), "{shown:?}");
});

fn unicode_is_mark(c: char) -> bool {
    wallet_core::text::is_mark(c)
}
