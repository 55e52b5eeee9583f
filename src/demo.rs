//! `rencontre demo`: a meeting modelled on the Dakar 2005 *Rencontre*, so a
//! newcomer can register, fill quotas and export lists at once.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Africa::Dakar;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use crate::db::events::{self, NewEvent, NewSession};
use crate::db::organisers;
use crate::domain::SessionKind::{Plenary, Workshop};
use crate::domain::{SessionKind, secret};

pub const SLUG: &str = "dakar-2005";

/// The demo's back-office login, printed by `make run`. Only the demo has
/// a password known in advance; real accounts come from `organiser add`.
pub const ORGANISER_EMAIL: &str = "demo@example.org";
pub const ORGANISER_PASSWORD: &str = "rencontre-demo";

/// Countries with a quota of their own; every other country gets the
/// default quota when its first delegate registers.
const COUNTRY_QUOTAS: &[(&str, i32)] = &[
    // Africa
    ("SN", 150),
    ("ML", 60),
    ("BF", 50),
    ("CI", 50),
    ("GN", 40),
    ("MR", 30),
    ("GM", 30),
    ("NE", 30),
    ("BJ", 30),
    ("TG", 30),
    ("CM", 40),
    ("CD", 40),
    ("MA", 40),
    ("DZ", 30),
    ("TN", 30),
    ("EG", 30),
    ("NG", 50),
    ("GH", 40),
    ("KE", 40),
    ("ZA", 50),
    ("MZ", 30),
    ("AO", 30),
    ("CV", 25),
    ("GW", 25),
    // Americas
    ("BR", 60),
    ("AR", 40),
    ("PE", 40),
    ("BO", 30),
    ("EC", 30),
    ("CO", 40),
    ("MX", 40),
    ("CU", 30),
    ("HT", 25),
    ("VE", 30),
    ("CA", 40),
    ("US", 40),
    // Europe
    ("FR", 60),
    ("BE", 30),
    ("ES", 40),
    ("PT", 30),
    ("IT", 40),
    ("CH", 25),
    ("DE", 30),
    // Asia
    ("IN", 40),
    ("PH", 30),
    ("VN", 25),
    ("JP", 25),
    ("BD", 25),
    ("ID", 25),
];

