//! How the domain's closed sets of words are stored: as their text, read
//! back exactly. The CHECK constraints of `migrations/` hold the same lists.

use std::io::Write;

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::{
    EmailKind, EventRole, FileKind, QuestionStage, QuestionType, RegistrationStatus, SeatStatus,
    SessionKind, Verification, Vocabulary,
};

macro_rules! stored_as_text {
    ($($word:ty),+ $(,)?) => {$(
        impl ToSql<Text, Pg> for $word {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $word {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let text = std::str::from_utf8(value.as_bytes())?;
                <$word as Vocabulary>::from_stored(text).ok_or_else(|| {
                    format!("unknown {} `{text}` in the database", stringify!($word)).into()
                })
            }
        }
    )+};
}

stored_as_text!(
    RegistrationStatus,
    SeatStatus,
    SessionKind,
    EmailKind,
    QuestionType,
    QuestionStage,
    FileKind,
    EventRole,
    Verification
);
