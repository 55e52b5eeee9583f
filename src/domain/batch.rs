//! What a batch of registrations for one event decides, before anything is
//! written: who is a duplicate, who gets a place, who waits and where, who
//! gets a seat in each chosen room, and how far each counter moves.
//!
//! The registrar reads the counters under the event's lock and hands them
//! here with the batch in arrival order; the answer must be exactly what
//! the registrations would have got one at a time, each after the previous
//! one committed. The property test below holds it to that.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::quota::{Admission, Blocker, CategoryQuota, Quota, SeatStatus, admit_in, seat};

/// A counter as locked, and how many places the batch takes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub quota: Quota,
    took: i32,
}

impl Tally {
    pub fn new(quota: Quota) -> Tally {
        Tally { quota, took: 0 }
    }

    fn take(&mut self) {
        self.quota.taken += 1;
        self.took += 1;
    }
}

/// A country's quota and the length of its waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryTally {
    pub places: Tally,
    pub waiting: i64,
}

/// A participant category's own places, the length of its waiting list,
/// and whether its places count in the event's and countries' quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryTally {
    pub places: Tally,
    pub waiting: i64,
    pub counts_in_quotas: bool,
    /// Its registrations wait for an organiser's decision.
    pub needs_approval: bool,
}

/// The counters a batch reads under its locks and moves in memory.
#[derive(Debug, Clone)]
pub struct Counters<'k> {
    /// The event's pending registrations hold the places they are given;
    /// otherwise they take none until approved.
    pub pending_holds_place: bool,
    pub event: Tally,
    /// Registrations of the event on a waiting list.
    pub event_waiting: i64,
    /// By country code; every country of the batch must be here.
    pub countries: HashMap<&'k str, CountryTally>,
    /// By category id; every category of the batch must be here.
    pub categories: HashMap<Uuid, CategoryTally>,
    /// By session id; a chosen session missing here is skipped.
    pub sessions: HashMap<Uuid, Tally>,
    /// Question choices with places, by choice id; one missing here is
    /// skipped.
    pub choices: HashMap<Uuid, Tally>,
}

/// One registration of the batch, as the decisions see it.
#[derive(Debug, Clone)]
pub struct Arrival<'k, R> {
    /// Whatever the caller needs back with the decision.
    pub request: R,
    /// The email as the live-email index compares it.
    pub email: &'k str,
    /// A live registration of the event already has the email.
    pub email_taken: bool,
    pub country: &'k str,
    /// The participant category, by id; none in an event without them.
    pub category: Option<Uuid>,
    pub sessions: Vec<Uuid>,
    /// The question choices the answers hold, by id.
    pub choices: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The email is already registered: by a live registration, or by an
    /// earlier arrival of the same batch.
    Duplicate,
    /// A chosen question choice has no place left (the first such, by
    /// id): the registration is refused and takes nothing.
    ChoiceFull(Uuid),
    Placed(Placement),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub admission: Admission,
    /// 1-based place in the queue that holds the delegate back (their
    /// country's when it is full, the event's otherwise); `None` when
    /// confirmed.
    pub waitlist_position: Option<i64>,
    /// Each chosen session the batch knows, by id.
    pub seats: Vec<(Uuid, SeatStatus)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<R> {
    pub request: R,
    pub verdict: Verdict,
}

/// A country or category of the batch has no counter: the caller did not
/// lock it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} of the batch has no counter")]
pub struct MissingCounter(pub String);

/// How far the batch moves each counter, for the guarded statements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Takes<'k> {
    pub event: i32,
    /// By country code, sorted; only countries that move.
    pub countries: Vec<(&'k str, i32)>,
    /// By category id, sorted; only categories that move.
    pub categories: Vec<(Uuid, i32)>,
    /// By session id, sorted; only sessions that move.
    pub seats: Vec<(Uuid, i32)>,
    /// By choice id, sorted; only choices that move.
    pub choices: Vec<(Uuid, i32)>,
}

