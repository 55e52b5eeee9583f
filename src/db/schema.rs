// The tables of migrations/, as Diesel sees them. Kept in step with the SQL by
// hand; `tests/migrations.rs` fails when a column here is missing there.

diesel::table! {
    admin_sessions (id_hash) {
        id_hash -> Bytea,
        organiser_id -> Uuid,
        csrf_token -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        organiser_id -> Uuid,
        token_hash -> Bytea,
        label -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        organiser_id -> Nullable<Uuid>,
        event_id -> Nullable<Uuid>,
        registration_id -> Nullable<Uuid>,
        action -> Text,
        detail -> Jsonb,
    }
}

diesel::table! {
    country_quotas (event_id, country_code) {
        event_id -> Uuid,
        country_code -> Bpchar,
        capacity -> Nullable<Int4>,
        taken -> Int4,
        explicit -> Bool,
        waiting -> Int4,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Uuid,
        event_id -> Uuid,
        registration_id -> Nullable<Uuid>,
        kind -> Text,
        recipient -> Text,
        language -> Text,
        subject -> Nullable<Text>,
        body_text -> Nullable<Text>,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        attachment_ics -> Nullable<Text>,
    }
}

diesel::table! {
    email_texts (event_id, kind, language) {
        event_id -> Uuid,
        kind -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
    }
}

diesel::table! {
    events (id) {
        id -> Uuid,
        slug -> Text,
        reference_prefix -> Text,
        name -> Text,
        names -> Jsonb,
        description -> Text,
        descriptions -> Jsonb,
        starts_on -> Date,
        ends_on -> Date,
        timezone -> Text,
        languages -> Array<Text>,
        registration_opens_at -> Timestamptz,
        registration_closes_at -> Timestamptz,
        capacity -> Nullable<Int4>,
        taken -> Int4,
        default_country_capacity -> Nullable<Int4>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        waiting -> Int4,
    }
}

diesel::table! {
    idempotency_keys (event_id, key_hash) {
        event_id -> Uuid,
        key_hash -> Bytea,
        request_hash -> Bytea,
        registration_id -> Uuid,
        sealed_token -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    organisers (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    registration_sessions (registration_id, session_id) {
        registration_id -> Uuid,
        session_id -> Uuid,
        status -> Text,
        queue_seq -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    registrations (id) {
        id -> Uuid,
        event_id -> Uuid,
        reference -> Text,
        token_hash -> Bytea,
        given_name -> Text,
        family_name -> Text,
        email -> Text,
        country_code -> Bpchar,
        organisation -> Text,
        language -> Text,
        status -> Text,
        queue_seq -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        cancelled_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        event_id -> Uuid,
        code -> Text,
        kind -> Text,
        title -> Text,
        titles -> Jsonb,
        description -> Text,
        descriptions -> Jsonb,
        room -> Text,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        capacity -> Nullable<Int4>,
        taken -> Int4,
    }
}

diesel::joinable!(admin_sessions -> organisers (organiser_id));
diesel::joinable!(api_tokens -> organisers (organiser_id));
diesel::joinable!(country_quotas -> events (event_id));
diesel::joinable!(email_outbox -> events (event_id));
diesel::joinable!(email_outbox -> registrations (registration_id));
diesel::joinable!(registration_sessions -> registrations (registration_id));
diesel::joinable!(registration_sessions -> sessions (session_id));
diesel::joinable!(registrations -> events (event_id));
diesel::joinable!(sessions -> events (event_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_sessions,
    api_tokens,
    audit_log,
    country_quotas,
    email_outbox,
    email_texts,
    events,
    idempotency_keys,
    organisers,
    registration_sessions,
    registrations,
    sessions,
);
