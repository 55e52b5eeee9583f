//! The public pages: server-rendered askama templates in four languages,
//! usable with JavaScript off on a 360-px-wide phone.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
