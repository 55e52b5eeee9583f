//! Email: the outbox worker, its transports, and the rendering of each kind
//! of message (done when the outbox row is written, so what organisers see
//! in the outbox is exactly what is sent).

mod compose;
pub mod custom_text;
pub mod render;
mod transport;
mod worker;

pub use crate::domain::EmailKind;
pub use compose::{compose, message_id};
pub use render::{
    Delegate, Letter, Meeting, RenderError, RenderedEmail, Seat, Verify, Wording, render,
};
pub use transport::{SendFailure, Transport, remove_saved_emails};
pub use worker::{Worker, WorkerError};
