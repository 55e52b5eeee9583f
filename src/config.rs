//! Typed settings: `config/default.toml` < `config/$RENCONTRE_ENV.toml` <
//! `RENCONTRE__SECTION__KEY` environment variables < `DATABASE_URL`.
//!
//! Unknown keys are refused rather than ignored, so a typo stops start-up
//! with a message that names the key instead of silently using a default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::web::client::TrustedProxies;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub questions: QuestionSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSettings {
    /// The largest file a delegate may send as an answer, in bytes.
    pub file_max_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    pub bind: String,
    pub public_url: String,
    pub workers: usize,
    pub max_body_bytes: usize,
    /// Registrations a minute from one client address (0 = no limit).
    pub registrations_per_minute: u32,
    /// How old the places left on the public event page and API may be
    /// (0 = read on every request).
    #[serde(default = "default_event_cache_ms")]
    pub event_cache_ms: u64,
    /// Peers (addresses or networks) whose `X-Forwarded-For`, `Forwarded`
    /// and `X-Forwarded-Proto` are believed: the reverse proxies in front.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Password checks (argon2, 19 MiB each) running at once; further
    /// logins wait briefly, then are answered 503.
    #[serde(default = "default_password_checks_at_once")]
    pub password_checks_at_once: usize,
    /// How long a login waits for a password check slot before its 503.
    #[serde(default = "default_password_check_wait_ms")]
    pub password_check_wait_ms: u64,
    /// A back-office session unused this long ends (each use restarts it).
    #[serde(default = "default_session_idle_minutes")]
    pub session_idle_minutes: u32,
    /// On SIGTERM, in-flight requests get this long to finish.
    #[serde(default = "default_shutdown_timeout_secs")]
    pub shutdown_timeout_secs: u64,
    /// Where a second listener answers `GET /metrics` (Prometheus text);
    /// unset or empty: no metrics at all. Never the public `bind`.
    #[serde(default)]
    pub metrics_bind: Option<String>,
}

fn default_password_check_wait_ms() -> u64 {
    5000
}

fn default_password_checks_at_once() -> usize {
    2
}

fn default_shutdown_timeout_secs() -> u64 {
    30
}

fn default_event_cache_ms() -> u64 {
    1000
}

fn default_session_idle_minutes() -> u32 {
    120
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: usize,
    pub acquire_timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    Smtp,
    File,
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    pub from: String,
    pub file_dir: PathBuf,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_tls: SmtpTls,
    #[serde(default)]
    pub smtp_username: Option<String>,
    #[serde(default)]
    pub smtp_password: Option<String>,
    pub smtp_timeout_secs: u64,
    /// SMTP connections the worker keeps open and sends over side by side.
    #[serde(default = "default_smtp_connections")]
    pub smtp_connections: usize,
    pub max_attempts: u32,
    /// The worker looks for due rows this often even without a notification.
    pub poll_interval_ms: u64,
    /// The first retry waits about this long; each further one twice as long.
    pub retry_base_ms: u64,
    /// How long a claimed row stays the claiming worker's. Longer than any
    /// batch can take to send (a lease that ends mid-send lets a second
    /// worker send the row too); a crashed worker's rows wait this long.
    #[serde(default = "default_claim_lease_secs")]
    pub claim_lease_secs: u64,
}

fn default_claim_lease_secs() -> u64 {
    300
}