struct DemoSession {
    code: &'static str,
    kind: SessionKind,
    day: i64,
    start: (u32, u32),
    end: (u32, u32),
    capacity: Option<i32>,
    room: &'static str,
    titles: [&'static str; 4], // fr, en, es, pt
}

#[rustfmt::skip]
const SESSIONS: &[DemoSession] = &[
    DemoSession { code: "P1", kind: Plenary, day: 0, start: (9, 0), end: (11, 0), capacity: Some(1200), room: "Grande salle",
        titles: ["Ouverture : une autre économie est possible", "Opening: another economy is possible", "Apertura: otra economía es posible", "Abertura: outra economia é possível"] },
    DemoSession { code: "A1", kind: Workshop, day: 0, start: (11, 30), end: (13, 0), capacity: Some(60), room: "Salle Gorée",
        titles: ["Finance solidaire et microcrédit", "Solidarity finance and microcredit", "Finanzas solidarias y microcrédito", "Finanças solidárias e microcrédito"] },
    DemoSession { code: "A2", kind: Workshop, day: 0, start: (11, 30), end: (13, 0), capacity: Some(40), room: "Salle Saloum",
        titles: ["Commerce équitable Sud-Sud", "South-South fair trade", "Comercio justo Sur-Sur", "Comércio justo Sul-Sul"] },
    DemoSession { code: "A3", kind: Workshop, day: 0, start: (15, 0), end: (17, 0), capacity: Some(60), room: "Salle Gorée",
        titles: ["Coopératives de femmes", "Women's cooperatives", "Cooperativas de mujeres", "Cooperativas de mulheres"] },
    DemoSession { code: "A4", kind: Workshop, day: 0, start: (15, 0), end: (17, 0), capacity: Some(25), room: "Salle Casamance",
        titles: ["Monnaies locales", "Local currencies", "Monedas locales", "Moedas locais"] },
    DemoSession { code: "P2", kind: Plenary, day: 1, start: (9, 0), end: (11, 0), capacity: Some(1200), room: "Grande salle",
        titles: ["Souveraineté alimentaire", "Food sovereignty", "Soberanía alimentaria", "Soberania alimentar"] },
    DemoSession { code: "A5", kind: Workshop, day: 1, start: (11, 30), end: (13, 0), capacity: Some(80), room: "Salle Gorée",
        titles: ["Agriculture paysanne et semences", "Peasant farming and seeds", "Agricultura campesina y semillas", "Agricultura camponesa e sementes"] },
    DemoSession { code: "A6", kind: Workshop, day: 1, start: (11, 30), end: (13, 0), capacity: Some(30), room: "Salle Casamance",
        titles: ["Pêche artisanale", "Small-scale fisheries", "Pesca artesanal", "Pesca artesanal"] },
    DemoSession { code: "A7", kind: Workshop, day: 1, start: (12, 0), end: (13, 30), capacity: Some(40), room: "Salle Saloum",
        titles: ["Eau, bien commun", "Water as a commons", "El agua, bien común", "Água, bem comum"] },
    DemoSession { code: "A8", kind: Workshop, day: 1, start: (15, 0), end: (17, 0), capacity: Some(120), room: "Auditorium",
        titles: ["Économie sociale et politiques publiques", "Social economy and public policy", "Economía social y políticas públicas", "Economia social e políticas públicas"] },
    DemoSession { code: "A9", kind: Workshop, day: 1, start: (15, 0), end: (17, 0), capacity: Some(20), room: "Salle Ndar",
        titles: ["Logiciels libres pour les réseaux", "Free software for networks", "Software libre para las redes", "Software livre para as redes"] },
    DemoSession { code: "P3", kind: Plenary, day: 2, start: (9, 0), end: (11, 0), capacity: Some(1200), room: "Grande salle",
        titles: ["Migrations et citoyenneté", "Migration and citizenship", "Migraciones y ciudadanía", "Migrações e cidadania"] },
    DemoSession { code: "A10", kind: Workshop, day: 2, start: (11, 30), end: (13, 0), capacity: Some(60), room: "Salle Gorée",
        titles: ["Diasporas et développement", "Diasporas and development", "Diásporas y desarrollo", "Diásporas e desenvolvimento"] },
    DemoSession { code: "A11", kind: Workshop, day: 2, start: (11, 30), end: (13, 0), capacity: Some(35), room: "Salle Saloum",
        titles: ["Tourisme solidaire", "Community-based tourism", "Turismo solidario", "Turismo solidário"] },
    DemoSession { code: "A12", kind: Workshop, day: 2, start: (15, 0), end: (17, 0), capacity: Some(50), room: "Salle Gorée",
        titles: ["Santé communautaire et mutuelles", "Community health and mutual insurance", "Salud comunitaria y mutuales", "Saúde comunitária e mútuas"] },
    DemoSession { code: "A13", kind: Workshop, day: 2, start: (16, 0), end: (18, 0), capacity: Some(25), room: "Salle Casamance",
        titles: ["Recyclage et économie circulaire", "Recycling and the circular economy", "Reciclaje y economía circular", "Reciclagem e economia circular"] },
    DemoSession { code: "A14", kind: Workshop, day: 3, start: (9, 0), end: (10, 30), capacity: Some(60), room: "Salle Gorée",
        titles: ["Réseaux intercontinentaux", "Intercontinental networks", "Redes intercontinentales", "Redes intercontinentais"] },
    DemoSession { code: "A15", kind: Workshop, day: 3, start: (9, 0), end: (10, 30), capacity: Some(40), room: "Salle Saloum",
        titles: ["Jeunesse et emploi", "Youth and work", "Juventud y empleo", "Juventude e emprego"] },
    DemoSession { code: "A16", kind: Workshop, day: 3, start: (9, 30), end: (11, 0), capacity: Some(30), room: "Salle Ndar",
        titles: ["Communication des mouvements", "Communication for movements", "Comunicación de los movimientos", "Comunicação dos movimentos"] },
    DemoSession { code: "P4", kind: Plenary, day: 3, start: (15, 0), end: (17, 30), capacity: Some(1200), room: "Grande salle",
        titles: ["Clôture : déclaration de Dakar", "Closing: the Dakar declaration", "Clausura: declaración de Dakar", "Encerramento: declaração de Dakar"] },
];

pub enum Outcome {
    Loaded(DemoOrganiser),
    AlreadyThere(DemoOrganiser),
}

/// Whether the demo may create its organiser, an admin whose password is
/// published in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganiserPolicy {
    /// On a database of its own: no account other than the demo's exists.
    UnlessOthersExist,
    /// `--force-demo`.
    Always,
    /// `RENCONTRE_ENV=production`, whatever the flags.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOrganiser {
    Created,
    AlreadyThere,
    /// Not created: real accounts exist, or this is production.
    Withheld,
}

/// Loads the demo meeting unless it is already there. The first day is
/// 22 November of the coming year; registration opens now.
pub async fn load(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    policy: OrganiserPolicy,
) -> anyhow::Result<Outcome> {
    if events::find_by_slug(conn, SLUG).await?.is_some() {
        let organiser = insert_organiser(conn, policy).await?;
        return Ok(Outcome::AlreadyThere(organiser));
    }
    let first_day = NaiveDate::from_ymd_opt(now.year() + 1, 11, 22)
        .ok_or_else(|| anyhow::anyhow!("no 22 November next year"))?;
    let outcome = conn
        .transaction::<_, anyhow::Error, _>(async |conn| {
            insert_demo(conn, first_day, now).await?;
            let organiser = insert_organiser(conn, policy).await?;
            Ok(Outcome::Loaded(organiser))
        })
        .await;
    match outcome {
        // Two `demo` commands racing: the loser hits the unique slug.
        Err(error) if events_exists_error(&error) => {
            Ok(Outcome::AlreadyThere(DemoOrganiser::AlreadyThere))
        }
        other => other,
    }
}

