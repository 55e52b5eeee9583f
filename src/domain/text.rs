//! What a text typed by a person may contain, whatever field it fills.
//!
//! Invisible characters let two names that look the same differ (a
//! zero-width space, U+3164 HANGUL FILLER, tag characters, U+FEFF), make a
//! name display as something else (bidi controls), or break the files we
//! write (control characters, line breaks in a CSV cell or a calendar
//! line). So texts refuse Unicode's controls (`Cc`), format characters
//! (`Cf`), default-ignorable code points and bidi controls; the Unicode
//! properties come from ICU4X's tables rather than lists of our own.
//!
//! The two joiners are the exception where a script needs them (Unicode's
//! rules for joiners in identifiers: RFC 5892 appendix A.1/A.2, UTS #31
//! §2.3). Either may follow a virama (Indic conjuncts: "क्‍ष"). ZERO WIDTH
//! NON-JOINER may also stand between two letters of a cursive script
//! (Arabic, Persian, Syriac…), transparent marks aside, so that "می‌خواهم"
//! and "مهر‌نوش" pass. RFC 5892 asks the letter before it to join on its
//! left; we also accept a right-joining one, because Persian keyboards put
//! the non-joiner at every word-part boundary, after "ر" too, where it
//! changes nothing on screen.

use icu_properties::props::{
    BidiControl, CanonicalCombiningClass, DefaultIgnorableCodePoint, GeneralCategory, JoiningType,
};
use icu_properties::{CodePointMapData, CodePointSetData};

/// Whether a text is one line (names, titles) or may have several
/// (descriptions, email texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("contains an invisible, control or text-direction character")]
    InvisibleCharacter,
    #[error("must be on one line")]
    LineBreak,
}

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// Every character of `text` may stand where it is.
pub fn check(text: &str, lines: Lines) -> Result<(), TextError> {
    let chars: Vec<char> = text.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        if is_line_break(c) {
            match (lines, c) {
                (Lines::Many, '\n' | '\r') => continue,
                (Lines::Many, _) => return Err(TextError::InvisibleCharacter),
                (Lines::One, _) => return Err(TextError::LineBreak),
            }
        }
        if c == '\t' && lines == Lines::Many {
            continue;
        }
        let allowed = match c {
            ZWNJ => after_virama(&chars[..index]) || between_joining_letters(&chars, index),
            ZWJ => after_virama(&chars[..index]),
            _ => !is_invisible(c),
        };
        if !allowed {
            return Err(TextError::InvisibleCharacter);
        }
    }
    Ok(())
}

/// What a spreadsheet, a calendar or a badge printer may read as a new line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::Control | GeneralCategory::Format
    ) || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointSetData::new::<BidiControl>().contains(c)
}

fn after_virama(before: &[char]) -> bool {
    before.last().is_some_and(|&c| {
        CodePointMapData::<CanonicalCombiningClass>::new().get(c) == CanonicalCombiningClass::Virama
    })
}

/// A letter of a cursive script on each side of `chars[index]`, skipping
/// transparent marks (vowel signs written above or below).
fn between_joining_letters(chars: &[char], index: usize) -> bool {
    let joining = CodePointMapData::<JoiningType>::new();
    let is_letter = |c: &&char| {
        let kind = joining.get(**c);
        kind == JoiningType::DualJoining
            || kind == JoiningType::LeftJoining
            || kind == JoiningType::RightJoining
    };
    let not_transparent = |c: &&char| joining.get(**c) != JoiningType::Transparent;
    let before = chars[..index].iter().rev().find(not_transparent);
    let after = chars[index + 1..].iter().find(not_transparent);
    before.as_ref().is_some_and(is_letter) && after.as_ref().is_some_and(is_letter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::assert_refused;
    use proptest::prelude::*;

    #[test]
    fn names_in_scripts_that_need_joiners_pass() {
        for text in [
            "مهر\u{200c}نوش",
            "می\u{200c}خواهم",
            "ن\u{64e}\u{200c}ا",
            "क्\u{200d}ष",
            "क्\u{200c}ष",
            "ශ්\u{200d}රී",
            "Aminata Traoré",
            "Nguyễn Thị",
        ] {
            assert_eq!(check(text, Lines::One), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn invisible_characters_are_refused() {
        assert_refused(
            |text| check(text, Lines::One),
            &[
                "Ali\u{200b}ce",  // zero width space
                "Ali\u{3164}ce",  // Hangul filler
                "Ali\u{e0041}ce", // tag character
                "\u{feff}Alice",  // byte-order mark
                "Ali\u{ad}ce",    // soft hyphen
                "Ali\u{202e}ce",  // right-to-left override
                "Ali\u{2066}ce",  // left-to-right isolate
                "Ali\u{200e}ce",  // left-to-right mark
                "Ali\u{34f}ce",   // combining grapheme joiner
                "Ali\u{180e}ce",  // Mongolian vowel separator
                "Ali\u{0}ce",
                "Ali\u{7f}ce",
                "Ali\tce",
                "Ali\u{200c}ce", // a joiner between Latin letters
                "Ali\u{200d}ce",
                "\u{200c}مهر", // nothing before it
                "مهر\u{200c}", // nothing after it
                "ن\u{200d}ا",  // a joiner where no virama is
            ],
            TextError::InvisibleCharacter,
        );
    }

    #[test]
    fn line_breaks_are_refused_on_one_line_and_kept_in_paragraphs() {
        assert_refused(
            |text| check(text, Lines::One),
            &[
                "a\nb",
                "a\rb",
                "a\r\nb",
                "a\u{85}b",
                "a\u{2028}b",
                "a\u{0b}b",
            ],
            TextError::LineBreak,
        );
        assert_eq!(
            check("Line one\r\nLine two\n\tindented", Lines::Many),
            Ok(())
        );
        assert_eq!(
            check("a\u{2028}b", Lines::Many),
            Err(TextError::InvisibleCharacter)
        );
        assert_eq!(
            check("a\u{200b}\nb", Lines::Many),
            Err(TextError::InvisibleCharacter)
        );
    }

    proptest! {
        #[test]
        fn a_text_that_passes_has_no_control_nor_stray_format_character(text in any::<String>()) {
            if check(&text, Lines::One).is_ok() {
                prop_assert!(!text.chars().any(|c| c.is_control()));
                prop_assert!(!text.chars().any(is_line_break));
                prop_assert!(!text.chars().any(|c| is_invisible(c) && c != ZWNJ && c != ZWJ));
            }
            if check(&text, Lines::Many).is_ok() {
                prop_assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
            }
        }

        /// Joiners pass exactly in their contexts: after a virama, or (the
        /// non-joiner) between two joining letters.
        #[test]
        fn joiners_pass_exactly_in_their_context(
            before in prop::sample::select(vec!['م', 'ر', 'ا', 'a', 'क', '्', '\u{64e}', ' ']),
            joiner in prop::sample::select(vec![ZWNJ, ZWJ]),
            after in prop::sample::select(vec!['ن', 'ا', 'a', 'ष', '\u{64e}', ' ']),
        ) {
            let text: String = ['ب', before, joiner, after, 'ب'].iter().collect();
            let virama = before == '्';
            let letter = |c: char| "مراكنب".contains(c);
            let before_letter = letter(before) || (before == '\u{64e}');
            let after_letter = letter(after) || (after == '\u{64e}');
            let expected = virama || (joiner == ZWNJ && before_letter && after_letter);
            prop_assert_eq!(check(&text, Lines::One).is_ok(), expected, "{:?}", text);
        }
    }
}
