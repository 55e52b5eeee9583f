//! The body of an HTML form, for the public pages and the back office
//! alike: URL-encoded, or `multipart/form-data` when it carries a file (the
//! quota import). Repeated keys are kept: a form sends one pair per ticked
//! box.

use std::convert::Infallible;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::domain::{FieldErrors, Language};
use crate::i18n::{self, Tr};
use crate::web::input::read_body;
use crate::web::{AppError, AppState};

pub struct Form {
    pairs: Vec<(String, String)>,
    /// The files of a multipart body, by input name, with their bytes;
    /// a file input left empty sends none.
    files: Vec<(String, Vec<u8>)>,
}

/// A page's form, read (within `http.max_body_bytes`) before its handler
/// runs, so that no connection is held while a slow phone sends it. A body
/// that does not read is the handler's to answer: as an error page in the
/// reader's language, not an extractor's bare error.
pub struct PageForm(pub Result<Form, AppError>);

impl FromRequest for PageForm {
    type Error = Infallible;
    type Future = LocalBoxFuture<'static, Result<PageForm, Infallible>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let body = web::Payload::from_request(&request, payload).into_inner();
        Box::pin(async move {
            let read = match (body, request.app_data::<web::Data<AppState>>()) {
                (Ok(body), Some(state)) => {
                    Form::read(&request, body, state.settings.http.max_body_bytes).await
                }
                (Err(error), _) => Err(AppError::unreadable("body", error)),
                (_, None) => Err(AppError::Internal(anyhow::anyhow!("no application state"))),
            };
            Ok(PageForm(read))
        })
    }
}

impl Form {
    /// Reads the body, refusing more than `limit` bytes with 413.
    pub async fn read(
        request: &HttpRequest,
        payload: web::Payload,
        limit: usize,
    ) -> Result<Form, AppError> {
        let body = read_body(payload, limit).await?;
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let mut files = Vec::new();
        let pairs = match multipart_boundary(content_type) {
            Some(boundary) => {
                let parts = multipart_parts(&body, boundary)?;
                files = parts
                    .iter()
                    .filter(|part| part.file && !part.bytes.is_empty())
                    .map(|part| (part.name.clone(), part.bytes.to_vec()))
                    .collect();
                as_fields(parts)
            }
            None => {
                let text = std::str::from_utf8(&body)
                    .map_err(|_| AppError::unreadable("body", "not UTF-8"))?;
                // A form body is encoded as a query string is.
                web::Query::<Vec<(String, String)>>::from_query(text)
                    .map_err(|error| AppError::unreadable("body", error))?
                    .into_inner()
            }
        };
        Ok(Form { pairs, files })
    }

    /// The bytes of the file sent with the input `name`, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find_map(|(key, bytes)| (key == name).then_some(bytes.as_slice()))
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find_map(|(key, value)| (key == name).then_some(value.as_str()))
    }

    /// The first value of `name` without surrounding blanks; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or_default()
    }

    /// Every value of `name`, in the order sent.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

fn multipart_boundary(content_type: &str) -> Option<&str> {
    let (mime, parameters) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
    })
}

fn malformed() -> AppError {
    AppError::unreadable("body", "not a well-formed multipart form")
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// One part of a multipart body: its name, whether it is a file (its
/// `Content-Disposition` has a `filename`), and its exact bytes.
struct Part<'a> {
    name: String,
    file: bool,
    bytes: &'a [u8],
}

/// The named parts of a multipart body (RFC 7578) as browsers send them.
fn multipart_parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, AppError> {
    let first = format!("--{boundary}");
    let between = format!("\r\n--{boundary}");
    let mut rest = body.strip_prefix(first.as_bytes()).ok_or_else(malformed)?;
    let mut parts = Vec::new();
    // After each delimiter: `--` closes the body, a line break opens a part.
    while !rest.starts_with(b"--") {
        let part = rest.strip_prefix(b"\r\n").ok_or_else(malformed)?;
        let end = position(part, between.as_bytes()).ok_or_else(malformed)?;
        rest = &part[end + between.len()..];
        let part = &part[..end];
        let headers_end = position(part, b"\r\n\r\n").ok_or_else(malformed)?;
        let headers = String::from_utf8_lossy(&part[..headers_end]);
        let (name, file) = headers
            .lines()
            .find_map(disposition)
            .ok_or_else(malformed)?;
        parts.push(Part {
            name,
            file,
            bytes: &part[headers_end + 4..],
        });
    }
    Ok(parts)
}

