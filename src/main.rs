//! The `rencontre` command: parses the command line and runs one subcommand.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use rencontre::config::Settings;
use rencontre::db::organisers;
use rencontre::domain::{EmailAddress, secret};
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
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token for that organiser (shown once).
    Create { email: String },
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
                Ok(count) => {
                    println!("Anonymised {count} registration(s) of `{event_slug}`.");
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
            output,
        } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            let filter = FilterInput {
                status: status.as_deref(),
                country: country.as_deref(),
                session: session.as_deref(),
                search: None,
            };
            export_list(&mut conn, &event_slug, &format, &filter, output.as_deref()).await
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
            match organisers::insert(&mut conn, email.as_str(), name.trim(), &role, Some(&hash))
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
        Command::Token {
            command: TokenCommand::Create { email },
        } => {
            let pool = db::build_pool(&settings.database)?;
            let mut conn = pool.get().await.context("cannot connect to the database")?;
            let Some(organiser) = organisers::find_by_email(&mut conn, &email).await? else {
                eprintln!("rencontre: no organiser has the email {email}");
                return Ok(ExitCode::from(2));
            };
            let token = secret::random_token(24);
            organisers::insert_api_token(&mut conn, organiser.id, &secret::sha256(&token), "cli")
                .await?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `rencontre export`: a progress bar on a terminal, quiet when piped; a
/// bad event, status, country or session is one sentence and exit code 2.
async fn export_list(
    conn: &mut diesel_async::AsyncPgConnection,
    slug: &str,
    format: &str,
    input: &FilterInput<'_>,
    output: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    use futures_util::StreamExt;
    use std::io::{IsTerminal, Write};

    let Some(event) = db::events::find_by_slug(conn, slug).await? else {
        eprintln!("rencontre: there is no event with the slug `{slug}`");
        return Ok(ExitCode::from(2));
    };
    let filter = match export::resolve_filter(conn, &event, input).await {
        Ok(filter) => filter,
        Err(export::FilterError::Invalid(problems)) => {
            for problem in problems.values() {
                eprintln!("rencontre: {problem}");
            }
            return Ok(ExitCode::from(2));
        }
        Err(export::FilterError::Database(error)) => return Err(error.into()),
    };
    let style = export::ExportStyle::of(&event);
    let total = db::attendees::total(conn, event.id, &filter).await?;
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
