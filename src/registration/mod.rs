//! The use cases that change registrations: register, change sessions,
//! cancel, and the promotions they trigger. Each runs as ONE database
//! transaction and is the only code that moves quota counters.
//!
//! Lock order, in every use case: the event row, then country quota rows,
//! then session rows by id. Since every transaction takes the event row
//! first, two of them can never wait on each other in a cycle; a
//! serialization failure or deadlock reported anyway (e.g. by an organiser's
//! direct change) is retried a bounded number of times.

pub mod admin;
pub mod anonymise;
pub mod approval;
mod batch;
mod cancel;
pub mod categories;
mod change_sessions;
pub mod check;
mod choices;
mod places;
mod promote;
pub mod questions;
mod register;
mod token;
pub mod verify;
mod view;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub use admin::{resend, set_country_capacity};
pub use batch::Registrar;
pub use cancel::cancel;
pub use change_sessions::change_sessions;
pub use register::{Applicant, IdempotencyKey, Offer, Registered};
pub use token::{PrivateToken, hash_token};
pub use view::{ChoiceView, RegistrationView, find_by_token, view_of};

use crate::domain::FieldErrors;
use crate::mail::RenderError;

/// How often a transaction that lost a serialization race is run again.
const MAX_ATTEMPTS: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("event not found")]
    EventNotFound,
    #[error("registration not found")]
    NotFound,
    #[error("registration is closed")]
    Closed,
    #[error("this email address is already registered for this event")]
    Duplicate,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("the Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("a cancelled registration cannot be changed")]
    Cancelled,
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("the registration desk has stopped")]
    Stopped,
    #[error(transparent)]
    Email(#[from] RenderError),
    #[error(transparent)]
    Invariant(#[from] Invariant),
    #[error(transparent)]
    Database(#[from] DieselError),
}

/// Something the code relies on did not hold: a bug, or a row written by
/// hand. The transaction rolls back, the request gets an opaque 500, and
/// the log says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invariant {
    #[error("a guarded counter refused the places the batch had decided")]
    CounterRefused,
    #[error("a request of the batch was left without an answer")]
    Unanswered,
    #[error("a row the batch wrote or locked is missing")]
    RowMissing,
    #[error("the event's stored reference prefix is malformed")]
    ReferencePrefix,
    #[error("a stored idempotent answer is malformed")]
    StoredAnswer,
    #[error("a batch is too large to count")]
    BatchTooLarge,
    #[error("a registration was moved in a way its status does not allow")]
    Transition,
}

impl From<crate::db::PoolError> for RegistrationError {
    fn from(error: crate::db::PoolError) -> Self {
        RegistrationError::Unavailable(error.to_string())
    }
}

impl RegistrationError {
    /// The database connection was lost: see [`crate::db::is_connection_lost`].
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, RegistrationError::Database(error) if crate::db::is_connection_lost(error))
    }

    fn is_transient(&self) -> bool {
        match self {
            RegistrationError::Database(DieselError::DatabaseError(kind, info)) => {
                matches!(kind, DatabaseErrorKind::SerializationFailure)
                    || info.message().contains("deadlock detected")
            }
            _ => false,
        }
    }
}

/// Runs `attempt` as one transaction, again when it lost a serialization race.
macro_rules! with_retries {
    ($conn:expr, |$tx:ident| $body:expr) => {{
        let mut attempt = 1;
        loop {
            let result = diesel_async::AsyncConnection::transaction::<_, RegistrationError, _>(
                &mut *$conn,
                async |$tx| $body,
            )
            .await;
            match result {
                Err(error) if error.is_transient() && attempt < crate::registration::MAX_ATTEMPTS => {
                    tracing::debug!(attempt, %error, "retrying a transaction");
                    attempt += 1;
                }
                other => break other,
            }
        }
    }};
}
pub(crate) use with_retries;
