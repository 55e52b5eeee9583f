//! Pure types and rules: parsing what delegates and organisers type, and
//! deciding places. No I/O here, so everything is testable in isolation.

mod batch;
mod category;
mod countries;
mod country;
mod email;
mod field_errors;
mod file;
mod language;
mod name;
mod preset;
mod question;
mod quota;
mod registration;
mod role;
pub mod secret;
mod session;
#[cfg(test)]
mod testing;
pub mod text;
mod vocabulary;

pub use batch::{
    Arrival, CategoryTally, Counters, CountryTally, Decision, MissingCounter, Placement, Takes,
    Tally, Verdict,
};
pub use category::{CategoryCode, CategoryCodeError};
pub use country::{CountryCode, CountryError};
pub use email::{EmailAddress, EmailError};
pub use field_errors::{FieldError, FieldErrors};
pub use file::{FileKind, Upload, size_words};
pub use language::{Language, LanguageError};
pub use name::{NameError, Organisation, PersonName};
pub use preset::Preset;
pub use question::{
    Answers, Asking, Condition, LONG_TEXT_MAX, Limits, QuestionCode, QuestionCodeError,
    QuestionRule, QuestionStage, QuestionType, Range, SHORT_TEXT_MAX, answer_field, answer_filter,
    chosen_codes, condition_met, parse_answers,
};
pub use quota::{Admission, Blocker, CategoryQuota, Quota, SeatStatus, admit, admit_in, seat};
pub use registration::{
    Admitted, BUILT_IN_REJECTION_REASONS, Reference, ReferenceError, ReferencePrefix,
    ReferencePrefixError, RegistrationMove, RegistrationStatus, StatusError, TransitionError,
    Verification,
};
pub use role::{Action, EventRole, Role};
pub use session::{EventSlug, SessionCode, SessionCodeError, SlugError, first_overlap};
pub use vocabulary::{EmailKind, SessionKind, Vocabulary};
