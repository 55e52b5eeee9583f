//! Who may do what on an event. An account holds, per event, one
//! [`EventRole`]; the platform admin holds every event. What a role lets
//! one do is an [`Action`] answered by one exhaustive `match`, so a role
//! that joins later (a delegation's focal point) says what it may do on
//! each action, and none is forgotten.

use super::vocabulary::vocabulary;

vocabulary! {
    /// An account's role on one event, as stored and as `--role` takes it.
    pub enum EventRole {
        /// Organiser, and answers for the event (whoever created it).
        Owner = "owner",
        /// Sets the event up and manages its registrations.
        Organiser = "organiser",
        /// Reads and exports.
        Viewer = "viewer",
        /// Reads the attendee list, at the door; no export, no change.
        Checkin = "checkin",
    }
}

/// What a request may do on one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The platform admin: every event, and creating events and accounts.
    Admin,
    /// A role granted on this event.
    Event(EventRole),
}

/// What a request asks to do on an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the attendee list and one registration (the door's list).
    ReadAttendees,
    /// Read the event's set-up, questions and outbox.
    Read,
    /// Take the attendee list away as a file.
    Export,
    /// Change anything about the event or its registrations.
    Change,
    /// Read the answers (and files) of sensitive questions: health,
    /// accessibility. Never a viewer's nor the door's.
    ReadSensitive,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::ReadAttendees,
        Action::Read,
        Action::Export,
        Action::Change,
        Action::ReadSensitive,
    ];

    /// Whether the action writes: a read-only token never may.
    pub fn writes(self) -> bool {
        match self {
            Action::ReadAttendees | Action::Read | Action::Export | Action::ReadSensitive => false,
            Action::Change => true,
        }
    }
}

impl Role {
    pub fn allows(self, action: Action) -> bool {
        match self {
            Role::Admin => true,
            Role::Event(role) => role.allows(action),
        }
    }
}

impl EventRole {
    pub fn allows(self, action: Action) -> bool {
        match self {
            EventRole::Owner | EventRole::Organiser => true,
            EventRole::Viewer => match action {
                Action::ReadAttendees | Action::Read | Action::Export => true,
                Action::Change | Action::ReadSensitive => false,
            },
            EventRole::Checkin => match action {
                Action::ReadAttendees => true,
                Action::Read | Action::Export | Action::Change | Action::ReadSensitive => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vocabulary;

    /// The matrix of SECURITY.md, written out once more by hand.
    #[test]
    fn each_role_may_do_exactly_what_the_matrix_says() {
        let expected = [
            (Role::Admin, [true, true, true, true, true]),
            (
                Role::Event(EventRole::Owner),
                [true, true, true, true, true],
            ),
            (
                Role::Event(EventRole::Organiser),
                [true, true, true, true, true],
            ),
            (
                Role::Event(EventRole::Viewer),
                [true, true, true, false, false],
            ),
            (
                Role::Event(EventRole::Checkin),
                [true, false, false, false, false],
            ),
        ];
        for (role, allowed) in expected {
            for (action, allowed) in Action::ALL.into_iter().zip(allowed) {
                assert_eq!(role.allows(action), allowed, "{role:?} {action:?}");
            }
        }
        assert_eq!(EventRole::from_typed(" Checkin"), Some(EventRole::Checkin));
        assert_eq!(EventRole::from_stored("admin"), None);
    }
}
