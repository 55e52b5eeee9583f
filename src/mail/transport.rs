//! Where messages go: SMTP in production, `.eml` files for `make run`, the
//! log for quick trials.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::{self, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, MailTransportKind, SmtpTls};

pub enum Transport {
    /// With a bound on one whole SMTP exchange: lettre's own timeout covers
    /// connecting, not a server that greets and then never answers.
    Smtp(AsyncSmtpTransport<Tokio1Executor>, Duration),
    File(PathBuf),
    Log,
}

/// Why a message was not delivered, and whether trying again can help.
/// Shown (`Display`) as its `summary`, the part that may be logged.
#[derive(Debug, thiserror::Error)]
#[error("{summary}")]
pub struct SendFailure {
    pub permanent: bool,
    pub reason: FailureReason,
    /// The whole story, kept with the email for organisers: a server's
    /// refusal often quotes the recipient's address.
    pub message: String,
    /// What the logs get: no address, no name.
    pub summary: String,
}

/// What kind of failure it was, in the words of the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    /// The SMTP server answered 5xx: never.
    Refused,
    /// The SMTP server answered 4xx: not now.
    Deferred,
    /// No answer within `mail.smtp_timeout_secs`.
    Timeout,
    Tls,
    /// The exchange broke before an answer (connection refused or reset).
    Connection,
    /// The message could not be built from its row.
    Unbuildable,
    /// The file transport could not write it.
    File,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::Refused => "refused",
            FailureReason::Deferred => "deferred",
            FailureReason::Timeout => "timeout",
            FailureReason::Tls => "tls",
            FailureReason::Connection => "connection",
            FailureReason::Unbuildable => "unbuildable",
            FailureReason::File => "file",
        }
    }
}

impl Transport {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Transport> {
        Ok(match settings.transport {
            MailTransportKind::Log => Transport::Log,
            MailTransportKind::File => Transport::File(settings.file_dir.clone()),
            MailTransportKind::Smtp => {
                let host = settings.smtp_host.as_str();
                let tls = match settings.smtp_tls {
                    SmtpTls::None => Tls::None,
                    SmtpTls::Starttls => Tls::Required(TlsParameters::new(host.to_owned())?),
                    SmtpTls::Tls => Tls::Wrapper(TlsParameters::new(host.to_owned())?),
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(settings.smtp_port)
                    .tls(tls)
                    .timeout(Some(Duration::from_secs(settings.smtp_timeout_secs)))
                    .pool_config(
                        PoolConfig::new().max_size(settings.smtp_connections.max(1) as u32),
                    );
                if let (Some(username), Some(password)) =
                    (&settings.smtp_username, &settings.smtp_password)
                {
                    builder =
                        builder.credentials(Credentials::new(username.clone(), password.clone()));
                }
                Transport::Smtp(
                    builder.build(),
                    Duration::from_secs(settings.smtp_timeout_secs),
                )
            }
        })
    }

    /// Delivers one message; `file_name` names it for the file transport.
    pub async fn send(&self, file_name: &str, message: &Message) -> Result<(), SendFailure> {
        match self {
            Transport::Smtp(smtp, timeout) => {
                match tokio::time::timeout(*timeout, smtp.send(message.clone())).await {
                    Ok(sent) => sent.map(drop).map_err(smtp_failure),
                    Err(_) => {
                        let message = format!(
                            "the SMTP server did not answer within {} s",
                            timeout.as_secs()
                        );
                        Err(SendFailure {
                            permanent: false,
                            reason: FailureReason::Timeout,
                            summary: message.clone(),
                            message,
                        })
                    }
                }
            }
            Transport::File(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    let path = dir.join(format!("{file_name}.eml"));
                    let partial = dir.join(format!(".{file_name}.eml.partial"));
                    // Written aside and renamed, so a reader never sees half a message.
                    tokio::fs::write(&partial, message.formatted()).await?;
                    tokio::fs::rename(&partial, &path).await
                };
                write.await.map_err(|error| {
                    let message = format!("cannot write to {}: {error}", dir.display());
                    SendFailure {
                        permanent: false,
                        reason: FailureReason::File,
                        summary: message.clone(),
                        message,
                    }
                })
            }
            Transport::Log => {
                let envelope = message.envelope();
                tracing::info!(
                    target: "rencontre::mail",
                    id = file_name,
                    recipients = envelope.to().len(),
                    "email (log transport, not sent)"
                );
                Ok(())
            }
        }
    }
}

/// Removes the file transport's copies of these emails (written, or left
/// half-written); returns how many files went.
pub async fn remove_saved_emails(
    dir: &std::path::Path,
    ids: &[uuid::Uuid],
) -> std::io::Result<usize> {
    let mut removed = 0;
    for id in ids {
        for name in [format!("{id}.eml"), format!(".{id}.eml.partial")] {
            match tokio::fs::remove_file(dir.join(name)).await {
                Ok(()) => removed += 1,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(removed)
}

/// A 5xx answer is the server saying "never": stop at once. Everything else
/// (refused connection, timeout, 4xx) may pass.
fn smtp_failure(error: smtp::Error) -> SendFailure {
    // The server's words stay out of the summary: "550 <a.traore@…>: no
    // such user" names the delegate.
    let (reason, summary) = match error.status() {
        Some(code) if error.is_permanent() => (
            FailureReason::Refused,
            format!("the SMTP server answered {code}"),
        ),
        Some(code) => (
            FailureReason::Deferred,
            format!("the SMTP server answered {code}"),
        ),
        None if error.is_timeout() => (
            FailureReason::Timeout,
            "the SMTP connection timed out".to_owned(),
        ),
        None if error.is_tls() => (
            FailureReason::Tls,
            "the TLS handshake with the SMTP server failed".to_owned(),
        ),
        None => (
            FailureReason::Connection,
            "the SMTP exchange failed before an answer".to_owned(),
        ),
    };
    SendFailure {
        permanent: error.is_permanent(),
        reason,
        message: error.to_string(),
        summary,
    }
}
