//! How the login form resists password guessing without letting anyone lock a colleague out.
//!
//! Three limits, all in memory (they reset on restart, which is fine for abuse control):
//! - per address: a flood from one address is refused;
//! - per (name, address): one address cannot keep guessing one name, while the real user,
//!   from their own address, is not affected;
//! - per name, across addresses: after a few failures every further attempt for the name
//!   waits its turn, and the turns grow apart (doubling up to a cap). Guessing from many
//!   addresses slows down; the real user still gets in, a little later.
//!
//! Every attempt verifies a password hash, also for unknown names (see
//! [`crate::store::users::dummy_hash`]); `verifications` counts them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts per minute from one address, whatever the names.
const PER_ADDRESS_PER_MINUTE: u32 = 10;
/// Attempts per minute for one name from one address.
const PER_NAME_AND_ADDRESS_PER_MINUTE: u32 = 5;
/// Failures for a name before its attempts are spaced out.
const FREE_FAILURES: u32 = 5;
/// The spacing after the free failures; it doubles with every further failure.
const FIRST_DELAY: Duration = Duration::from_millis(50);
/// The largest spacing between two attempts for one name.
const MAX_DELAY: Duration = Duration::from_secs(30);
/// An attempt that would have to wait longer than this for its turn is refused instead.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// A name's failures are forgotten this long after the last one.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// Above this many tracked names, names without recent failures are dropped.
const MAX_TRACKED_NAMES: usize = 10_000;

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

/// The name as the login form compares it: what the user typed, without surrounding spaces.
/// Both the limits and the user lookup use this one form, so spaces cannot dodge a limit.
pub fn normalise_name(typed: &str) -> String {
    typed.trim().to_string()
}

/// Why an attempt is not even tried.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Too many attempts from this address, or for this name from this address.
    TooFast,
    /// The name's queue of attempts is longer than [`MAX_WAIT`].
    NameBusy,
}

#[derive(Debug, Clone, Copy)]
struct NameFailures {
    count: u32,
    last: Instant,
    /// When the next attempt for this name may be verified.
    next_turn: Instant,
}

pub struct LoginLimits {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_name_and_address: DefaultKeyedRateLimiter<(String, IpAddr)>,
    names: Mutex<HashMap<String, NameFailures>>,
    /// Password hashes verified, known names or not (observable in tests).
    pub verifications: AtomicU64,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_address: RateLimiter::keyed(per_minute(PER_ADDRESS_PER_MINUTE)),
            per_name_and_address: RateLimiter::keyed(per_minute(PER_NAME_AND_ADDRESS_PER_MINUTE)),
            names: Mutex::new(HashMap::new()),
            verifications: AtomicU64::new(0),
        }
    }
}

/// The spacing between attempts for a name with `failures` recent failures.
fn delay_after(failures: u32) -> Duration {
    let Some(extra) = failures.checked_sub(FREE_FAILURES) else {
        return Duration::ZERO;
    };
    FIRST_DELAY
        .checked_mul(2u32.saturating_pow(extra))
        .map_or(MAX_DELAY, |d| d.min(MAX_DELAY))
}

impl LoginLimits {
    /// Admits an attempt for the normalised `name` from `address`; returns how long it must
    /// wait for its turn before the password is verified.
    pub fn admit(&self, name: &str, address: IpAddr, now: Instant) -> Result<Duration, Refused> {
        if self.per_address.check_key(&address).is_err()
            || self
                .per_name_and_address
                .check_key(&(name.to_string(), address))
                .is_err()
        {
            return Err(Refused::TooFast);
        }
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        let Some(failures) = names.get_mut(name) else {
            return Ok(Duration::ZERO);
        };
        if now.duration_since(failures.last) > FORGET_AFTER {
            names.remove(name);
            return Ok(Duration::ZERO);
        }
        let turn = failures.next_turn.max(now) + delay_after(failures.count);
        let wait = turn - now;
        if wait > MAX_WAIT {
            return Err(Refused::NameBusy);
        }
        failures.next_turn = turn;
        Ok(wait)
    }

    /// Notes a wrong password (or unknown name) for `name`.
    pub fn failed(&self, name: &str, now: Instant) {
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        if names.len() >= MAX_TRACKED_NAMES {
            names.retain(|_, f| now.duration_since(f.last) <= FORGET_AFTER);
        }
        let failures = names.entry(name.to_string()).or_insert(NameFailures {
            count: 0,
            last: now,
            next_turn: now,
        });
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
    }

    /// A successful login clears the name's failures.
    pub fn succeeded(&self, name: &str) {
        self.names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
    }

    pub fn count_verification(&self) {
        self.verifications.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    #[test]
    fn spacing_starts_after_the_free_failures_doubles_and_is_capped() {
        let delays: Vec<u128> = (0..=FREE_FAILURES + 3)
            .map(|n| delay_after(n).as_millis())
            .collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 50, 100, 200, 400]);
        assert_eq!(delay_after(40), MAX_DELAY);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn failures_from_many_addresses_slow_a_name_down_without_refusing_it() {
        let limits = LoginLimits::default();
        let start = Instant::now();
        let second = |n: u8| start + Duration::from_secs(n.into());
        for i in 0..10 {
            limits
                .admit("eva", address(i), second(i))
                .expect("admitted");
            limits.failed("eva", second(i));
        }
        let now = second(10);
        let first = limits.admit("eva", address(99), now).expect("not locked");
        let next = limits.admit("eva", address(98), now).expect("queued");
        assert_eq!(first, delay_after(10));
        assert_eq!(next, first * 2, "attempts at the same moment take turns");
        limits.succeeded("eva");
        assert_eq!(limits.admit("eva", address(97), now), Ok(Duration::ZERO));
    }

    #[test]
    fn a_long_queue_is_refused_and_old_failures_are_forgotten() {
        let limits = LoginLimits::default();
        let start = Instant::now();
        for _ in 0..20 {
            limits.failed("eva", start);
        }
        let mut refused = false;
        for i in 0..10 {
            refused |= limits.admit("eva", address(i), start) == Err(Refused::NameBusy);
        }
        assert!(refused, "turns further than a minute away are refused");
        let later = start + FORGET_AFTER + Duration::from_secs(1);
        assert_eq!(limits.admit("eva", address(50), later), Ok(Duration::ZERO));
    }

    #[test]
    fn one_address_guessing_one_name_is_refused_but_others_are_not() {
        let limits = LoginLimits::default();
        let now = Instant::now();
        for _ in 0..PER_NAME_AND_ADDRESS_PER_MINUTE {
            limits.admit("anna", address(1), now).expect("admitted");
        }
        assert_eq!(limits.admit("anna", address(1), now), Err(Refused::TooFast));
        assert!(limits.admit("anna", address(2), now).is_ok());
        assert!(limits.admit("bram", address(1), now).is_ok());
    }
}
