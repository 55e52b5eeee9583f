//! A file a delegate sent, answered for download: always as an attachment
//! with the kind read from its bytes when it was stored, never sniffed nor
//! shown inside the site, and never cached.

use actix_web::HttpResponse;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};

use crate::db::files::StoredFile;

pub fn attachment(file: StoredFile) -> HttpResponse {
    let name = format!(
        "{}-{}.{}",
        file.question,
        file.id,
        file.content_type.extension()
    );
    HttpResponse::Ok()
        .content_type(file.content_type.as_str())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(file.bytes)
}
