//! A registration's status, the moves allowed between statuses, and the
//! reference delegates quote when they write to the organisers.

use std::fmt;

use super::vocabulary::{Vocabulary, vocabulary};

vocabulary! {
    /// Where a registration stands. `Unverified` and `Confirmed` hold
    /// places.
    pub enum RegistrationStatus {
        /// Holds its places until a deadline, by which the delegate must
        /// follow the link emailed to them (events that verify emails).
        Unverified = "unverified",
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        Cancelled = "cancelled",
    }
}

vocabulary! {
    /// Whether a registration that gets a place must confirm its email
    /// address to keep it: a country's quota is only fair if made-up
    /// addresses cannot take it.
    pub enum Verification {
        None = "none",
        /// The place is held for the event's `verification_hours`.
        Email = "email",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown registration status")]
pub struct StatusError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the registration is already cancelled")]
    AlreadyCancelled,
    #[error("only a registration on a waiting list can be promoted")]
    NotWaitlisted,
    #[error("only an unverified registration can run out of time")]
    NotUnverified,
}

/// What can happen to a registration once it is made; every status says
/// what each move does to it in [`RegistrationStatus::after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationMove {
    /// The delegate follows the link of their verification email: a held
    /// place is confirmed, a waiting one keeps its turn.
    Verify,
    /// An unverified registration's deadline passes.
    Expire,
    /// The delegate or an organiser cancels.
    Cancel,
    /// A freed place goes to a waiting registration; `verify` when the
    /// event verifies emails and this address is not yet confirmed, so
    /// that the place is held, not given.
    Promote { verify: bool },
}

impl RegistrationMove {
    /// Every move, for the tests that go through each pair.
    pub const ALL: [RegistrationMove; 5] = [
        RegistrationMove::Verify,
        RegistrationMove::Expire,
        RegistrationMove::Cancel,
        RegistrationMove::Promote { verify: false },
        RegistrationMove::Promote { verify: true },
    ];
}

impl RegistrationStatus {
    /// The status as an organiser types it in a filter: any case,
    /// surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, StatusError> {
        Self::from_typed(input).ok_or(StatusError)
    }

    /// Whether the registration counts against the event's and its
    /// country's quotas (and may hold seats).
    pub fn holds_place(self) -> bool {
        match self {
            Self::Unverified | Self::Confirmed => true,
            Self::Waitlisted | Self::Cancelled => false,
        }
    }

    /// The statuses that hold places, for the statements that select them.
    pub const HOLDING: [Self; 2] = [Self::Unverified, Self::Confirmed];

    /// The status after `step`, or why the step cannot happen. Cancelling
    /// twice is refused rather than ignored, so that a second cancellation
    /// cannot free a place a second time; verifying twice is no change, so
    /// that a second click on the link says the same as the first.
    pub fn after(self, step: RegistrationMove) -> Result<Self, TransitionError> {
        use TransitionError::*;
        match (self, step) {
            (Self::Unverified | Self::Confirmed, RegistrationMove::Verify) => Ok(Self::Confirmed),
            (Self::Waitlisted, RegistrationMove::Verify) => Ok(Self::Waitlisted),
            (Self::Cancelled, RegistrationMove::Verify | RegistrationMove::Cancel) => {
                Err(AlreadyCancelled)
            }
            (Self::Unverified, RegistrationMove::Expire) => Ok(Self::Cancelled),
            (Self::Confirmed | Self::Waitlisted | Self::Cancelled, RegistrationMove::Expire) => {
                Err(NotUnverified)
            }
            (Self::Unverified | Self::Confirmed | Self::Waitlisted, RegistrationMove::Cancel) => {
                Ok(Self::Cancelled)
            }
            (Self::Waitlisted, RegistrationMove::Promote { verify: true }) => Ok(Self::Unverified),
            (Self::Waitlisted, RegistrationMove::Promote { verify: false }) => Ok(Self::Confirmed),
            (
                Self::Unverified | Self::Confirmed | Self::Cancelled,
                RegistrationMove::Promote { .. },
            ) => Err(NotWaitlisted),
        }
    }
}

const MIN_PREFIX: usize = 2;
const MAX_PREFIX: usize = 5;

