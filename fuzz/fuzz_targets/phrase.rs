//! Recovery-phrase input as typed or pasted (any language, numbering, punctuation, odd Unicode):
//! parsing and suggestions never panic; an unknown word is reported by its position only.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::{Error, Language, RecoveryPhrase};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match RecoveryPhrase::parse(text) {
        Ok(phrase) => {
            // A valid phrase reads back as itself.
            let again = RecoveryPhrase::parse(&phrase.to_phrase_string().expose().to_owned()).expect("round trip");
            assert_eq!(again.entropy(), phrase.entropy());
        }
        Err(Error::UnknownWord { suggestions, .. }) => assert!(suggestions.len() <= 3),
        Err(_) => {}
    }
    // One language's parser too (the app's word-by-word restore), on the short inputs it sees.
    if text.len() < 64 {
        let _ = RecoveryPhrase::parse_in(Language::English, text);
    }
});
