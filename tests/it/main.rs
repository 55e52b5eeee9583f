//! Integration tests: one binary (one link), one module per feature. Every
//! test gets its own database cloned from a migrated template, on the real
//! PostgreSQL that `make test` starts.

mod smtp;
mod support;

mod admin;
mod admin_questions;
mod approval;
mod backup;
mod categories;
mod cli;
mod event_changes;
mod faults;
mod files;
mod health;
mod hostile;
mod lifecycle;
mod lists;
mod mail;
mod metrics;
mod migrations;
mod organiser;
mod pages;
mod plans;
mod privacy;
mod proxy;
mod question_rules;
mod questions;
mod questions_asked;
mod registration;
mod registration_concurrency;
mod roles;
mod trust;
mod verification;