impl<'k> Counters<'k> {
    /// Decides `arrivals` in order, each as if alone after the previous
    /// one, and moves the counters accordingly. A delegate is placed when
    /// their category has room and, unless it counts outside the quotas,
    /// the event and their country too (`admit_in`); a placed delegate gets a seat
    /// in each chosen room that has one, by session id. A delegate still
    /// waiting for a place holds no seat: their choices wait too.
    pub fn decide<R>(
        &mut self,
        arrivals: Vec<Arrival<'k, R>>,
    ) -> Result<Vec<Decision<R>>, MissingCounter> {
        let mut emails: HashSet<&str> = HashSet::with_capacity(arrivals.len());
        let mut decisions = Vec::with_capacity(arrivals.len());
        for arrival in arrivals {
            let verdict = if arrival.email_taken || emails.contains(arrival.email) {
                Verdict::Duplicate
            } else if let Some(full) = self.first_full_choice(&arrival.choices) {
                Verdict::ChoiceFull(full)
            } else {
                emails.insert(arrival.email);
                self.hold_choices(&arrival.choices);
                Verdict::Placed(self.place(arrival.country, arrival.category, arrival.sessions)?)
            };
            decisions.push(Decision {
                request: arrival.request,
                verdict,
            });
        }
        Ok(decisions)
    }

    fn first_full_choice(&self, chosen: &[Uuid]) -> Option<Uuid> {
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        chosen.into_iter().find(|id| {
            self.choices
                .get(id)
                .is_some_and(|tally| !tally.quota.has_room())
        })
    }

    /// A registration holds its choices' places whatever its status: a
    /// choice is refused when full, so it can never hold up a promotion.
    fn hold_choices(&mut self, chosen: &[Uuid]) {
        for id in chosen {
            if let Some(tally) = self.choices.get_mut(id) {
                tally.take();
            }
        }
    }

    fn place(
        &mut self,
        country: &str,
        category: Option<Uuid>,
        mut sessions: Vec<Uuid>,
    ) -> Result<Placement, MissingCounter> {
        let tally = self
            .countries
            .get_mut(country)
            .ok_or_else(|| MissingCounter(format!("country {country}")))?;
        let mut category = match category {
            Some(id) => Some(
                self.categories
                    .get_mut(&id)
                    .ok_or_else(|| MissingCounter(format!("category {id}")))?,
            ),
            None => None,
        };
        let quota = category.as_ref().map(|category| CategoryQuota {
            places: category.places.quota,
            counts_in_quotas: category.counts_in_quotas,
        });
        let decided_later = category
            .as_ref()
            .is_some_and(|category| category.needs_approval && !self.pending_holds_place);
        let admission = if decided_later {
            Admission::AwaitingDecision
        } else {
            admit_in(quota, self.event.quota, tally.places.quota)
        };
        let waitlist_position = match admission {
            Admission::Confirmed => {
                if quota.is_none_or(|quota| quota.counts_in_quotas) {
                    self.event.take();
                    tally.places.take();
                }
                if let Some(category) = category.as_mut() {
                    category.places.take();
                }
                None
            }
            // Every waiting registration is on the event's and its
            // country's lists (the database's counters count them all).
            Admission::Waitlisted(blocker) => {
                self.event_waiting += 1;
                tally.waiting += 1;
                if let Some(category) = category.as_mut() {
                    category.waiting += 1;
                }
                Some(match blocker {
                    Blocker::Country => tally.waiting,
                    Blocker::Event => self.event_waiting,
                    // Only a category can be full.
                    Blocker::Category => category.map_or(0, |category| category.waiting),
                })
            }
            Admission::AwaitingDecision => None,
        };
        sessions.sort_unstable();
        let seats = sessions
            .into_iter()
            .filter_map(|id| {
                let room = self.sessions.get_mut(&id)?;
                let status = match admission {
                    Admission::Confirmed => seat(room.quota),
                    Admission::Waitlisted(_) | Admission::AwaitingDecision => {
                        SeatStatus::Waitlisted
                    }
                };
                if status == SeatStatus::Confirmed {
                    room.take();
                }
                Some((id, status))
            })
            .collect();
        Ok(Placement {
            admission,
            waitlist_position,
            seats,
        })
    }

