//! The message that names each of the domain's words, one exhaustive
//! `match` each: a new status or kind does not compile until it has one.

use crate::domain::{RegistrationStatus, SeatStatus, SessionKind};

/// Awaiting email confirmation, confirmed, on the waiting list, cancelled.
pub fn status_message(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Unverified => "status-unverified",
        RegistrationStatus::Pending => "status-pending",
        RegistrationStatus::Confirmed => "status-confirmed",
        RegistrationStatus::Waitlisted => "status-waitlisted",
        RegistrationStatus::Rejected => "status-rejected",
        RegistrationStatus::Cancelled => "status-cancelled",
    }
}

/// The title of the page a delegate sees right after registering.
pub fn registered_title_message(status: RegistrationStatus) -> Option<&'static str> {
    match status {
        RegistrationStatus::Unverified => Some("confirm-title-unverified"),
        RegistrationStatus::Pending => Some("confirm-title-pending"),
        RegistrationStatus::Confirmed => Some("confirm-title-confirmed"),
        RegistrationStatus::Waitlisted => Some("confirm-title-waitlisted"),
        RegistrationStatus::Rejected | RegistrationStatus::Cancelled => None,
    }
}

/// "seat confirmed", "on the room's waiting list".
pub fn seat_status_message(status: SeatStatus) -> &'static str {
    match status {
        SeatStatus::Confirmed => "manage-session-status-confirmed",
        SeatStatus::Waitlisted => "manage-session-status-waitlisted",
    }
}

pub fn session_kind_message(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Plenary => "session-kind-plenary",
        SessionKind::Workshop => "session-kind-workshop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::MESSAGE_IDS;

    #[test]
    fn every_word_has_its_message() {
        let known = |id: &str| assert!(MESSAGE_IDS.contains(&id), "no message {id}");
        for &status in RegistrationStatus::ALL {
            known(status_message(status));
            if let Some(id) = registered_title_message(status) {
                known(id);
            }
        }
        for &status in SeatStatus::ALL {
            known(seat_status_message(status));
        }
        for &kind in SessionKind::ALL {
            known(session_kind_message(kind));
        }
    }
}
