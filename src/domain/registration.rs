//! A registration's status, the moves allowed between statuses, and the
//! reference delegates quote when they write to the organisers.

use std::fmt;

use super::vocabulary::{Vocabulary, vocabulary};

vocabulary! {
    /// Where a registration stands. `Unverified` and `Confirmed` hold
    /// places; `Pending` does when its event says so
    /// ([`RegistrationStatus::holds_place`]).
    pub enum RegistrationStatus {
        /// Holds its places until a deadline, by which the delegate must
        /// follow the link emailed to them (events that verify emails).
        Unverified = "unverified",
        /// Waits for an organiser's decision (categories that need
        /// approval).
        Pending = "pending",
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
        /// An organiser said no, with a reason.
        Rejected = "rejected",
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
    #[error("the registration was rejected")]
    Rejected,
    #[error("only a registration on a waiting list can be promoted")]
    NotWaitlisted,
    #[error("only an unverified registration can run out of time")]
    NotUnverified,
    #[error("the registration is confirmed already: cancel it instead")]
    AlreadyConfirmed,
}

/// The reasons for a rejection every event has, by code; each is worded
/// in the four languages (`rejection-reason-…`). Events may add their own.
pub const BUILT_IN_REJECTION_REASONS: [&str; 4] =
    ["incomplete", "not_eligible", "no_place", "other"];

/// What approving a registration gives it, as the use case decided from
/// the counters: a place, a place held until the address is confirmed, or
/// a place in the waiting list when every place is taken. For a
/// registration that holds its place while pending, always `Place`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admitted {
    Place,
    Hold,
    Wait,
}

/// What can happen to a registration once it is made; every status says
/// what each move does to it in [`RegistrationStatus::after`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationMove {
    /// The delegate follows the link of their verification email: a held
    /// place is confirmed (or, `awaiting_approval`, goes to the organisers'
    /// decision), a waiting one keeps its turn.
    Verify { awaiting_approval: bool },
    /// An unverified registration's deadline passes.
    Expire,
    /// The delegate or an organiser cancels.
    Cancel,
    /// A freed place goes to a waiting registration; `verify` when the
    /// event verifies emails and this address is not yet confirmed, so
    /// that the place is held, not given; `awaiting_approval` when an
    /// organiser has still to decide (the place is then held pending).
    Promote {
        verify: bool,
        awaiting_approval: bool,
    },
    /// An organiser approves. Approving twice is no change.
    Approve(Admitted),
    /// An organiser rejects a registration not yet approved. Rejecting
    /// twice is no change.
    Reject,
}

impl RegistrationMove {
    /// Every move, for the tests that go through each pair.
    pub const ALL: [RegistrationMove; 12] = [
        RegistrationMove::Verify {
            awaiting_approval: false,
        },
        RegistrationMove::Verify {
            awaiting_approval: true,
        },
        RegistrationMove::Expire,
        RegistrationMove::Cancel,
        RegistrationMove::Promote {
            verify: false,
            awaiting_approval: false,
        },
        RegistrationMove::Promote {
            verify: true,
            awaiting_approval: false,
        },
        RegistrationMove::Promote {
            verify: false,
            awaiting_approval: true,
        },
        RegistrationMove::Promote {
            verify: true,
            awaiting_approval: true,
        },
        RegistrationMove::Approve(Admitted::Place),
        RegistrationMove::Approve(Admitted::Hold),
        RegistrationMove::Approve(Admitted::Wait),
        RegistrationMove::Reject,
    ];
}

