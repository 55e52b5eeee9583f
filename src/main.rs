//! The `rencontre` command: parses the command line and runs one subcommand.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use rencontre::config::Settings;
use rencontre::db::organisers;
use rencontre::domain::{EmailAddress, EventRole, PersonName, Vocabulary, secret};
use rencontre::export::{self, FilterInput};
use rencontre::{db, demo, mail, registration, telemetry, web};
use tokio::sync::watch;

#[derive(Parser)]
#[command(
    name = "rencontre",
    version,
    about = "Delegate registration for international meetings"
)]
struct Cli {
    /// Folder holding default.toml and $RENCONTRE_ENV.toml.
    #[arg(
        long,
        env = "RENCONTRE_CONFIG_DIR",
        default_value = "config",
        global = true
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then serve HTTP (and send mail unless --no-worker).
    Serve {
        #[arg(long)]
        no_worker: bool,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Run only the outbox mail sender.
    Worker,
    /// Load the Dakar 2005 demo event (idempotent). Its organiser, whose
    /// password is published, is created only on a database without other
    /// organisers, and never under RENCONTRE_ENV=production.
    Demo {
        /// Create the demo organiser even though other organisers exist.
        #[arg(long)]
        force_demo: bool,
    },
    /// Verify the invariants of DESIGN.md; exit 1 listing violations.
    Check,
    /// Manage organiser accounts.
    Organiser {
        #[command(subcommand)]
        command: OrganiserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Replace the personal data of a finished event's registrations with
    /// placeholders, keeping counts and quotas.
    Anonymise { event_slug: String },
    /// Export an attendee list.
    Export {
        event_slug: String,
        #[arg(long, value_parser = ["csv", "xlsx"])]
        format: String,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        session: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// Only registrations that answered so: `CODE=CHOICE` (a choice
        /// code, or yes/no); may be repeated.
        #[arg(long = "answer", value_name = "CODE=CHOICE")]
        answers: Vec<String>,
        /// Choices, yes/no, statuses and countries in this language of
        /// the event (its first unless given).
        #[arg(long)]
        lang: Option<String>,
        /// Add the columns of sensitive questions (health, accessibility),
        /// which exports leave out unless asked.
        #[arg(long)]
        sensitive: bool,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum OrganiserCommand {
    /// Create an organiser account.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "organiser", value_parser = ["admin", "organiser", "viewer"])]
        role: String,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give the account a role on one event (in place of the one it had).
    Grant {
        email: String,
        #[arg(long)]
        event: String,
        /// owner, organiser, viewer or checkin
        #[arg(long, value_parser = event_role)]
        role: EventRole,
    },
    /// Take the account's role on one event away.
    Revoke {
        email: String,
        #[arg(long)]
        event: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token for that organiser (shown once).
    Create {
        email: String,
        /// The token stops working after this long (e.g. 30d, 12h).
        #[arg(long, value_parser = humantime::parse_duration)]
        expires_in: Option<std::time::Duration>,
        /// The token opens this one event only (of those the account may see).
        #[arg(long)]
        event: Option<String>,
        /// The token only reads: every change is refused.
        #[arg(long)]
        read_only: bool,
    },
    /// One token of that organiser a line: its id, label, when it was
    /// created, last used, expires and was revoked (never the token).
    List { email: String },
    /// Revoke a token (by the id `token list` shows) for good.
    Revoke { token_id: uuid::Uuid },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.config_dir) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("rencontre: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rencontre: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rencontre: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { no_worker } => {
            migrate(&settings).await?;
            let pool = db::build_pool(&settings.database)?;
            let (stop_worker, stopped) = watch::channel(false);
            let worker = if no_worker {
                None
            } else {
                let worker =
                    mail::Worker::new(pool.clone(), &settings.database.url, &settings.mail)?;
                Some(tokio::spawn(worker.run(stopped)))
            };
            let application = web::Application::build(settings.clone(), pool)?;
            tracing::info!(url = %settings.public_url(), port = application.port(), "serving");
            if let Some(port) = application.metrics_port() {
                tracing::info!(port, "metrics on http.metrics_bind, GET /metrics");
            }
            // The listeners are bound: systemd (Type=notify) may start what
            // waits for us. Without NOTIFY_SOCKET this does nothing.
            notify_ready();
            // Returns on SIGINT/SIGTERM once in-flight requests have finished.
            application.run_until_stopped().await?;
            let _ = stop_worker.send(true);
            if let Some(worker) = worker {
                worker.await?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Worker => {
            let pool = db::build_pool(&settings.database)?;
            let (stop_worker, stopped) = watch::channel(false);
            let worker = mail::Worker::new(pool, &settings.database.url, &settings.mail)?;
            let running = tokio::spawn(worker.run(stopped));
            notify_ready();
            shutdown_signal().await;
            let _ = stop_worker.send(true);
            running.await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            migrate(&settings).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { force_demo } => {
            let production = std::env::var("RENCONTRE_ENV").is_ok_and(|env| env == "production");
            let policy = match (production, force_demo) {
                (true, _) => demo::OrganiserPolicy::Never,
                (false, true) => demo::OrganiserPolicy::Always,
                (false, false) => demo::OrganiserPolicy::UnlessOthersExist,
            };
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            let organiser = match demo::load(&mut conn, chrono::Utc::now(), policy).await? {
                demo::Outcome::Loaded(organiser) => {
                    println!("Loaded the demo event `{}`.", demo::SLUG);
                    organiser
                }
                demo::Outcome::AlreadyThere(organiser) => {
                    println!("The demo event `{}` is already loaded.", demo::SLUG);
                    organiser
                }
            };
            match organiser {
                demo::DemoOrganiser::Created | demo::DemoOrganiser::AlreadyThere => {}
                demo::DemoOrganiser::Withheld if production => println!(
                    "The demo organiser `{}` was not created: never in production.",
                    demo::ORGANISER_EMAIL
                ),
                demo::DemoOrganiser::Withheld => println!(
                    "The demo organiser `{}` was not created: this database has \
                     organisers of its own (--force-demo creates it anyway).",
                    demo::ORGANISER_EMAIL
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            let violations = registration::check::violations(&mut conn).await?;
            if violations.is_empty() {
                println!("All invariants hold.");
                Ok(ExitCode::SUCCESS)
            } else {
                for violation in &violations {
                    println!("{violation}");
                }
                println!("{} violation(s).", violations.len());
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Anonymise { event_slug } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            let Some(event) = db::events::find_by_slug(&mut conn, &event_slug).await? else {
                eprintln!("rencontre: there is no event with the slug `{event_slug}`");
                return Ok(ExitCode::from(2));
            };
            match registration::anonymise::anonymise(&mut conn, &event, chrono::Utc::now()).await {
                Ok(anonymised) => {
                    // Whatever the transport is now: an earlier one may
                    // have written files.
                    let removed =
                        mail::remove_saved_emails(&settings.mail.file_dir, &anonymised.emails)
                            .await
                            .with_context(|| {
                                format!(
                                    "cannot remove the saved emails in {}",
                                    settings.mail.file_dir.display()
                                )
                            })?;
                    println!(
                        "Anonymised {} registration(s) of `{event_slug}` and removed {removed} saved email file(s).",
                        anonymised.registrations
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(registration::anonymise::AnonymiseError::NotEnded(day)) => {
                    eprintln!(
                        "rencontre: `{event_slug}` ends on {day}; anonymise it after that day"
                    );
                    Ok(ExitCode::from(2))
                }
                Err(error) => Err(error.into()),
            }
        }
        Command::Export {
            event_slug,
            format,
            country,
            session,
            status,
            answers,
            lang,
            sensitive,
            output,
        } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            // `CODE` alone asks for an empty word, which the filter refuses
            // with the question's words.
            let answers: Vec<(String, String)> = answers
                .iter()
                .map(|pair| {
                    let (code, word) = pair.split_once('=').unwrap_or((pair, ""));
                    (code.to_owned(), word.to_owned())
                })
                .collect();
            let filter = FilterInput {
                status: status.as_deref(),
                country: country.as_deref(),
                session: session.as_deref(),
                search: None,
                answers: &answers,
            };
            let job = ExportJob {
                slug: &event_slug,
                format: &format,
                lang: lang.as_deref(),
                sensitive,
                output: output.as_deref(),
            };
            export_list(&mut conn, &job, &filter, settings.public_url()).await
        }
        Command::Organiser {
            command:
                OrganiserCommand::Add {
                    email,
                    name,
                    role,
                    password_stdin,
                },
        } => {
            let email = EmailAddress::parse(&email).map_err(|error| {
                anyhow::anyhow!("`{email}` is not a valid email address ({error})")
            })?;
            let name =
                PersonName::parse(&name).map_err(|error| anyhow::anyhow!("--name {error}"))?;
            let password = if password_stdin {
                let mut password = String::new();
                std::io::stdin().read_to_string(&mut password)?;
                password.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                rpassword::prompt_password("Password: ")?
            };
            let hash = secret::hash_password(&password)?;
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            match organisers::insert(&mut conn, email.as_str(), name.as_str(), &role, Some(&hash))
                .await
            {
                Ok(organiser) => {
                    println!(
                        "Created {} organiser {} <{}>.",
                        organiser.role, organiser.name, organiser.email
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    eprintln!("rencontre: an organiser with the email {email} already exists");
                    Ok(ExitCode::from(2))
                }
                Err(error) => Err(error.into()),
            }
        }
        Command::Organiser {
            command: OrganiserCommand::Grant { email, event, role },
        } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            role_command(&mut conn, &email, &event, Some(role)).await
        }
        Command::Organiser {
            command: OrganiserCommand::Revoke { email, event },
        } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            role_command(&mut conn, &email, &event, None).await
        }
        Command::Token { command } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            token_command(&mut conn, command).await
        }
    }
}

/// `--role` of `organiser grant`.
fn event_role(text: &str) -> Result<EventRole, String> {
    EventRole::from_stored(text).ok_or_else(|| {
        let roles: Vec<&str> = EventRole::ALL.iter().map(|role| role.as_str()).collect();
        format!("`{text}` is none of {}", roles.join(", "))
    })
}

/// `found`, or `None` once `missing` is said on standard error.
fn or_say<T>(found: Option<T>, missing: impl FnOnce() -> String) -> Option<T> {
    if found.is_none() {
        eprintln!("rencontre: {}", missing());
    }
    found
}

/// The account of this email, or `None` once said on standard error.
async fn organiser_of(
    conn: &mut diesel_async::AsyncPgConnection,
    email: &str,
) -> anyhow::Result<Option<organisers::Organiser>> {
    let found = organisers::find_by_email(conn, email).await?;
    Ok(or_say(found, || {
        format!("no organiser has the email {email}")
    }))
}

/// The event of this slug, or `None` once said on standard error.
async fn event_of(
    conn: &mut diesel_async::AsyncPgConnection,
    slug: &str,
) -> anyhow::Result<Option<db::events::Event>> {
    let found = db::events::find_by_slug(conn, slug).await?;
    Ok(or_say(found, || format!("no event with the slug `{slug}`")))
}

/// `rencontre organiser grant | revoke`, audit-logged on the event.
async fn role_command(
    conn: &mut diesel_async::AsyncPgConnection,
    email: &str,
    slug: &str,
    role: Option<EventRole>,
) -> anyhow::Result<ExitCode> {
    let (Some(organiser), Some(event)) = (
        organiser_of(conn, email).await?,
        event_of(conn, slug).await?,
    ) else {
        return Ok(ExitCode::from(2));
    };
    let detail = serde_json::json!({"email": organiser.email, "role": role});
    match role {
        Some(role) => {
            organisers::grant_role(conn, organiser.id, event.id, role).await?;
            organisers::audit(conn, None, Some(event.id), None, "role.grant", detail).await?;
            println!("{} is {role} of {}.", organiser.email, event.slug);
        }
        None => {
            if organisers::revoke_role(conn, organiser.id, event.id).await? {
                organisers::audit(conn, None, Some(event.id), None, "role.revoke", detail).await?;
                println!("{} has no role on {} now.", organiser.email, event.slug);
            } else {
                println!("{} had no role on {}.", organiser.email, event.slug);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `rencontre token create | list | revoke`.
async fn token_command(
    conn: &mut diesel_async::AsyncPgConnection,
    command: TokenCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        TokenCommand::Create {
            email,
            expires_in,
            event,
            read_only,
        } => {
            let Some(organiser) = organiser_of(conn, &email).await? else {
                return Ok(ExitCode::from(2));
            };
            let event_id = match event {
                Some(slug) => match event_of(conn, &slug).await? {
                    Some(event) => Some(event.id),
                    None => return Ok(ExitCode::from(2)),
                },
                None => None,
            };
            let expires_at = match expires_in {
                Some(duration) => Some(
                    chrono::Duration::from_std(duration)
                        .ok()
                        .and_then(|duration| chrono::Utc::now().checked_add_signed(duration))
                        .context("--expires-in is too long")?,
                ),
                None => None,
            };
            let token = secret::random_token(24);
            let hash = secret::sha256(&token);
            let scope = organisers::TokenScope {
                event_id,
                read_only,
            };
            organisers::insert_api_token(conn, organiser.id, &hash, "cli", expires_at, scope)
                .await?;
            println!("{token}");
        }
        TokenCommand::List { email } => {
            let Some(organiser) = organiser_of(conn, &email).await? else {
                return Ok(ExitCode::from(2));
            };
            let at = |time: Option<chrono::DateTime<chrono::Utc>>, none: &str| {
                time.map_or_else(
                    || none.to_owned(),
                    |time| time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                )
            };
            for token in organisers::api_tokens_of(conn, organiser.id).await? {
                println!(
                    "{} label={} created={} last_used={} expires={} event={} read_only={} revoked={}",
                    token.id,
                    token.label,
                    at(Some(token.created_at), ""),
                    at(token.last_used_at, "never"),
                    at(token.expires_at, "never"),
                    token.event_slug.as_deref().unwrap_or("any"),
                    if token.read_only { "yes" } else { "no" },
                    at(token.revoked_at, "no"),
                );
            }
        }
        TokenCommand::Revoke { token_id } => {
            match organisers::revoke_api_token(conn, token_id).await? {
                Some(at) => println!("Token {token_id} is revoked (since {at})."),
                None => {
                    eprintln!("rencontre: there is no token {token_id}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `rencontre export` was asked for, besides its filters.
struct ExportJob<'a> {
    slug: &'a str,
    format: &'a str,
    lang: Option<&'a str>,
    sensitive: bool,
    output: Option<&'a std::path::Path>,
}

/// `rencontre export`: a progress bar on a terminal, quiet when piped; a
/// bad event, status, country, session or language is one sentence and
/// exit code 2.
async fn export_list(
    conn: &mut diesel_async::AsyncPgConnection,
    job: &ExportJob<'_>,
    input: &FilterInput<'_>,
    public_url: &str,
) -> anyhow::Result<ExitCode> {
    let ExportJob {
        slug,
        format,
        output,
        ..
    } = *job;
    use db::attendees::{Counting, Total};
    use futures_util::StreamExt;
    use std::io::{IsTerminal, Write};

    let Some(event) = db::events::find_by_slug(conn, slug).await? else {
        eprintln!("rencontre: there is no event with the slug `{slug}`");
        return Ok(ExitCode::from(2));
    };
    let filter = match export::resolve_filter(conn, &event, input).await {
        Ok(filter) => filter,
        Err(export::FilterError::Invalid(problems)) => {
            for (_, problem) in problems.iter() {
                let problem =
                    rencontre::i18n::field_message(rencontre::domain::Language::En, problem);
                eprintln!("rencontre: {problem}");
            }
            return Ok(ExitCode::from(2));
        }
        Err(export::FilterError::Database(error)) => return Err(error.into()),
    };
    let questions = db::questions::of_event(conn, event.id, None).await?;
    let language = match job.lang {
        None => None,
        Some(code) => match rencontre::domain::Language::parse(code)
            .ok()
            .filter(|language| event.languages.iter().any(|c| c == language.code()))
        {
            Some(language) => Some(language),
            None => {
                let languages = event.languages.join(", ");
                eprintln!("rencontre: the event's languages are {languages}, not `{code}`");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let options = export::ExportOptions {
        language,
        sensitive: job.sensitive,
    };
    let categorised = db::categories::any(conn, event.id).await?;
    let style = export::ExportStyle::of(&event, &questions, categorised, public_url, options);
    let total = match db::attendees::total(conn, event.id, &filter, Counting::Exact).await? {
        Total::Exact(total) | Total::MoreThan(total) => total,
    };
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(total.max(0) as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut sink: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if format == "xlsx" {
        let rows = db::attendees::stream(conn, event.id, &filter).await?;
        let workbook = export::write_xlsx(rows, style, |count| progress.inc(count as u64)).await?;
        sink.write_all(&workbook)?;
    } else {
        let mut writer = export::CsvWriter::new(style, false);
        let rows = db::attendees::stream(conn, event.id, &filter).await?;
        let mut batches = std::pin::pin!(rows.chunks(500));
        while let Some(batch) = batches.next().await {
            let batch = batch.into_iter().collect::<Result<Vec<_>, _>>()?;
            sink.write_all(&writer.rows(&batch)?)?;
            progress.inc(batch.len() as u64);
        }
        sink.write_all(&writer.finish())?;
    }
    sink.flush()?;
    progress.finish_and_clear();
    if let Some(path) = output {
        eprintln!("Wrote {total} registration(s) to {}.", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let applied = db::run_migrations(&settings.database.url)
        .await
        .context("cannot migrate the database")?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(())
}

/// Tells a service manager waiting on us (systemd's `Type=notify`, through
/// NOTIFY_SOCKET) that we are ready. A failure only costs the unit its
/// start timeout, so it is logged and not fatal.
fn notify_ready() {
    if let Err(error) = sd_notify::notify(&[sd_notify::NotifyState::Ready]) {
        tracing::warn!(%error, "cannot tell the service manager we are ready");
    }
}

/// SIGINT or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await.unwrap_or(());
}
