//! The organiser back office under `/admin`: askama pages in the four
//! languages, behind a login.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