/// The parts of a multipart body as fields. A file's bytes are read as
/// UTF-8 with bad bytes replaced, so that a file saved in another encoding
/// is refused line by line, where the organiser can see what is wrong,
/// rather than as a whole.
fn as_fields(parts: Vec<Part<'_>>) -> Vec<(String, String)> {
    parts
        .into_iter()
        .map(|part| (part.name, String::from_utf8_lossy(part.bytes).into_owned()))
        .collect()
}

#[cfg(test)]
fn multipart_fields(body: &[u8], boundary: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(as_fields(multipart_parts(body, boundary)?))
}

/// The `name` of a `Content-Disposition: form-data; name="…"` header line,
/// and whether it carries a `filename` (a file input's part).
fn disposition(line: &str) -> Option<(String, bool)> {
    let (header, value) = line.split_once(':')?;
    if !header.trim().eq_ignore_ascii_case("content-disposition") {
        return None;
    }
    let parameters = || value.split(';').map(str::trim);
    let name = parameters()
        .find_map(|parameter| parameter.strip_prefix("name="))
        .map(|name| name.trim_matches('"').to_owned())?;
    let file = parameters().any(|parameter| parameter.starts_with("filename="));
    Some((name, file))
}

/// What is wrong with a submitted form, in the reader's words: each
/// field's problem, and those that belong to no field.
#[derive(Debug, Default)]
pub struct Problems {
    pub fields: Vec<(String, String)>,
    pub general: Vec<String>,
}

impl Problems {
    /// The problems a parser or a use case found, in `language`, by field name.
    pub fn of(language: Language, errors: &FieldErrors) -> Problems {
        Problems {
            fields: errors
                .iter()
                .map(|(field, error)| (field.to_owned(), i18n::field_message(language, error)))
                .collect(),
            general: Vec::new(),
        }
    }

    /// The fields' problems in the order of the form's inputs; fields it
    /// does not name come last.
    pub fn in_order(mut self, inputs: &[&str]) -> Problems {
        self.fields.sort_by_key(|(field, _)| {
            inputs
                .iter()
                .position(|input| input == field)
                .unwrap_or(inputs.len())
        });
        self
    }

    pub fn single(field: &str, message: String) -> Problems {
        Problems {
            fields: vec![(field.to_owned(), message)],
            general: Vec::new(),
        }
    }

