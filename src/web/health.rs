use actix_web::{HttpResponse, web};
use diesel_async::RunQueryDsl;

use super::AppState;

/// 200 when this process serves and the database answers a query, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let database_answers = match state.pool.get().await {
        Ok(mut conn) => diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .is_ok(),
        Err(_) => false,
    };
    if database_answers {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "unavailable", "database": "unreachable"}))
    }
}
