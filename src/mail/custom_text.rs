//! Organisers' own wording for an email kind: plain text with named
//! placeholders such as `{given_name}` — substituted here, never a second
//! template engine, never code. Unknown placeholders are refused when saved.

use std::collections::BTreeMap;

pub const PLACEHOLDERS: &[&str] = &[
    "given_name",
    "family_name",
    "event",
    "reference",
    "status",
    "waitlist_position",
    "sessions",
    "manage_url",
    "verify",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    #[error("unknown placeholder {{{0}}}; known: {known}", known = PLACEHOLDERS.join(", "))]
    Unknown(String),
    #[error("a `{{` is not closed by `}}`")]
    Unclosed,
}

/// The pieces of `text`: literal text and placeholder names, in order.
fn pieces(text: &str) -> Result<Vec<(bool, &str)>, PlaceholderError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        pieces.push((false, &rest[..open]));
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(PlaceholderError::Unclosed)?;
        let name = after[..close].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(PlaceholderError::Unknown(name.to_owned()));
        }
        pieces.push((true, name));
        rest = &after[close + 1..];
    }
    pieces.push((false, rest));
    Ok(pieces)
}

pub fn check(text: &str) -> Result<(), PlaceholderError> {
    pieces(text).map(drop)
}

/// Fills the placeholders; a text that no longer checks (it was saved
/// before a placeholder was retired) is sent as written.
pub fn substitute(text: &str, values: &BTreeMap<&str, String>) -> String {
    match pieces(text) {
        Ok(pieces) => pieces
            .into_iter()
            .map(|(placeholder, piece)| {
                if placeholder {
                    values.get(piece).map_or("", String::as_str)
                } else {
                    piece
                }
            })
            .collect(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_refused() {
        let values = BTreeMap::from([
            ("given_name", "Aminata".to_owned()),
            ("reference", "DKR-7K3QX".to_owned()),
        ]);
        assert_eq!(
            substitute("Bonjour {given_name}, réf. { reference }.", &values),
            "Bonjour Aminata, réf. DKR-7K3QX."
        );
        assert_eq!(check("Hello {given_name}"), Ok(()));
        assert_eq!(
            check("Hello {nom}"),
            Err(PlaceholderError::Unknown("nom".into()))
        );
        assert_eq!(check("Hello {given_name"), Err(PlaceholderError::Unclosed));
        assert_eq!(substitute("no placeholders", &values), "no placeholders");
    }
}