    pub fn general(message: String) -> Problems {
        Problems {
            fields: Vec::new(),
            general: vec![message],
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn count(&self) -> usize {
        self.fields.len() + self.general.len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// Every problem's words: the fields' first.
    pub fn messages(&self) -> Vec<&str> {
        self.fields
            .iter()
            .map(|(_, message)| message.as_str())
            .chain(self.general.iter().map(String::as_str))
            .collect()
    }

    pub fn into_messages(self) -> Vec<String> {
        self.fields
            .into_iter()
            .map(|(_, message)| message)
            .chain(self.general)
            .collect()
    }

    /// The heading of the error summary: "There are 2 problems…".
    pub fn title(&self, tr: &Tr) -> String {
        tr.t1("form-errors-title", "count", self.count())
    }
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;
    use crate::web::organiser_input::ListQuery;
    use crate::web::query::query_string;

    const BODY: &str = "--XyZ\r\n\
        Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\
        abc\r\n\
        --XyZ\r\n\
        Content-Disposition: form-data; name=\"file\"; filename=\"quotas.csv\"\r\n\
        Content-Type: text/csv\r\n\r\n\
        country,capacity\r\nSN,3\r\n\r\n\
        --XyZ\r\n\
        Content-Disposition: form-data; name=\"lines\"\r\n\r\n\
        \r\n\
        --XyZ--\r\n";

    #[test]
    fn multipart_parts_keep_their_names_and_exact_contents() {
        let boundary = multipart_boundary("multipart/form-data; boundary=\"XyZ\"").unwrap();
        let fields = multipart_fields(BODY.as_bytes(), boundary).unwrap();
        let expected = [
            ("csrf_token", "abc"),
            ("file", "country,capacity\r\nSN,3\r\n"),
            ("lines", ""),
        ];
        assert_eq!(fields.len(), expected.len());
        for ((name, value), (want_name, want_value)) in fields.iter().zip(expected) {
            assert_eq!((name.as_str(), value.as_str()), (want_name, want_value));
        }
    }

    #[test]
    fn a_file_part_is_told_from_a_field_and_keeps_its_exact_bytes() {
        let mut body = b"--B\r\nContent-Disposition: form-data; name=\"answers.letter\"; filename=\"l.pdf\"\r\n\r\n".to_vec();
        body.extend_from_slice(b"%PDF-\xFF\x00\r\n");
        body.extend_from_slice(
            b"\r\n--B\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\nx\r\n--B--\r\n",
        );
        let parts = multipart_parts(&body, "B").unwrap();
        let seen: Vec<(&str, bool, &[u8])> = parts
            .iter()
            .map(|part| (part.name.as_str(), part.file, part.bytes))
            .collect();
        assert_eq!(
            seen,
            [
                ("answers.letter", true, &b"%PDF-\xFF\x00\r\n"[..]),
                ("filename", false, &b"x"[..]),
            ]
        );
    }

    #[test]
    fn only_multipart_bodies_have_a_boundary_and_broken_ones_are_refused() {
        assert_eq!(
            multipart_boundary("application/x-www-form-urlencoded"),
            None
        );
        assert_eq!(multipart_boundary("multipart/form-data"), None);
        assert!(multipart_fields(b"--XyZ\r\nno end", "XyZ").is_err());
        assert!(multipart_fields(b"garbage", "XyZ").is_err());
        let invalid_utf8 =
            b"--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nC\xF4te\r\n--B--";
        let fields = multipart_fields(invalid_utf8, "B").unwrap();
        assert_eq!(fields[0].1, "C\u{FFFD}te");
    }

    /// Pieces of multipart bodies, so that random bodies reach every branch.
    fn multipart_piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"--B".to_vec()),
            Just(b"--".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r\n\r\n".to_vec()),
            Just(b"Content-Disposition: form-data; name=\"file\"".to_vec()),
            Just(b"content-disposition:name=".to_vec()),
            vec(any::<u8>(), 0..12),
        ]
    }

    proptest! {
        #[test]
        fn any_content_type_and_body_is_read_or_refused(
            content_type in any::<String>(),
            boundary in any::<String>(),
            body in vec(any::<u8>(), 0..600),
        ) {
            let _ = multipart_boundary(&content_type);
            let _ = multipart_fields(&body, &boundary);
        }

        #[test]
        fn bodies_made_of_multipart_pieces_are_read_or_refused(
            pieces in vec(multipart_piece(), 0..24)
        ) {
            if let Ok(fields) = multipart_fields(&pieces.concat(), "B") {
                prop_assert!(fields.len() <= pieces.len());
            }
        }

        #[test]
        fn multipart_parts_read_back_as_sent(
            boundary in "[A-Za-z0-9'()+_,./:=?-]{1,70}",
            parts in vec(("[a-z_]{1,12}", vec(any::<u8>(), 0..200)), 0..5),
        ) {
            let delimiter = format!("\r\n--{boundary}");
            for (_, value) in &parts {
                // A part's content never holds the delimiter: browsers
                // choose a boundary that is not in the file.
                prop_assume!(!value.windows(delimiter.len()).any(|w| w == delimiter.as_bytes()));
            }
            let mut body = Vec::new();
            for (name, value) in &parts {
                body.extend_from_slice(format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ).as_bytes());
                body.extend_from_slice(value);
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
            prop_assert_eq!(multipart_boundary(&content_type), Some(boundary.as_str()));
            let fields = multipart_fields(&body, &boundary).expect("well-formed");
            let sent: Vec<(String, String)> = parts
                .iter()
                .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
                .collect();
            prop_assert_eq!(fields, sent);
        }

        #[test]
        fn list_links_keep_every_filter_exactly(
            pairs in vec(("[a-z_]{1,8}", any::<String>()), 0..6)
        ) {
            let borrowed: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let read = web::Query::<Vec<(String, String)>>::from_query(&query_string(&borrowed))
                .expect("a query string we wrote")
                .into_inner();
            let kept: Vec<(String, String)> =
                pairs.into_iter().filter(|(_, value)| !value.is_empty()).collect();
            prop_assert_eq!(read, kept);
        }

        #[test]
        fn a_list_link_reads_back_as_its_filters(
            q in any::<String>(),
            status in any::<String>(),
            country in any::<String>(),
            session in any::<String>(),
            sort in "-?[a-z]{0,12}",
            page in 1..i64::MAX,
        ) {
            let page_text = page.to_string();
            let link = query_string(&[
                ("q", &q),
                ("status", &status),
                ("country", &country),
                ("session", &session),
                ("sort", &sort),
                ("page", &page_text),
            ]);
            let read = web::Query::<ListQuery>::from_query(&link)
                .expect("a link we wrote")
                .into_inner();
            let kept = |value: &String| (!value.is_empty()).then(|| value.clone());
            prop_assert_eq!(read.q, kept(&q));
            prop_assert_eq!(read.status, kept(&status));
            prop_assert_eq!(read.country, kept(&country));
            prop_assert_eq!(read.session, kept(&session));
            prop_assert_eq!(read.sort, kept(&sort));
            prop_assert_eq!(read.page, Some(page));
        }
    }
}