impl RegistrationStatus {
    /// The status as an organiser types it in a filter: any case,
    /// surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, StatusError> {
        Self::from_typed(input).ok_or(StatusError)
    }

    /// Whether the registration counts against the event's and its
    /// country's quotas (and may hold seats); a pending one does when its
    /// event's `pending_holds_place` says so.
    pub fn holds_place(self, pending_holds_place: bool) -> bool {
        match self {
            Self::Unverified | Self::Confirmed => true,
            Self::Pending => pending_holds_place,
            Self::Waitlisted | Self::Rejected | Self::Cancelled => false,
        }
    }

    /// The statuses that hold places, for the statements that select them.
    pub fn holding(pending_holds_place: bool) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|status| status.holds_place(pending_holds_place))
            .collect()
    }

    /// Whether the delegate is expected at the meeting (their email then
    /// carries the calendar): held or given a place, decided.
    pub fn is_admitted(self) -> bool {
        match self {
            Self::Unverified | Self::Confirmed => true,
            Self::Pending | Self::Waitlisted | Self::Rejected | Self::Cancelled => false,
        }
    }

    /// Whether the questions asked once approved are open to the delegate:
    /// once their place is confirmed (approved, or needing no approval),
    /// and not while it is only held or awaited.
    pub fn answers_after_approval(self) -> bool {
        match self {
            Self::Confirmed => true,
            Self::Unverified
            | Self::Pending
            | Self::Waitlisted
            | Self::Rejected
            | Self::Cancelled => false,
        }
    }

    /// The status after `step`, or why the step cannot happen. Cancelling
    /// twice is refused rather than ignored, so that a second cancellation
    /// cannot free a place a second time; verifying, approving or
    /// rejecting twice is no change, so that a second click says the same
    /// as the first.
    pub fn after(self, step: RegistrationMove) -> Result<Self, TransitionError> {
        use RegistrationMove::*;
        use TransitionError::*;
        match (self, step) {
            (Self::Unverified, Verify { awaiting_approval }) => Ok(if awaiting_approval {
                Self::Pending
            } else {
                Self::Confirmed
            }),
            (
                Self::Pending | Self::Confirmed | Self::Waitlisted | Self::Rejected,
                Verify { .. },
            ) => Ok(self),
            (Self::Cancelled, Verify { .. } | Cancel | Approve(_) | Reject) => {
                Err(AlreadyCancelled)
            }
            (Self::Unverified, Expire) => Ok(Self::Cancelled),
            (
                Self::Pending
                | Self::Confirmed
                | Self::Waitlisted
                | Self::Rejected
                | Self::Cancelled,
                Expire,
            ) => Err(NotUnverified),
            (Self::Unverified | Self::Pending | Self::Confirmed | Self::Waitlisted, Cancel) => {
                Ok(Self::Cancelled)
            }
            (Self::Rejected, Cancel | Approve(_) | Promote { .. }) => Err(Rejected),
            (
                Self::Waitlisted,
                Promote {
                    verify,
                    awaiting_approval,
                },
            ) => Ok(match (verify, awaiting_approval) {
                (true, _) => Self::Unverified,
                (false, true) => Self::Pending,
                (false, false) => Self::Confirmed,
            }),
            (
                Self::Unverified | Self::Pending | Self::Confirmed | Self::Cancelled,
                Promote { .. },
            ) => Err(NotWaitlisted),
            (Self::Pending, Approve(admitted)) => Ok(match admitted {
                Admitted::Place => Self::Confirmed,
                Admitted::Hold => Self::Unverified,
                Admitted::Wait => Self::Waitlisted,
            }),
            // Approved while holding a place to confirm, or while waiting:
            // the decision is recorded, the place is as it was.
            (Self::Unverified | Self::Confirmed | Self::Waitlisted, Approve(_)) => Ok(self),
            (Self::Unverified | Self::Pending | Self::Waitlisted | Self::Rejected, Reject) => {
                Ok(Self::Rejected)
            }
            (Self::Confirmed, Reject) => Err(AlreadyConfirmed),
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
        assert_eq!(
            RegistrationStatus::parse("Pending"),
            Ok(RegistrationStatus::Pending)
        );
        assert_eq!(RegistrationStatus::parse("approved"), Err(StatusError));
        assert_eq!(RegistrationStatus::parse(""), Err(StatusError));
    }

    /// Every (status, move) pair, against a table written out by hand: a
    /// row per status, a column per move in the order of
    /// [`RegistrationMove::ALL`].
    #[test]
    fn every_status_answers_every_move() {
        use RegistrationStatus::*;
        use TransitionError::{AlreadyCancelled, AlreadyConfirmed, NotUnverified, NotWaitlisted};
        const REFUSED: TransitionError = TransitionError::Rejected;
        type Row = [Result<RegistrationStatus, TransitionError>; 12];
        // verify, verify (approval), expire, cancel, promote, promote held,
        // promote pending, promote held pending, approve (place), approve
        // (hold), approve (wait), reject
        let table: [(RegistrationStatus, Row); 6] = [
            (
                Unverified,
                [
                    Ok(Confirmed),
                    Ok(Pending),
                    Ok(Cancelled),
                    Ok(Cancelled),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Ok(Unverified),
                    Ok(Unverified),
                    Ok(Unverified),
                    Ok(Rejected),
                ],
            ),
            (
                Pending,
                [
                    Ok(Pending),
                    Ok(Pending),
                    Err(NotUnverified),
                    Ok(Cancelled),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Ok(Confirmed),
                    Ok(Unverified),
                    Ok(Waitlisted),
                    Ok(Rejected),
                ],
            ),
            (
                Confirmed,
                [
                    Ok(Confirmed),
                    Ok(Confirmed),
                    Err(NotUnverified),
                    Ok(Cancelled),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Ok(Confirmed),
                    Ok(Confirmed),
                    Ok(Confirmed),
                    Err(AlreadyConfirmed),
                ],
            ),
            (
                Waitlisted,
                [
                    Ok(Waitlisted),
                    Ok(Waitlisted),
                    Err(NotUnverified),
                    Ok(Cancelled),
                    Ok(Confirmed),
                    Ok(Unverified),
                    Ok(Pending),
                    Ok(Unverified),
                    Ok(Waitlisted),
                    Ok(Waitlisted),
                    Ok(Waitlisted),
                    Ok(Rejected),
                ],
            ),
            (
                Rejected,
                [
                    Ok(Rejected),
                    Ok(Rejected),
                    Err(NotUnverified),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Err(REFUSED),
                    Ok(Rejected),
                ],
            ),
            (
                Cancelled,
                [
                    Err(AlreadyCancelled),
                    Err(AlreadyCancelled),
                    Err(NotUnverified),
                    Err(AlreadyCancelled),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(NotWaitlisted),
                    Err(AlreadyCancelled),
                    Err(AlreadyCancelled),
                    Err(AlreadyCancelled),
                    Err(AlreadyCancelled),
                ],
            ),
        ];
        assert_eq!(
            table.len(),
            RegistrationStatus::ALL.len(),
            "a row per status"
        );
        for (status, row) in table {
            for (step, answer) in RegistrationMove::ALL.into_iter().zip(row) {
                assert_eq!(status.after(step), answer, "{status} after {step:?}");
            }
        }
    }

    #[test]
    fn the_holding_statuses_are_those_that_hold_places() {
        use RegistrationStatus::*;
        assert_eq!(
            RegistrationStatus::holding(true),
            [Unverified, Pending, Confirmed]
        );
        assert_eq!(RegistrationStatus::holding(false), [Unverified, Confirmed]);
        for &status in RegistrationStatus::ALL {
            // Admitted is held or given, decided.
            assert!(!status.is_admitted() || status.holds_place(false));
        }
    }

    /// A move that succeeds never turns a place-holding registration into
    /// a waiting one, and nothing comes back from cancelled or rejected
    /// but a second rejection.
    #[test]
    fn moves_never_reopen_a_cancellation() {
        for &status in RegistrationStatus::ALL {
            for step in RegistrationMove::ALL {
                if let Ok(next) = status.after(step) {
                    assert!(status != RegistrationStatus::Cancelled, "{step:?}");
                    if status == RegistrationStatus::Rejected {
                        assert_eq!(next, RegistrationStatus::Rejected, "{step:?}");
                    }
                    assert!(!(status.holds_place(false) && next == RegistrationStatus::Waitlisted));
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