    /// The places taken since the counters were read.
    pub fn takes(&self) -> Takes<'k> {
        let mut countries: Vec<(&'k str, i32)> = self
            .countries
            .iter()
            .filter(|(_, tally)| tally.places.took > 0)
            .map(|(&code, tally)| (code, tally.places.took))
            .collect();
        countries.sort_unstable();
        let mut categories: Vec<(Uuid, i32)> = self
            .categories
            .iter()
            .filter(|(_, tally)| tally.places.took > 0)
            .map(|(&id, tally)| (id, tally.places.took))
            .collect();
        categories.sort_unstable();
        let mut seats: Vec<(Uuid, i32)> = self
            .sessions
            .iter()
            .filter(|(_, tally)| tally.took > 0)
            .map(|(&id, tally)| (id, tally.took))
            .collect();
        seats.sort_unstable();
        let mut choices: Vec<(Uuid, i32)> = self
            .choices
            .iter()
            .filter(|(_, tally)| tally.took > 0)
            .map(|(&id, tally)| (id, tally.took))
            .collect();
        choices.sort_unstable();
        Takes {
            event: self.event.took,
            countries,
            categories,
            seats,
            choices,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    const COUNTRIES: [&str; 3] = ["BR", "FR", "SN"];
    const EMAILS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];
    const CATEGORIES: [Option<Uuid>; 3] =
        [None, Some(Uuid::from_u128(201)), Some(Uuid::from_u128(202))];

    /// The database as the one-at-a-time use case sees it: rows, not
    /// counters. Each registration is decided from counts of the rows
    /// written before it, then written.
    #[derive(Debug, Clone)]
    struct Model {
        event_capacity: Option<i32>,
        country_capacity: BTreeMap<&'static str, Option<i32>>,
        /// Seats: capacity and seats already taken by earlier delegates.
        rooms: BTreeMap<Uuid, (Option<i32>, i32)>,
        /// Categories: capacity, whether they count in the quotas, whether
        /// they need approval.
        categories: BTreeMap<Uuid, (Option<i32>, bool, bool)>,
        /// Pending registrations hold the places they are given.
        pending_holds: bool,
        /// (email, country, category, placed), in queue order: placed,
        /// waiting, or neither until a decision (`None`).
        registrations: Vec<(&'static str, &'static str, Option<Uuid>, Option<bool>)>,
        /// (registration index, session, seated).
        choices: Vec<(usize, Uuid, bool)>,
        /// Question choices: capacity, and places held by earlier rows.
        options: BTreeMap<Uuid, (Option<i32>, i32)>,
        /// Question choices held by the registrations written here.
        held: Vec<Uuid>,
    }

    impl Model {
        fn counts(&self, category: Option<Uuid>) -> bool {
            category.is_none_or(|id| self.categories[&id].1)
        }

        /// Places taken in the event's (or a country's) quota: by the
        /// confirmed registrations of categories that count in it.
        fn confirmed(&self, country: Option<&str>) -> i32 {
            let count = self
                .registrations
                .iter()
                .filter(|(_, c, category, confirmed)| {
                    *confirmed == Some(true)
                        && self.counts(*category)
                        && country.is_none_or(|want| want == *c)
                })
                .count();
            i32::try_from(count).expect("small")
        }

        fn confirmed_in(&self, category: Uuid) -> i32 {
            let count = self
                .registrations
                .iter()
                .filter(|(_, _, c, confirmed)| *confirmed == Some(true) && *c == Some(category))
                .count();
            i32::try_from(count).expect("small")
        }

        fn waiting(&self, country: Option<&str>) -> i64 {
            let count = self
                .registrations
                .iter()
                .filter(|(_, c, _, placed)| {
                    *placed == Some(false) && country.is_none_or(|want| want == *c)
                })
                .count();
            i64::try_from(count).expect("small")
        }

        fn waiting_in(&self, category: Uuid) -> i64 {
            let count = self
                .registrations
                .iter()
                .filter(|(_, _, c, placed)| *placed == Some(false) && *c == Some(category))
                .count();
            i64::try_from(count).expect("small")
        }

        fn seated(&self, session: Uuid) -> i32 {
            let (_, before) = self.rooms[&session];
            let count = self
                .choices
                .iter()
                .filter(|(_, id, seated)| *id == session && *seated)
                .count();
            before + i32::try_from(count).expect("small")
        }

        fn held(&self, option: Uuid) -> i32 {
            let (_, before) = self.options[&option];
            before
                + i32::try_from(self.held.iter().filter(|id| **id == option).count())
                    .expect("small")
        }

        fn room(capacity: Option<i32>, taken: i32) -> bool {
            capacity.is_none_or(|capacity| taken < capacity)
        }

        /// One registration, alone: what `register` decides for it.
        fn register(
            &mut self,
            email: &'static str,
            country: &'static str,
            category: Option<Uuid>,
            sessions: &[Uuid],
            options: &[Uuid],
        ) -> Verdict {
            if self.registrations.iter().any(|(e, _, _, _)| *e == email) {
                return Verdict::Duplicate;
            }
            let mut wanted: Vec<Uuid> = options
                .iter()
                .copied()
                .filter(|id| self.options.contains_key(id))
                .collect();
            wanted.sort_unstable();
            if let Some(full) = wanted
                .iter()
                .find(|id| !Self::room(self.options[id].0, self.held(**id)))
            {
                return Verdict::ChoiceFull(*full);
            }
            self.held.extend(wanted);
            let index = self.registrations.len();
            let mut chosen: Vec<Uuid> = sessions
                .iter()
                .copied()
                .filter(|id| self.rooms.contains_key(id))
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            if category.is_some_and(|id| self.categories[&id].2) && !self.pending_holds {
                self.registrations.push((email, country, category, None));
                let seats = chosen
                    .into_iter()
                    .map(|id| {
                        self.choices.push((index, id, false));
                        (id, SeatStatus::Waitlisted)
                    })
                    .collect();
                return Verdict::Placed(Placement {
                    admission: Admission::AwaitingDecision,
                    waitlist_position: None,
                    seats,
                });
            }
            let country_room = Self::room(
                self.country_capacity[country],
                self.confirmed(Some(country)),
            );
            let event_room = Self::room(self.event_capacity, self.confirmed(None));
            let category_room =
                category.is_none_or(|id| Self::room(self.categories[&id].0, self.confirmed_in(id)));
            let admission = match (
                category_room,
                self.counts(category),
                country_room,
                event_room,
            ) {
                (false, _, _, _) => Admission::Waitlisted(Blocker::Category),
                (true, false, _, _) | (true, true, true, true) => Admission::Confirmed,
                (true, true, false, _) => Admission::Waitlisted(Blocker::Country),
                (true, true, true, false) => Admission::Waitlisted(Blocker::Event),
            };
            let confirmed = admission == Admission::Confirmed;
            self.registrations
                .push((email, country, category, Some(confirmed)));
            let waitlist_position = match admission {
                Admission::Confirmed => None,
                Admission::Waitlisted(Blocker::Country) => Some(self.waiting(Some(country))),
                Admission::Waitlisted(Blocker::Event) => Some(self.waiting(None)),
                Admission::Waitlisted(Blocker::Category) => category.map(|id| self.waiting_in(id)),
                Admission::AwaitingDecision => None,
            };
            let seats = chosen
                .into_iter()
                .map(|id| {
                    let seated = confirmed && Self::room(self.rooms[&id].0, self.seated(id));
                    self.choices.push((index, id, seated));
                    let status = if seated {
                        SeatStatus::Confirmed
                    } else {
                        SeatStatus::Waitlisted
                    };
                    (id, status)
                })
                .collect();
            Verdict::Placed(Placement {
                admission,
                waitlist_position,
                seats,
            })
        }
    }

    fn capacity() -> impl Strategy<Value = Option<i32>> {
        proptest::option::weighted(0.8, 0i32..6)
    }

    /// A state the database can be in: rows already there, capacities at
    /// or above what those rows take (the CHECK constraints), some rooms.
    fn model() -> impl Strategy<Value = Model> {
        let existing = vec(
            (
                select(EMAILS.to_vec()),
                select(COUNTRIES.to_vec()),
                select(CATEGORIES.to_vec()),
                any::<bool>(),
            ),
            0..6,
        );
        let rooms = vec((capacity(), 0i32..4), 0..4);
        let options = vec((proptest::option::weighted(0.8, 0i32..3), 0i32..3), 0..3);
        let categories = vec((capacity(), any::<bool>(), any::<bool>()), 2);
        (
            existing,
            capacity(),
            vec(capacity(), 3),
            rooms,
            options,
            (categories, any::<bool>()),
        )
            .prop_map(
                |(
                    existing,
                    event_extra,
                    country_extra,
                    rooms,
                    options,
                    (categories, pending_holds),
                )| {
                    let mut registrations = Vec::new();
                    for (email, country, category, confirmed) in existing {
                        if registrations.iter().all(|(e, _, _, _)| *e != email) {
                            registrations.push((email, country, category, Some(confirmed)));
                        }
                    }
                    let mut model = Model {
                        event_capacity: None,
                        country_capacity: BTreeMap::new(),
                        categories: CATEGORIES
                            .into_iter()
                            .flatten()
                            .zip(
                                categories
                                    .iter()
                                    .map(|&(_, counts, approval)| (None, counts, approval)),
                            )
                            .collect(),
                        pending_holds,
                        rooms: rooms
                            .into_iter()
                            .enumerate()
                            .map(|(n, (capacity, taken))| {
                                let taken = capacity.map_or(taken, |capacity| taken.min(capacity));
                                (Uuid::from_u128(n as u128 + 1), (capacity, taken))
                            })
                            .collect(),
                        registrations,
                        choices: Vec::new(),
                        options: options
                            .into_iter()
                            .enumerate()
                            .map(|(n, (capacity, held))| {
                                let held = capacity.map_or(held, |capacity| held.min(capacity));
                                (Uuid::from_u128(n as u128 + 101), (capacity, held))
                            })
                            .collect(),
                        held: Vec::new(),
                    };
                    for (id, (extra, _, _)) in CATEGORIES.into_iter().flatten().zip(categories) {
                        let taken = model.confirmed_in(id);
                        if let Some(category) = model.categories.get_mut(&id) {
                            category.0 = extra.map(|extra| taken + extra);
                        }
                    }
                    let taken = model.confirmed(None);
                    model.event_capacity = event_extra.map(|extra| taken + extra);
                    for (code, extra) in COUNTRIES.into_iter().zip(country_extra) {
                        let taken = model.confirmed(Some(code));
                        model
                            .country_capacity
                            .insert(code, extra.map(|extra| taken + extra));
                    }
                    model
                },
            )
    }

    type Drawn = (
        &'static str,
        &'static str,
        Option<Uuid>,
        Vec<Uuid>,
        Vec<Uuid>,
    );

    /// Arrivals: emails from a small set (duplicates, in the batch and
    /// against the rows), countries, sessions among the rooms and one
    /// unknown id, question choices among the known and one unknown.
    fn arrivals() -> impl Strategy<Value = Vec<Drawn>> {
        let session = (0u128..6).prop_map(Uuid::from_u128);
        let option = (101u128..105).prop_map(Uuid::from_u128);
        vec(
            (
                select(EMAILS.to_vec()),
                select(COUNTRIES.to_vec()),
                select(CATEGORIES.to_vec()),
                vec(session, 0..4),
                vec(option, 0..3).prop_map(|mut options| {
                    options.sort_unstable();
                    options.dedup();
                    options
                }),
            ),
            0..12,
        )
    }

    fn counters(model: &Model) -> Counters<'static> {
        Counters {
            pending_holds_place: model.pending_holds,
            event: Tally::new(Quota {
                capacity: model.event_capacity,
                taken: model.confirmed(None),
            }),
            event_waiting: model.waiting(None),
            countries: COUNTRIES
                .into_iter()
                .map(|code| {
                    let tally = CountryTally {
                        places: Tally::new(Quota {
                            capacity: model.country_capacity[code],
                            taken: model.confirmed(Some(code)),
                        }),
                        waiting: model.waiting(Some(code)),
                    };
                    (code, tally)
                })
                .collect(),
            categories: model
                .categories
                .iter()
                .map(|(&id, &(capacity, counts_in_quotas, needs_approval))| {
                    let tally = CategoryTally {
                        places: Tally::new(Quota {
                            capacity,
                            taken: model.confirmed_in(id),
                        }),
                        waiting: model.waiting_in(id),
                        counts_in_quotas,
                        needs_approval,
                    };
                    (id, tally)
                })
                .collect(),
            sessions: model
                .rooms
                .iter()
                .map(|(&id, &(capacity, taken))| (id, Tally::new(Quota { capacity, taken })))
                .collect(),
            choices: model
                .options
                .iter()
                .map(|(&id, &(capacity, taken))| (id, Tally::new(Quota { capacity, taken })))
                .collect(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn a_batch_decides_what_one_at_a_time_would(model in model(), batch in arrivals()) {
            let mut counters = counters(&model);
            let before = counters.clone();
            let arrivals = batch
                .iter()
                .enumerate()
                .map(|(n, (email, country, category, sessions, options))| Arrival {
                    request: n,
                    email,
                    email_taken: model.registrations.iter().any(|(e, _, _, _)| e == email),
                    country,
                    category: *category,
                    sessions: {
                        let mut unique = sessions.clone();
                        unique.sort_unstable();
                        unique.dedup();
                        unique
                    },
                    choices: options.clone(),
                })
                .collect();
            let decisions = counters.decide(arrivals).expect("every country has a counter");

            let mut alone = model.clone();
            let expected: Vec<Verdict> = batch
                .iter()
                .map(|(email, country, category, sessions, options)| {
                    alone.register(email, country, *category, sessions, options)
                })
                .collect();
            let verdicts: Vec<Verdict> = decisions.iter().map(|d| d.verdict.clone()).collect();
            prop_assert_eq!(&verdicts, &expected);
            prop_assert!(decisions.iter().enumerate().all(|(n, d)| d.request == n));

            // The counters moved by what the rows say, and never past a capacity.
            let takes = counters.takes();
            prop_assert_eq!(takes.event, alone.confirmed(None) - model.confirmed(None));
            prop_assert_eq!(counters.event.quota.taken, alone.confirmed(None));
            prop_assert!(counters.event.quota.capacity.is_none_or(|c| counters.event.quota.taken <= c));
            for code in COUNTRIES {
                let moved = takes.countries.iter().find(|(c, _)| *c == code).map_or(0, |(_, n)| *n);
                prop_assert_eq!(moved, alone.confirmed(Some(code)) - model.confirmed(Some(code)));
                let tally = counters.countries[code];
                prop_assert_eq!(tally.places.quota.taken, alone.confirmed(Some(code)));
                prop_assert_eq!(tally.waiting, alone.waiting(Some(code)));
                prop_assert!(tally.places.quota.capacity.is_none_or(|c| tally.places.quota.taken <= c));
            }
            for (&id, tally) in &counters.sessions {
                prop_assert_eq!(tally.quota.taken, alone.seated(id));
                prop_assert_eq!(tally.quota.taken - before.sessions[&id].quota.taken,
                    takes.seats.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n));
                prop_assert!(tally.quota.capacity.is_none_or(|c| tally.quota.taken <= c));
            }
            for (&id, tally) in &counters.categories {
                prop_assert_eq!(tally.places.quota.taken, alone.confirmed_in(id));
                prop_assert_eq!(tally.waiting, alone.waiting_in(id));
                prop_assert_eq!(tally.places.quota.taken - before.categories[&id].places.quota.taken,
                    takes.categories.iter().find(|(c, _)| *c == id).map_or(0, |(_, n)| *n));
                prop_assert!(tally.places.quota.capacity.is_none_or(|c| tally.places.quota.taken <= c));
            }
            prop_assert!(takes.categories.windows(2).all(|pair| pair[0].0 < pair[1].0));
            prop_assert!(takes.countries.windows(2).all(|pair| pair[0].0 < pair[1].0));
            prop_assert!(takes.seats.windows(2).all(|pair| pair[0].0 < pair[1].0));
            for (&id, tally) in &counters.choices {
                prop_assert_eq!(tally.quota.taken, alone.held(id));
                prop_assert_eq!(tally.quota.taken - before.choices[&id].quota.taken,
                    takes.choices.iter().find(|(c, _)| *c == id).map_or(0, |(_, n)| *n));
                prop_assert!(tally.quota.capacity.is_none_or(|c| tally.quota.taken <= c));
            }
            prop_assert!(takes.choices.windows(2).all(|pair| pair[0].0 < pair[1].0));
        }
    }

    #[test]
    fn a_country_without_a_counter_is_an_error() {
        let mut counters = Counters {
            pending_holds_place: true,
            event: Tally::new(Quota {
                capacity: None,
                taken: 0,
            }),
            event_waiting: 0,
            countries: HashMap::new(),
            categories: HashMap::new(),
            sessions: HashMap::new(),
            choices: HashMap::new(),
        };
        let arrival = Arrival {
            request: (),
            email: "a@example.org",
            email_taken: false,
            country: "SN",
            category: None,
            sessions: Vec::new(),
            choices: Vec::new(),
        };
        assert_eq!(
            counters.decide(vec![arrival]),
            Err(MissingCounter("country SN".to_owned()))
        );
    }
}