/// Anyone who reads the README knows the demo organiser's password: on a
/// database where real organisers work, it would be an open door.
async fn insert_organiser(
    conn: &mut AsyncPgConnection,
    policy: OrganiserPolicy,
) -> anyhow::Result<DemoOrganiser> {
    if organisers::find_by_email(conn, ORGANISER_EMAIL)
        .await?
        .is_some()
    {
        return Ok(DemoOrganiser::AlreadyThere);
    }
    let allowed = match policy {
        OrganiserPolicy::Always => true,
        OrganiserPolicy::Never => false,
        OrganiserPolicy::UnlessOthersExist => {
            !organisers::any_other_than(conn, ORGANISER_EMAIL).await?
        }
    };
    if !allowed {
        return Ok(DemoOrganiser::Withheld);
    }
    let hash = secret::hash_password(ORGANISER_PASSWORD)?;
    organisers::insert(conn, ORGANISER_EMAIL, "Démo", "admin", Some(&hash)).await?;
    Ok(DemoOrganiser::Created)
}

fn events_exists_error(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<diesel::result::Error>(),
        Some(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

async fn insert_demo(
    conn: &mut AsyncPgConnection,
    first_day: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let opening = local_time(first_day, (9, 0))?;
    let event = events::insert(
        conn,
        &NewEvent {
            id: Uuid::now_v7(),
            slug: SLUG,
            reference_prefix: "DKR",
            name: "Rencontre internationale de l'économie sociale et solidaire — Dakar",
            names: json!({
                "en": "International Meeting on the Social and Solidarity Economy — Dakar",
                "es": "Encuentro internacional de la economía social y solidaria — Dakar",
                "pt": "Encontro internacional da economia social e solidária — Dacar",
            }),
            description: "Quatre jours de plénières et d'ateliers pour globaliser la solidarité.",
            descriptions: json!({
                "en": "Four days of plenaries and workshops to globalise solidarity.",
                "es": "Cuatro días de plenarias y talleres para globalizar la solidaridad.",
                "pt": "Quatro dias de plenárias e oficinas para globalizar a solidariedade.",
            }),
            starts_on: first_day,
            ends_on: first_day + Duration::days(3),
            timezone: "Africa/Dakar",
            languages: ["fr", "en", "es", "pt"].map(String::from).to_vec(),
            registration_opens_at: now,
            registration_closes_at: opening,
            capacity: Some(1500),
            default_country_capacity: Some(20),
            verifying: Default::default(),
            approving: Default::default(),
        },
    )
    .await?;
    for (code, capacity) in COUNTRY_QUOTAS {
        events::set_country_capacity(conn, event.id, code, Some(*capacity)).await?;
    }
    for session in SESSIONS {
        let day = first_day + Duration::days(session.day);
        let [fr, en, es, pt] = session.titles;
        events::insert_session(
            conn,
            &NewSession {
                id: Uuid::now_v7(),
                event_id: event.id,
                code: session.code,
                kind: session.kind,
                title: fr,
                titles: json!({"en": en, "es": es, "pt": pt}),
                description: "",
                descriptions: json!({}),
                room: session.room,
                starts_at: local_time(day, session.start)?,
                ends_at: local_time(day, session.end)?,
                capacity: session.capacity,
            },
        )
        .await?;
    }
    Ok(())
}

fn local_time(day: NaiveDate, (hour, minute): (u32, u32)) -> anyhow::Result<DateTime<Utc>> {
    let naive = day
        .and_hms_opt(hour, minute, 0)
        .ok_or_else(|| anyhow::anyhow!("bad time {hour}:{minute}"))?;
    Dakar
        .from_local_datetime(&naive)
        .single()
        .map(|local| local.with_timezone(&Utc))
        .ok_or_else(|| anyhow::anyhow!("ambiguous local time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_plausible() {
        assert!(COUNTRY_QUOTAS.len() >= 40);
        let mut codes: Vec<_> = COUNTRY_QUOTAS.iter().map(|(code, _)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            COUNTRY_QUOTAS.len(),
            "a country is listed twice"
        );
        assert!(SESSIONS.len() >= 20);
        let overlapping = SESSIONS.iter().enumerate().any(|(i, a)| {
            SESSIONS[i + 1..]
                .iter()
                .any(|b| a.day == b.day && a.start < b.end && b.start < a.end)
        });
        assert!(overlapping, "the demo must show overlapping sessions");
    }
}
