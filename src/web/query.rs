//! The query strings of the links our pages write: a list's page links and
//! exports keep its filters, and so does the language switcher.

/// `a=1&b=x%20y` from the pairs whose value is not empty.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Everything but the unreserved characters of RFC 3986, byte by byte.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_names_and_values_and_leave_out_empty_ones() {
        assert_eq!(
            query_string(&[("q", "Nguyễn & co"), ("status", ""), ("page", "2")]),
            "q=Nguy%E1%BB%85n%20%26%20co&page=2"
        );
        assert_eq!(query_string(&[("a&b", "=")]), "a%26b=%3D");
    }
}
