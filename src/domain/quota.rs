//! Decisions on places: whether a delegate gets one or joins a waiting list.
//!
//! These only decide; `registration` moves the counters, inside the
//! transaction that holds the quota rows locked.

use super::vocabulary::vocabulary;

/// Places counted against a limit: the whole event, one country or one
/// session room. No capacity means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub capacity: Option<i32>,
    pub taken: i32,
}

impl Quota {
    pub fn has_room(&self) -> bool {
        self.capacity.is_none_or(|capacity| self.taken < capacity)
    }

    /// Places left, or `None` when unlimited. Zero, not negative, when an
    /// organiser has lowered the capacity below the places already taken.
    pub fn remaining(&self) -> Option<i32> {
        self.capacity
            .map(|capacity| capacity.saturating_sub(self.taken).max(0))
    }
}

/// Which waiting list a delegate joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Blocker {
    Event,
    Country,
    /// The delegate's participant category has its own capacity, and it is
    /// full.
    Category,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Admission {
    Confirmed,
    Waitlisted(Blocker),
    /// Neither a place nor a waiting list until an organiser decides: a
    /// category that needs approval, in an event whose pending
    /// registrations hold no place.
    AwaitingDecision,
}

/// A delegate is confirmed only if both the event and their country have
/// room. When the country is full they wait on the country's list even if the
/// event is full too: it is the narrower queue, and a place freed in their
/// delegation is the one that can admit them.
pub fn admit(event: Quota, country: Quota) -> Admission {
    if !country.has_room() {
        Admission::Waitlisted(Blocker::Country)
    } else if !event.has_room() {
        Admission::Waitlisted(Blocker::Event)
    } else {
        Admission::Confirmed
    }
}

/// A participant category's own places, and whether its places also count
/// against the event's capacity and the country quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryQuota {
    pub places: Quota,
    pub counts_in_quotas: bool,
}

/// [`admit`] for a delegate of `category`: a full category holds them
/// back first (its list is the narrowest), and a category that does not
/// count in the quotas (staff, press) needs nothing but its own room.
/// Without a category, exactly [`admit`].
pub fn admit_in(category: Option<CategoryQuota>, event: Quota, country: Quota) -> Admission {
    match category {
        Some(category) if !category.places.has_room() => Admission::Waitlisted(Blocker::Category),
        Some(category) if !category.counts_in_quotas => Admission::Confirmed,
        Some(_) | None => admit(event, country),
    }
}

vocabulary! {
    /// Where a delegate's choice of a session stands: a seat, or a place in
    /// the room's waiting list.
    pub enum SeatStatus {
        Confirmed = "confirmed",
        Waitlisted = "waitlisted",
    }
}

