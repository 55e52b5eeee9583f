//! Rencontre: delegate registration for international meetings.
//!
//! The rooms (see DESIGN.md): `domain` is pure, `db` talks to PostgreSQL,
//! `registration` holds the transactions that move quotas, `mail` sends the
//! outbox, `export` writes attendee lists, `web` speaks HTTP and `i18n` the
//! four working languages.

pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod registration;
pub mod telemetry;
pub mod web;
