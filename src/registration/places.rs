//! The place one registration holds, taken or given back outside a batch
//! (a promotion, a cancellation, an expired hold): its category's, and,
//! unless its category counts outside the quotas, the event's and its
//! country's. The caller holds the event lock; the category and the
//! country are locked here, in DESIGN.md's order.

use diesel_async::AsyncPgConnection;

use super::{Invariant, RegistrationError};
use crate::db::categories::{self as categories_store, Category};
use crate::db::events::Event;
use crate::db::registrations::{self as store, Registration};
use crate::domain::{Admission, Blocker, admit_in};

/// Takes the place `registration` needs, if every counter it counts in
/// has room; else says which one is full, and nothing is taken. `event` is
/// the row as the caller locked it, with its counts so far; on success its
/// `taken` has moved if the place counts in the event.
pub(super) async fn take_place(
    conn: &mut AsyncPgConnection,
    event: &mut Event,
    registration: &Registration,
) -> Result<Result<(), Blocker>, RegistrationError> {
    let category = lock_category(conn, registration).await?;
    let country = store::lock_country_quota(conn, event, &registration.country_code).await?;
    let quota = category.as_ref().map(Category::quota);
    if let Admission::Waitlisted(blocker) = admit_in(quota, event.quota(), country.quota()) {
        return Ok(Err(blocker));
    }
    // The guarded updates are the wall behind the decision above.
    let mut took = match &category {
        Some(category) => categories_store::move_category_places(conn, &[(category.id, 1)]).await?,
        None => true,
    };
    if quota.is_none_or(|quota| quota.counts_in_quotas) {
        took &= store::take_event_places(conn, event.id, 1).await?;
        took &=
            store::take_country_places(conn, event.id, &[(&registration.country_code, 1)]).await?;
        event.taken += 1;
    }
    if took {
        Ok(Ok(()))
    } else {
        Err(Invariant::CounterRefused.into())
    }
}

/// Gives back the place a place-holding `registration` holds; `event` as
/// in [`take_place`].
pub(super) async fn give_back_place(
    conn: &mut AsyncPgConnection,
    event: &mut Event,
    registration: &Registration,
) -> Result<(), RegistrationError> {
    let category = lock_category(conn, registration).await?;
    store::lock_country_quota(conn, event, &registration.country_code).await?;
    let gave = match &category {
        Some(category) => {
            categories_store::move_category_places(conn, &[(category.id, -1)]).await?
        }
        None => true,
    };
    if category.is_none_or(|category| category.counts_in_quotas) {
        store::release_event_place(conn, event.id).await?;
        store::release_country_place(conn, event.id, &registration.country_code).await?;
        event.taken -= 1;
    }
    if gave {
        Ok(())
    } else {
        Err(Invariant::CounterRefused.into())
    }
}

/// Whether an organiser has still to decide on `registration`: its
/// category needs approval and nobody approved it yet.
pub(super) async fn awaits_approval(
    conn: &mut AsyncPgConnection,
    registration: &Registration,
) -> Result<bool, RegistrationError> {
    if registration.approved_at.is_some() {
        return Ok(false);
    }
    Ok(match registration.category_id {
        Some(id) => categories_store::find_by_id(conn, id).await?.needs_approval,
        None => false,
    })
}

async fn lock_category(
    conn: &mut AsyncPgConnection,
    registration: &Registration,
) -> Result<Option<Category>, RegistrationError> {
    Ok(match registration.category_id {
        Some(id) => Some(categories_store::lock(conn, id).await?),
        None => None,
    })
}
