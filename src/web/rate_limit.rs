//! Per-client limits on costly requests (registrations, logins): a token
//! bucket per client (`client::ClientKey`), refilled continuously. Kept in the process:
//! each `serve` process limits on its own, which bounds abuse while adding
//! nothing to the database's load.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::HttpRequest;

use super::AppError;
use super::client::{Client, ClientKey};

/// Beyond this many addresses, full buckets are forgotten.
const MAX_TRACKED: usize = 50_000;

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// `per_minute` requests a minute per address, in bursts of as many;
    /// 0 means no limit.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the client's bucket, or says how many
    /// seconds to wait.
    pub fn check(&self, client: ClientKey, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > MAX_TRACKED {
            buckets.retain(|_, bucket| {
                bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * per_second
                    < capacity
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let refilled =
            bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.tokens = refilled.min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }

    /// The same for an HTTP request's client, as the error to answer with.
    pub fn check_request(&self, request: &HttpRequest) -> Result<(), AppError> {
        self.check(Client::of(request).key(), Instant::now())
            .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use std::net::IpAddr;

    use super::*;

    fn key(octets: [u8; 4]) -> ClientKey {
        ClientKey::of(IpAddr::from(octets))
    }

    #[test]
    fn a_burst_is_allowed_then_requests_wait_for_the_refill() {
        let limiter = RateLimiter::new(6);
        let (address, start) = (key([10, 0, 0, 1]), Instant::now());
        for _ in 0..6 {
            assert_eq!(limiter.check(address, start), Ok(()));
        }
        assert_eq!(
            limiter.check(address, start),
            Err(10),
            "one token every 10 s"
        );
        assert_eq!(
            limiter.check(key([10, 0, 0, 2]), start),
            Ok(()),
            "addresses are separate"
        );
        assert_eq!(
            limiter.check(address, start + Duration::from_secs(10)),
            Ok(())
        );
        assert!(
            limiter
                .check(address, start + Duration::from_secs(10))
                .is_err()
        );
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        for _ in 0..1000 {
            assert_eq!(limiter.check(key([10, 0, 0, 1]), Instant::now()), Ok(()));
        }
    }
}