/// The event's part of a reference, e.g. `DKR` for Dakar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReferencePrefix(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a reference prefix is {MIN_PREFIX} to {MAX_PREFIX} letters A to Z")]
pub struct ReferencePrefixError;

impl ReferencePrefix {
    /// Lowercase is accepted and uppercased: references are read aloud and
    /// typed back, and case carries no meaning in them.
    pub fn parse(input: &str) -> Result<Self, ReferencePrefixError> {
        let prefix = input.trim().to_ascii_uppercase();
        if (MIN_PREFIX..=MAX_PREFIX).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_uppercase())
        {
            Ok(Self(prefix))
        } else {
            Err(ReferencePrefixError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A booking code such as `DKR-7K3QX`.
///
/// Derived from the registration's sequence number, so it is unique without
/// a retry loop, yet scrambled so that neighbouring registrations do not get
/// neighbouring codes: a one-character slip should not land on another
/// delegate's registration, and codes should not show how many people have
/// registered. The scramble is not a secret; the private link, not the
/// reference, is what lets a delegate change a registration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a registration reference")]
pub struct ReferenceError;

/// Crockford's base 32: no I, L, O or U, so a code read over the phone or
/// copied from paper cannot be mistaken for another.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const MULTIPLIER_1: u128 = 0x9E37_79B9_7F4A_7C15;
const MULTIPLIER_2: u128 = 0xBF58_476D_1CE4_E5B9;
const XOR_KEY: u128 = 0x94D0_49BB_1331_11EB;

impl Reference {
    pub fn from_sequence(prefix: &ReferencePrefix, seq: i64) -> Self {
        // Sequences are never negative; reinterpreting the bits keeps the
        // mapping injective should one be.
        let value = u128::from(seq as u64);
        // Each width is a separate bijection over the sequence numbers the
        // shorter ones cannot hold, and codes of different widths never
        // collide. 13 digits (65 bits) hold any u64.
        let width = if value < 1 << 25 {
            5
        } else if value < 1 << 35 {
            7
        } else {
            13
        };
        let suffix = encode(scramble(value, 5 * width), width);
        Self(format!("{}-{suffix}", prefix.as_str()))
    }

    /// Reads a reference as a delegate may type it: any case, surrounding
    /// spaces, and the letters Crockford's alphabet reads as digits (O for 0,
    /// I and L for 1).
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        let (prefix, suffix) = input.trim().split_once('-').ok_or(ReferenceError)?;
        let prefix = ReferencePrefix::parse(prefix).map_err(|_| ReferenceError)?;
        let suffix: Option<String> = suffix.chars().map(crockford_digit).collect();
        match suffix {
            Some(suffix) if matches!(suffix.len(), 5 | 7 | 13) => {
                Ok(Self(format!("{}-{suffix}", prefix.as_str())))
            }
            _ => Err(ReferenceError),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A bijection on `bits`-bit values: multiplying by an odd number and
/// xor-shifting are each invertible modulo a power of two.
fn scramble(value: u128, bits: u32) -> u128 {
    let mask = (1u128 << bits) - 1;
    let mut x = value.wrapping_mul(MULTIPLIER_1) & mask;
    x ^= x >> bits.div_ceil(2);
    x = x.wrapping_mul(MULTIPLIER_2) & mask;
    x ^ (XOR_KEY & mask)
}

fn encode(mut value: u128, width: u32) -> String {
    let mut digits = vec![b'0'; width as usize];
    for digit in digits.iter_mut().rev() {
        *digit = CROCKFORD[(value & 31) as usize];
        value >>= 5;
    }
    digits.into_iter().map(char::from).collect()
}

fn crockford_digit(c: char) -> Option<char> {
    match c.to_ascii_uppercase() {
        'O' => Some('0'),
        'I' | 'L' => Some('1'),
        other => u8::try_from(other)
            .ok()
            .filter(|byte| CROCKFORD.contains(byte))
            .map(char::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_refused, parsers_never_panic};
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn prefix(text: &str) -> ReferencePrefix {
        ReferencePrefix::parse(text).expect("valid prefix")
    }

    /// Inverse of `scramble`: its existence is what makes references
    /// unique by construction.
    fn unscramble(value: u128, bits: u32) -> u128 {
        let mask = (1u128 << bits) - 1;
        let mut x = (value ^ XOR_KEY) & mask;
        x = x.wrapping_mul(inverse(MULTIPLIER_2)) & mask;
        let shift = bits.div_ceil(2);
        x ^= x >> shift;
        x.wrapping_mul(inverse(MULTIPLIER_1)) & mask
    }

    /// Multiplicative inverse of an odd number modulo 2^128, by Newton's
    /// iteration (each step doubles the number of correct low bits).
    fn inverse(odd: u128) -> u128 {
        let mut inverse = odd;
        for _ in 0..7 {
            inverse = inverse.wrapping_mul(2u128.wrapping_sub(odd.wrapping_mul(inverse)));
        }
        assert_eq!(odd.wrapping_mul(inverse), 1);
        inverse
    }

    #[test]
    fn status_strings() {
        for &status in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            let json = serde_json::to_string(&status).expect("serialises");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            let back: RegistrationStatus = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, status);
        }
        assert_eq!(
            RegistrationStatus::parse(" Confirmed "),
            Ok(RegistrationStatus::Confirmed)
        );
        assert_eq!(RegistrationStatus::parse("pending"), Err(StatusError));
        assert_eq!(RegistrationStatus::parse(""), Err(StatusError));
    }

    /// Every (status, move) pair, against a table written out by hand.
    #[test]
    fn every_status_answers_every_move() {
        use RegistrationStatus::*;
        use TransitionError::*;
        let promote = RegistrationMove::Promote { verify: false };
        let promote_held = RegistrationMove::Promote { verify: true };
        let expected: [(
            RegistrationStatus,
            RegistrationMove,
            Result<RegistrationStatus, TransitionError>,
        ); 20] = [
            (Unverified, RegistrationMove::Verify, Ok(Confirmed)),
            (Unverified, RegistrationMove::Expire, Ok(Cancelled)),
            (Unverified, RegistrationMove::Cancel, Ok(Cancelled)),
            (Unverified, promote, Err(NotWaitlisted)),
            (Unverified, promote_held, Err(NotWaitlisted)),
            (Confirmed, RegistrationMove::Verify, Ok(Confirmed)),
            (Confirmed, RegistrationMove::Expire, Err(NotUnverified)),
            (Confirmed, RegistrationMove::Cancel, Ok(Cancelled)),
            (Confirmed, promote, Err(NotWaitlisted)),
            (Confirmed, promote_held, Err(NotWaitlisted)),
            (Waitlisted, RegistrationMove::Verify, Ok(Waitlisted)),
            (Waitlisted, RegistrationMove::Expire, Err(NotUnverified)),
            (Waitlisted, RegistrationMove::Cancel, Ok(Cancelled)),
            (Waitlisted, promote, Ok(Confirmed)),
            (Waitlisted, promote_held, Ok(Unverified)),
            (Cancelled, RegistrationMove::Verify, Err(AlreadyCancelled)),
            (Cancelled, RegistrationMove::Expire, Err(NotUnverified)),
            (Cancelled, RegistrationMove::Cancel, Err(AlreadyCancelled)),
            (Cancelled, promote, Err(NotWaitlisted)),
            (Cancelled, promote_held, Err(NotWaitlisted)),
        ];
        let pairs = RegistrationStatus::ALL.len() * RegistrationMove::ALL.len();
        assert_eq!(expected.len(), pairs, "the table covers every pair");
        for (status, step, answer) in expected {
            assert_eq!(status.after(step), answer, "{status} after {step:?}");
        }
    }

    #[test]
    fn the_holding_statuses_are_those_that_hold_places() {
        let holding: Vec<RegistrationStatus> = RegistrationStatus::ALL
            .iter()
            .copied()
            .filter(|status| status.holds_place())
            .collect();
        assert_eq!(holding, RegistrationStatus::HOLDING);
    }

    /// A move that succeeds never turns a place-holding registration into
    /// a waiting one, and nothing comes back from cancelled.
    #[test]
    fn moves_never_reopen_a_cancellation() {
        for &status in RegistrationStatus::ALL {
            for step in RegistrationMove::ALL {
                if let Ok(next) = status.after(step) {
                    assert!(status != RegistrationStatus::Cancelled, "{step:?}");
                    assert!(!(status.holds_place() && next == RegistrationStatus::Waitlisted));
                }
            }
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix("DKR").as_str(), "DKR");
        assert_eq!(prefix(" qc ").as_str(), "QC");
        assert_eq!(prefix("LIMAA").as_str(), "LIMAA");
        assert_refused(
            ReferencePrefix::parse,
            &["", "D", "DAKAR1", "DAKARX", "D-K", "DK1", "DÉK", "D K"],
            ReferencePrefixError,
        );
    }

    #[test]
    fn references_look_like_booking_codes() {
        let dkr = prefix("DKR");
        let reference = Reference::from_sequence(&dkr, 1);
        let text = reference.as_str();
        assert_eq!(text.len(), "DKR-".len() + 5);
        assert!(text.starts_with("DKR-"));
        assert!(text[4..].bytes().all(|b| CROCKFORD.contains(&b)));
        assert_eq!(reference.to_string(), text);
        assert_eq!(Reference::from_sequence(&dkr, 1), reference);
    }

    #[test]
    fn suffix_widths_grow_with_the_sequence() {
        let dkr = prefix("DKR");
        let suffix_len = |seq: i64| Reference::from_sequence(&dkr, seq).as_str().len() - 4;
        assert_eq!(suffix_len(0), 5);
        assert_eq!(suffix_len(32_i64.pow(5) - 1), 5);
        assert_eq!(suffix_len(32_i64.pow(5)), 7);
        assert_eq!(suffix_len(32_i64.pow(7) - 1), 7);
        assert_eq!(suffix_len(32_i64.pow(7)), 13);
        assert_eq!(suffix_len(i64::MAX), 13);
        assert_eq!(suffix_len(-1), 13);
    }

    #[test]
    fn the_first_200_000_references_are_distinct() {
        let dkr = prefix("DKR");
        let references: HashSet<Reference> = (0..200_000)
            .map(|seq| Reference::from_sequence(&dkr, seq))
            .collect();
        assert_eq!(references.len(), 200_000);
    }

    #[test]
    fn neighbouring_sequences_get_unrelated_codes() {
        let dkr = prefix("DKR");
        let suffix = |seq: i64| Reference::from_sequence(&dkr, seq).as_str()[4..].to_owned();
        let differing_positions =
            |a: &str, b: &str| a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
        let close_pairs = (1..1_000)
            .filter(|&seq| differing_positions(&suffix(seq), &suffix(seq + 1)) < 3)
            .count();
        assert!(
            close_pairs < 50,
            "{close_pairs} of 1000 neighbours look alike"
        );
    }

    #[test]
    fn parse_accepts_what_was_issued_and_typing_variants() {
        let dkr = prefix("DKR");
        for seq in [0, 1, 42, 32_i64.pow(5), 32_i64.pow(7), i64::MAX] {
            let reference = Reference::from_sequence(&dkr, seq);
            assert_eq!(Reference::parse(reference.as_str()), Ok(reference.clone()));
            let typed = format!("  {} ", reference.as_str().to_lowercase());
            assert_eq!(Reference::parse(&typed), Ok(reference));
        }
        assert_eq!(
            Reference::parse("dkr-o1ilz").map(|r| r.to_string()),
            Ok("DKR-0111Z".to_owned())
        );
        assert_refused(
            Reference::parse,
            &[
                "",
                "DKR",
                "DKR-",
                "DKR-7K3Q",
                "DKR-7K3QXX",
                "DKR-7K3QU",
                "D-7K3QX",
                "DKR 7K3QX",
                "DKR-7K3QX-1",
            ],
            ReferenceError,
        );
    }

    parsers_never_panic!(
        ReferencePrefix::parse,
        Reference::parse,
        RegistrationStatus::parse
    );

    proptest! {
        #[test]
        fn scramble_is_invertible_at_every_width(value in any::<u64>()) {
            for bits in [25, 35, 65] {
                let value = u128::from(value) & ((1 << bits) - 1);
                prop_assert_eq!(unscramble(scramble(value, bits), bits), value);
            }
        }

        #[test]
        fn references_parse_back(seq in any::<i64>()) {
            let reference = Reference::from_sequence(&prefix("QC"), seq);
            prop_assert_eq!(Reference::parse(reference.as_str()), Ok(reference));
        }
    }
}
