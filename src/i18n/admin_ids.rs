//! Every message id of `locales/*/admin.ftl` (the back office); the tests
//! hold each language to exactly this list, like `MESSAGE_IDS`.

pub const ADMIN_MESSAGE_IDS: &[&str] = &[];