fn default_smtp_connections() -> usize {
    32
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration key `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Settings {
    /// Reads the settings the way every command does: files under
    /// `config_dir`, then the process environment.
    pub fn load(config_dir: &Path) -> Result<Settings, SettingsError> {
        Self::load_from(config_dir, std::env::vars())
    }

    /// Same as [`Settings::load`] with an explicit environment, so tests
    /// need not mutate the process environment.
    pub fn load_from(
        config_dir: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let env: Vec<(String, String)> = env.into_iter().collect();
        let lookup = |name: &str| {
            env.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        let mut builder = config::Config::builder()
            .add_source(config::File::from(config_dir.join("default.toml")).required(true));
        if let Some(environment) = lookup("RENCONTRE_ENV").filter(|name| !name.is_empty()) {
            builder = builder.add_source(
                config::File::from(config_dir.join(format!("{environment}.toml"))).required(true),
            );
        }
        let overrides: config::Map<String, String> = env
            .iter()
            .filter(|(key, _)| key.starts_with("RENCONTRE__"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("RENCONTRE")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("http.trusted_proxies")
                .source(Some(overrides)),
        );
        if let Some(url) = lookup("DATABASE_URL").filter(|url| !url.is_empty()) {
            builder = builder.set_override("database.url", url)?;
        }
        let settings: Settings = builder.build()?.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |key, message: String| Err(SettingsError::Invalid { key, message });
        if let Err(error) = self.http.bind.parse::<SocketAddr>() {
            return invalid(
                "http.bind",
                format!("`{}` is not an address:port ({error})", self.http.bind),
            );
        }
        if !(self.http.public_url.starts_with("http://")
            || self.http.public_url.starts_with("https://"))
        {
            return invalid(
                "http.public_url",
                format!(
                    "`{}` must start with http:// or https://",
                    self.http.public_url
                ),
            );
        }
        if let Err(message) = TrustedProxies::parse(&self.http.trusted_proxies) {
            return invalid("http.trusted_proxies", message);
        }
        if let Some(metrics) = self
            .http
            .metrics_bind
            .as_deref()
            .filter(|bind| !bind.is_empty())
        {
            match metrics.parse::<SocketAddr>() {
                Err(error) => {
                    return invalid(
                        "http.metrics_bind",
                        format!("`{metrics}` is not an address:port ({error})"),
                    );
                }
                // The public port must never answer /metrics.
                Ok(address) if address.port() != 0 && address == self.bind_address() => {
                    return invalid(
                        "http.metrics_bind",
                        format!("`{metrics}` is http.bind: metrics need a listener of their own"),
                    );
                }
                Ok(_) => {}
            }
        }
        if self.http.password_checks_at_once == 0 {
            return invalid("http.password_checks_at_once", "must be at least 1".into());
        }
        if self.http.session_idle_minutes == 0 {
            return invalid("http.session_idle_minutes", "must be at least 1".into());
        }
        if self.http.max_body_bytes < 1024 {
            return invalid("http.max_body_bytes", "must be at least 1024".into());
        }
        // A file is kept in one `bytea` row and counted in an `integer`.
        if !(1024..=(256 << 20)).contains(&self.questions.file_max_bytes) {
            return invalid(
                "questions.file_max_bytes",
                "must be between 1024 and 268435456 (256 MiB)".into(),
            );
        }
        if !self.database.url.starts_with("postgres://")
            && !self.database.url.starts_with("postgresql://")
        {
            return invalid("database.url", "must be a postgres:// URL".into());
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1".into());
        }
        if !self.mail.from.contains('@') {
            return invalid(
                "mail.from",
                format!("`{}` is not an email address", self.mail.from),
            );
        }
        if self.mail.claim_lease_secs == 0 {
            return invalid("mail.claim_lease_secs", "must be at least 1".into());
        }
        if self.mail.max_attempts == 0 {
            return invalid("mail.max_attempts", "must be at least 1".into());
        }
        if let Err(error) = tracing_subscriber::EnvFilter::try_new(&self.log.filter) {
            return invalid("log.filter", error.to_string());
        }
        Ok(())
    }

    /// The largest body a form asking `questions` may send: the usual
    /// limit, and room for one file per file question.
    pub fn form_body_limit(&self, questions: &[crate::db::questions::AskedQuestion]) -> usize {
        let files = questions
            .iter()
            .filter(|asked| asked.question.kind == crate::domain::QuestionType::File)
            .count();
        self.http.max_body_bytes + files * self.questions.file_max_bytes
    }

    pub fn bind_address(&self) -> SocketAddr {
        // Checked by `validate`, which every constructor runs.
        self.http
            .bind
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// `http.metrics_bind`, when metrics are on.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        // Checked by `validate`, like `bind_address`.
        self.http
            .metrics_bind
            .as_deref()
            .and_then(|bind| bind.parse().ok())
    }

    /// The public base URL without a trailing slash, for links in emails.
    pub fn public_url(&self) -> &str {
        self.http.public_url.trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
    }

    fn load(env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        Settings::load_from(
            &config_dir(),
            env.iter()
                .map(|(key, value)| (key.to_string(), value.to_string())),
        )
    }

    #[test]
    fn defaults_load() {
        let settings = load(&[]).expect("defaults are valid");
        assert_eq!(settings.http.bind, "127.0.0.1:8080");
        assert_eq!(settings.mail.transport, MailTransportKind::File);
    }

    #[test]
    fn environment_overrides_files_and_database_url_wins() {
        let settings = load(&[
            ("RENCONTRE_ENV", "test"),
            (
                "RENCONTRE__HTTP__PUBLIC_URL",
                "https://inscription.example.org/",
            ),
            ("RENCONTRE__MAIL__SMTP_PORT", "2626"),
            ("RENCONTRE__DATABASE__URL", "postgres://ignored/db"),
            ("DATABASE_URL", "postgres://u@h:1/other"),
        ])
        .expect("valid");
        assert_eq!(settings.http.bind, "127.0.0.1:0", "test.toml applies");
        assert_eq!(settings.public_url(), "https://inscription.example.org");
        assert_eq!(settings.mail.smtp_port, 2626);
        assert_eq!(settings.database.url, "postgres://u@h:1/other");
    }

    fn error_text(env: &[(&str, &str)]) -> String {
        load(env).expect_err("must be refused").to_string()
    }

    #[test]
    fn a_typo_in_a_key_names_the_key() {
        let message = error_text(&[("RENCONTRE__HTTP__BIDN", "127.0.0.1:1")]);
        assert!(message.contains("bidn"), "{message}");
    }

    #[test]
    fn invalid_values_name_their_key() {
        // Each variable, its bad value, and what the message must name.
        let cases: [(&str, &str, &[&str]); 5] = [
            ("RENCONTRE__HTTP__BIND", "nowhere", &["http.bind"]),
            (
                "RENCONTRE__MAIL__TRANSPORT",
                "pigeon",
                &["transport", "pigeon"],
            ),
            ("RENCONTRE__MAIL__SMTP_PORT", "seventy", &["smtp_port"]),
            (
                "RENCONTRE__HTTP__PUBLIC_URL",
                "example.org",
                &["http.public_url"],
            ),
            (
                "RENCONTRE__HTTP__TRUSTED_PROXIES",
                "10.0.0.1,proxy",
                &["http.trusted_proxies", "proxy"],
            ),
        ];
        for (variable, value, named) in cases {
            let message = error_text(&[(variable, value)]);
            for word in named {
                assert!(message.contains(word), "{word}: {message}");
            }
        }
    }

    #[test]
    fn metrics_are_off_by_default_and_never_on_the_public_listener() {
        assert_eq!(load(&[]).expect("valid").metrics_address(), None);
        let off = load(&[("RENCONTRE__HTTP__METRICS_BIND", "")]).expect("valid");
        assert_eq!(off.metrics_address(), None);
        let on = load(&[("RENCONTRE__HTTP__METRICS_BIND", "127.0.0.1:9187")]).expect("valid");
        assert_eq!(on.metrics_address(), Some(([127, 0, 0, 1], 9187).into()));
        let message = error_text(&[("RENCONTRE__HTTP__METRICS_BIND", "127.0.0.1:8080")]);
        assert!(message.contains("http.metrics_bind"), "{message}");
        let message = error_text(&[("RENCONTRE__HTTP__METRICS_BIND", "metrics")]);
        assert!(message.contains("http.metrics_bind"), "{message}");
    }

    #[test]
    fn trusted_proxies_come_from_a_comma_separated_variable() {
        let settings = load(&[(
            "RENCONTRE__HTTP__TRUSTED_PROXIES",
            "127.0.0.1,10.0.0.0/8, fd00::/8",
        )])
        .expect("valid");
        assert_eq!(
            settings.http.trusted_proxies,
            ["127.0.0.1", "10.0.0.0/8", " fd00::/8"]
        );
        let one = load(&[("RENCONTRE__HTTP__TRUSTED_PROXIES", "::1")]).expect("valid");
        assert_eq!(one.http.trusted_proxies, ["::1"]);
        assert!(load(&[]).expect("valid").http.trusted_proxies.is_empty());
    }
}
