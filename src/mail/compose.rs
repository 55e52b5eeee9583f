//! From a stored outbox row to a MIME message: text and HTML alternatives,
//! the calendar attachment, and a Message-ID derived from the row id so a
//! message sent twice after a crash is recognisable as the same one.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use crate::db::outbox::OutboxEmail;

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the sender address `{0}` is invalid")]
    Sender(String),
    #[error("the recipient address `{0}` is invalid")]
    Recipient(String),
    #[error("the message was never rendered")]
    NotRendered,
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

pub fn message_id(row_id: uuid::Uuid, from: &Mailbox) -> String {
    format!("<{row_id}@{}>", from.email.domain())
}

pub fn compose(row: &OutboxEmail, from: &str) -> Result<Message, ComposeError> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| ComposeError::Sender(from.to_owned()))?;
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|_| ComposeError::Recipient(row.recipient.clone()))?;
    let (Some(subject), Some(text), Some(html)) = (&row.subject, &row.body_text, &row.body_html)
    else {
        return Err(ComposeError::NotRendered);
    };
    let alternatives = MultiPart::alternative()
        .singlepart(SinglePart::plain(text.clone()))
        .singlepart(SinglePart::html(html.clone()));
    let body = match &row.attachment_ics {
        Some(ics) => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                .map_err(|_| ComposeError::NotRendered)?;
            MultiPart::mixed()
                .multipart(alternatives)
                .singlepart(Attachment::new("rencontre.ics".to_owned()).body(ics.clone(), calendar))
        }
        None => alternatives,
    };
    Ok(Message::builder()
        .message_id(Some(message_id(row.id, &from)))
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(body)?)
}
