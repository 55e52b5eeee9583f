//! The frame around every back-office page: the layout, who is signed in,
//! and an event's tabs.

use crate::domain::{Action, Language};
use crate::web::pages::{Layout, Visitor};

/// What `admin/base.html` shows around every page.
pub struct Frame {
    pub layout: Layout,
    pub session: Option<SessionBar>,
    pub event: Option<EventTabs>,
}

impl Frame {
    pub(super) fn new(visitor: &Visitor, language: Language, title: String) -> Frame {
        Frame {
            layout: visitor.layout(language, title, &[]),
            session: None,
            event: None,
        }
    }
}

/// Who is signed in, and the token of their logout form.
pub struct SessionBar {
    pub name: String,
    pub csrf_token: String,
}

pub struct EventTabs {
    pub name: String,
    pub tabs: Vec<Tab>,
}

pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The pages of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Registrations,
    Sessions,
    Categories,
    Questions,
    Countries,
    Emails,
    EmailTexts,
    Settings,
}

impl Section {
    pub(super) const ALL: [Section; 9] = [
        Section::Dashboard,
        Section::Registrations,
        Section::Sessions,
        Section::Categories,
        Section::Questions,
        Section::Countries,
        Section::Emails,
        Section::EmailTexts,
        Section::Settings,
    ];

    /// What the page needs: its tab is shown to those who may.
    pub(super) fn action(self) -> Action {
        match self {
            Section::Dashboard | Section::Registrations => Action::ReadAttendees,
            Section::Sessions
            | Section::Categories
            | Section::Questions
            | Section::Countries
            | Section::Emails => Action::Read,
            Section::EmailTexts | Section::Settings => Action::Change,
        }
    }

    pub(super) fn message_id(self) -> &'static str {
        match self {
            Section::Dashboard => "admin-tab-dashboard",
            Section::Registrations => "admin-tab-registrations",
            Section::Sessions => "admin-tab-sessions",
            Section::Categories => "admin-tab-categories",
            Section::Questions => "admin-tab-questions",
            Section::Countries => "admin-tab-countries",
            Section::Emails => "admin-tab-emails",
            Section::EmailTexts => "admin-tab-email-texts",
            Section::Settings => "admin-tab-settings",
        }
    }

    pub(super) fn href(self, slug: &str) -> String {
        let page = match self {
            Section::Dashboard => "",
            Section::Registrations => "/registrations",
            Section::Sessions => "/sessions",
            Section::Categories => "/categories",
            Section::Questions => "/questions",
            Section::Countries => "/countries",
            Section::Emails => "/emails",
            Section::EmailTexts => "/email-texts",
            Section::Settings => "/edit",
        };
        format!("/admin/events/{slug}{page}")
    }
}