/// A seat in one session room, decided independently of the others.
pub fn seat(session: Quota) -> SeatStatus {
    if session.has_room() {
        SeatStatus::Confirmed
    } else {
        SeatStatus::Waitlisted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn limited(capacity: i32, taken: i32) -> Quota {
        Quota {
            capacity: Some(capacity),
            taken,
        }
    }

    fn unlimited(taken: i32) -> Quota {
        Quota {
            capacity: None,
            taken,
        }
    }

    #[test]
    fn room_and_remaining_places() {
        assert!(limited(3, 2).has_room());
        assert_eq!(limited(3, 2).remaining(), Some(1));
        assert!(!limited(3, 3).has_room());
        assert_eq!(limited(3, 3).remaining(), Some(0));
        assert!(!limited(0, 0).has_room());
        assert!(unlimited(1_000_000).has_room());
        assert_eq!(unlimited(1_000_000).remaining(), None);
    }

    #[test]
    fn lowered_capacity_leaves_no_room_and_no_negative_count() {
        assert!(!limited(10, 12).has_room());
        assert_eq!(limited(10, 12).remaining(), Some(0));
        assert_eq!(limited(i32::MIN, i32::MAX).remaining(), Some(0));
        assert_eq!(limited(i32::MAX, i32::MIN).remaining(), Some(i32::MAX));
    }

    #[test]
    fn admission_decisions() {
        assert_eq!(admit(limited(100, 5), limited(10, 9)), Admission::Confirmed);
        assert_eq!(admit(unlimited(5), unlimited(9)), Admission::Confirmed);
        assert_eq!(
            admit(limited(100, 100), limited(10, 3)),
            Admission::Waitlisted(Blocker::Event)
        );
        assert_eq!(
            admit(limited(100, 5), limited(10, 10)),
            Admission::Waitlisted(Blocker::Country)
        );
        assert_eq!(
            admit(limited(100, 100), limited(10, 10)),
            Admission::Waitlisted(Blocker::Country)
        );
        assert_eq!(
            admit(unlimited(0), limited(0, 0)),
            Admission::Waitlisted(Blocker::Country)
        );
    }

    #[test]
    fn a_category_admits_within_its_own_places() {
        let category = |capacity, taken, counts_in_quotas| {
            Some(CategoryQuota {
                places: limited(capacity, taken),
                counts_in_quotas,
            })
        };
        let full = limited(10, 10);
        let room = limited(10, 3);
        assert_eq!(admit_in(None, room, full), admit(room, full));
        assert_eq!(
            admit_in(category(5, 5, true), room, room),
            Admission::Waitlisted(Blocker::Category)
        );
        assert_eq!(
            admit_in(category(5, 5, false), full, full),
            Admission::Waitlisted(Blocker::Category)
        );
        assert_eq!(
            admit_in(category(5, 4, false), full, full),
            Admission::Confirmed
        );
        assert_eq!(
            admit_in(category(5, 4, true), room, full),
            Admission::Waitlisted(Blocker::Country)
        );
        assert_eq!(
            admit_in(category(5, 4, true), full, room),
            Admission::Waitlisted(Blocker::Event)
        );
        let unlimited_category = Some(CategoryQuota {
            places: unlimited(40),
            counts_in_quotas: true,
        });
        assert_eq!(
            admit_in(unlimited_category, room, room),
            Admission::Confirmed
        );
    }

    #[test]
    fn seat_decisions() {
        assert_eq!(seat(limited(30, 29)), SeatStatus::Confirmed);
        assert_eq!(seat(limited(30, 30)), SeatStatus::Waitlisted);
        assert_eq!(seat(unlimited(500)), SeatStatus::Confirmed);
    }

    fn quota() -> impl Strategy<Value = Quota> {
        (proptest::option::of(-2i32..20), -2i32..25)
            .prop_map(|(capacity, taken)| Quota { capacity, taken })
    }

    /// A place is free when fewer places are taken than the capacity allows.
    fn model_has_room(quota: Quota) -> bool {
        match quota.capacity {
            None => true,
            Some(capacity) => i64::from(quota.taken) < i64::from(capacity),
        }
    }

    proptest! {
        #[test]
        fn admit_never_confirms_past_a_full_quota(event in quota(), country in quota()) {
            let admission = admit(event, country);
            let expected = match (model_has_room(event), model_has_room(country)) {
                (_, false) => Admission::Waitlisted(Blocker::Country),
                (false, true) => Admission::Waitlisted(Blocker::Event),
                (true, true) => Admission::Confirmed,
            };
            prop_assert_eq!(admission, expected);
            if admission == Admission::Confirmed {
                prop_assert!(event.remaining().is_none_or(|left| left > 0));
                prop_assert!(country.remaining().is_none_or(|left| left > 0));
            }
        }

        #[test]
        fn seat_agrees_with_the_model(session in quota()) {
            let expected = if model_has_room(session) {
                SeatStatus::Confirmed
            } else {
                SeatStatus::Waitlisted
            };
            prop_assert_eq!(seat(session), expected);
        }

        #[test]
        fn remaining_is_never_negative_and_matches_has_room(
            capacity in any::<Option<i32>>(),
            taken in any::<i32>(),
        ) {
            let quota = Quota { capacity, taken };
            match quota.remaining() {
                None => prop_assert!(quota.has_room()),
                Some(left) => {
                    prop_assert!(left >= 0);
                    prop_assert_eq!(left > 0, quota.has_room());
                }
            }
        }

        #[test]
        fn filling_a_quota_one_by_one_confirms_exactly_capacity(capacity in 0i32..50) {
            let mut quota = limited(capacity, 0);
            let mut confirmed = 0;
            for _ in 0..60 {
                if seat(quota) == SeatStatus::Confirmed {
                    quota.taken += 1;
                    confirmed += 1;
                }
            }
            prop_assert_eq!(confirmed, capacity);
            prop_assert_eq!(quota.remaining(), Some(0));
        }
    }
}
