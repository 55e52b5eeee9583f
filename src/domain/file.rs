//! Files delegates send as answers (nomination letters, photos): what kind
//! a file is, read from its first bytes — the name and the content type a
//! client declares are not believed — and whether it may be kept.

use uuid::Uuid;

use super::field_errors::FieldError;
use super::vocabulary::vocabulary;

vocabulary! {
    /// The kinds of file a file question takes, by their media type.
    pub enum FileKind {
        Pdf = "application/pdf",
        Jpeg = "image/jpeg",
        Png = "image/png",
    }
}

impl FileKind {
    /// The kind whose signature `bytes` start with: `%PDF-`, the PNG
    /// signature, or a JPEG start-of-image marker followed by a segment.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(PNG) {
            Some(FileKind::Png)
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }

    /// The name's ending a download is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }
}

/// A file sent for a question, checked and not yet stored: its id is the
/// answer's value once it is.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: Uuid,
    /// The code of the question it answers.
    pub question: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// Reads `bytes` sent for `question`: refused when empty, larger than
    /// `max_bytes`, or neither a PDF, a JPEG nor a PNG by its bytes.
    pub fn new(question: &str, bytes: Vec<u8>, max_bytes: usize) -> Result<Upload, FieldError> {
        if bytes.is_empty() {
            return Err(FieldError::new("error-file-empty"));
        }
        if bytes.len() > max_bytes {
            return Err(
                FieldError::new("error-file-too-big").with_arg("max", size_words(max_bytes))
            );
        }
        let kind = FileKind::sniff(&bytes).ok_or_else(|| FieldError::new("error-file-type"))?;
        Ok(Upload {
            id: Uuid::new_v4(),
            question: question.to_owned(),
            kind,
            bytes,
        })
    }
}

/// Without the bytes: a file has no place in a log line.
impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("id", &self.id)
            .field("question", &self.question)
            .field("kind", &self.kind)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// A size as people read it: `5 MiB`, `300 KiB`, `12 bytes`.
pub fn size_words(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const SIGNATURES: [(&[u8], FileKind); 3] = [
        (b"%PDF-", FileKind::Pdf),
        (b"\x89PNG\r\n\x1a\n", FileKind::Png),
        (b"\xFF\xD8\xFF", FileKind::Jpeg),
    ];

    proptest! {
        #[test]
        fn a_file_is_of_a_kind_exactly_when_it_starts_with_its_signature(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            signed in proptest::option::of(0usize..3),
        ) {
            let mut file = Vec::new();
            if let Some(index) = signed {
                file.extend_from_slice(SIGNATURES[index].0);
            }
            file.extend_from_slice(&bytes);
            let model = SIGNATURES
                .iter()
                .find(|(signature, _)| file.starts_with(signature))
                .map(|(_, kind)| *kind);
            prop_assert_eq!(FileKind::sniff(&file), model);
            if let Some(index) = signed {
                prop_assert_eq!(model, Some(SIGNATURES[index].1));
            }
        }
    }

    #[test]
    fn a_text_named_pdf_an_empty_file_and_a_big_one_are_refused() {
        let refused =
            |bytes: &[u8], max| Upload::new("letter", bytes.to_vec(), max).map(|u| u.kind);
        assert_eq!(refused(b"%PDF-1.7\n", 100), Ok(FileKind::Pdf));
        assert_eq!(
            refused(b"Dear organisers,", 100),
            Err(FieldError::new("error-file-type"))
        );
        assert_eq!(refused(b"", 100), Err(FieldError::new("error-file-empty")));
        assert_eq!(
            refused(b"%PDF-1.7 and more", 10),
            Err(FieldError::new("error-file-too-big").with_arg("max", "10 bytes"))
        );
        assert_eq!(size_words(5 * 1024 * 1024), "5 MiB");
        assert_eq!(size_words(2048), "2 KiB");
    }
}
