//! What the parsers' tests share: many inputs, one expected answer each.

use std::fmt::{Debug, Display};

/// `parse` refuses every one of `inputs` with `expected`.
pub(crate) fn assert_refused<T, E>(
    parse: impl Fn(&str) -> Result<T, E>,
    inputs: &[&str],
    expected: E,
) where
    T: Debug + PartialEq,
    E: Debug + PartialEq + Clone,
{
    for input in inputs {
        assert_eq!(parse(input), Err(expected.clone()), "{input:?}");
    }
}

/// `parse` accepts every one of `inputs` and keeps it exactly as typed.
pub(crate) fn assert_kept<T, E>(
    parse: impl Fn(&str) -> Result<T, E>,
    as_str: impl Fn(&T) -> &str,
    inputs: &[&str],
) where
    E: Debug + PartialEq,
{
    for input in inputs {
        let parsed = parse(input);
        assert_eq!(parsed.as_ref().map(&as_str), Ok(*input), "{input:?}");
    }
}

/// `parse` accepts `input` and shows it as `shown`, through `as_str` as
/// through `Display`; returns the parsed value for further checks.
pub(crate) fn assert_shown<T, E>(
    parse: impl Fn(&str) -> Result<T, E>,
    as_str: impl Fn(&T) -> &str,
    input: &str,
    shown: &str,
) -> T
where
    T: Display,
    E: Debug,
{
    let parsed = parse(input).expect("valid");
    assert_eq!(as_str(&parsed), shown, "{input:?}");
    assert_eq!(parsed.to_string(), shown, "{input:?}");
    parsed
}

/// `parse` reads each input as the value beside it.
pub(crate) fn assert_parsed<T, E>(parse: impl Fn(&str) -> Result<T, E>, cases: &[(&str, T)])
where
    T: Debug + PartialEq + Clone,
    E: Debug + PartialEq,
{
    for (input, expected) in cases {
        assert_eq!(parse(input), Ok(expected.clone()), "{input:?}");
    }
}

/// A property test named `parsers_never_panic`: any string, given to each
/// of the parsers, is accepted or refused, and never makes one panic.
macro_rules! parsers_never_panic {
    ($($parse:path),+ $(,)?) => {
        proptest::proptest! {
            #[test]
            fn parsers_never_panic(input in proptest::prelude::any::<String>()) {
                $(let _ = $parse(&input);)+
            }
        }
    };
}
pub(crate) use parsers_never_panic;
