//! Cross-site request forgery protection by double submit: a random token
//! lives in a `SameSite=Strict` cookie and in a hidden field of every form,
//! and a POST is accepted only when both arrive and match. Another site can
//! make a browser send the cookie (less so with `SameSite`), but cannot read
//! it to copy it into the form. Stateless, so any number of processes can
//! serve the pages (DESIGN.md, invariant 6).

use crate::domain::secret;
use actix_web::cookie::{Cookie, SameSite};

pub const COOKIE: &str = "csrf";

/// The cookie's name: under HTTPS with the `__Host-` prefix, which the
/// browser keeps only when set `Secure`, for `/` and for this very host, so
/// that a neighbouring subdomain cannot plant a token of its choosing.
pub fn cookie_name(https: bool) -> &'static str {
    if https { "__Host-csrf" } else { COOKIE }
}
pub const FIELD: &str = "csrf_token";

/// 256 bits, written as 64 hex digits.
const TOKEN_BYTES: usize = 32;

/// The token a form carries, and whether the browser still has to be given
/// its cookie.
pub struct CsrfToken {
    value: String,
    issued: bool,
}

impl CsrfToken {
    /// The browser's token when it holds a well-formed one, else a new one.
    pub fn for_cookie(cookie: Option<&str>) -> CsrfToken {
        match cookie.filter(|value| is_well_formed(value)) {
            Some(value) => CsrfToken {
                value: value.to_owned(),
                issued: false,
            },
            None => CsrfToken {
                value: secret::random_token(TOKEN_BYTES),
                issued: true,
            },
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cookie to set, only when the token is new. A session cookie: a
    /// form left open over days still works while the browser runs, and
    /// the page re-shown after a refusal carries a fresh token anyway.
    pub fn cookie(&self, secure: bool) -> Option<Cookie<'static>> {
        self.issued.then(|| {
            Cookie::build(cookie_name(secure), self.value.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure)
                .finish()
        })
    }
}

/// Whether a form's token matches the browser's cookie. Both must be
/// present: an empty cookie and an empty field are not a match.
pub fn verify(cookie: Option<&str>, field: Option<&str>) -> bool {
    match (cookie, field) {
        (Some(cookie), Some(field)) if is_well_formed(cookie) => {
            secret::constant_time_eq(cookie.as_bytes(), field.as_bytes())
        }
        _ => false,
    }
}

fn is_well_formed(token: &str) -> bool {
    token.len() == 2 * TOKEN_BYTES && token.bytes().all(|byte| byte.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_malformed_cookie_gets_a_new_token_and_its_cookie() {
        for cookie in [None, Some(""), Some("short"), Some(&"z".repeat(64)[..])] {
            let token = CsrfToken::for_cookie(cookie);
            assert!(is_well_formed(token.value()), "{cookie:?}");
            let set = token.cookie(true).expect("a new token is sent as a cookie");
            assert_eq!(set.value(), token.value());
            assert_eq!(set.http_only(), Some(true));
            assert_eq!(set.same_site(), Some(SameSite::Strict));
            assert_eq!(set.secure(), Some(true));
            assert_eq!(set.path(), Some("/"));
            assert_eq!(set.name(), "__Host-csrf");
            assert_eq!(set.domain(), None);
        }
        assert_ne!(
            CsrfToken::for_cookie(None).value(),
            CsrfToken::for_cookie(None).value()
        );
    }

    #[test]
    fn a_well_formed_cookie_is_kept() {
        let existing = "ab".repeat(32);
        let token = CsrfToken::for_cookie(Some(&existing));
        assert_eq!(token.value(), existing);
        assert!(token.cookie(false).is_none());
    }

    #[test]
    fn only_a_matching_pair_verifies() {
        let token = "0f".repeat(32);
        assert!(verify(Some(&token), Some(&token)));
        assert!(!verify(Some(&token), Some(&"0e".repeat(32))));
        assert!(!verify(Some(&token), Some("")));
        assert!(!verify(Some(&token), None));
        assert!(!verify(None, Some(&token)));
        assert!(!verify(Some(""), Some("")), "empty is not a token");
        assert!(!verify(Some("abc"), Some("abc")), "too short to be ours");
    }
}
