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
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendFailure {
    pub permanent: bool,
    pub message: String,
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
                    Err(_) => Err(SendFailure {
                        permanent: false,
                        message: format!(
                            "the SMTP server did not answer within {} s",
                            timeout.as_secs()
                        ),
                    }),
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
                write.await.map_err(|error| SendFailure {
                    permanent: false,
                    message: format!("cannot write to {}: {error}", dir.display()),
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

/// A 5xx answer is the server saying "never": stop at once. Everything else
/// (refused connection, timeout, 4xx) may pass.
fn smtp_failure(error: smtp::Error) -> SendFailure {
    SendFailure {
        permanent: error.is_permanent(),
        message: error.to_string(),
    }
}
