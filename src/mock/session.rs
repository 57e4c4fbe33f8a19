//! Owns what a session is: its account, sliding expiry, second-factor
//! challenges and recent recovery failures, when it counts as unlocked under
//! an MFA policy, and the [`SessionView`] handlers and views get of it.
//!
//! Must not lock, hash, send codes or check them: `state`, `mfa` and
//! `recovery` do that with these values.

use time::OffsetDateTime;

use super::account::Factor;
use super::switches::MfaPolicy;

/// Describes one pending or passed second factor of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) factor: Factor,
    /// The full destination (e-mail or phone); `None` for TOTP.
    pub(crate) address: Option<String>,
    /// The code sent by e-mail/SMS; `None` for TOTP.
    pub(crate) code: Option<String>,
    pub(crate) attempts_left: u32,
    pub(crate) unlocked: bool,
    pub(crate) valid_until: OffsetDateTime,
}

/// Holds one logged-in token's session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) account: usize,
    pub(crate) last_used: OffsetDateTime,
    pub(crate) challenges: Vec<Challenge>,
    pub(crate) recovery_failures: Vec<OffsetDateTime>,
}

impl Session {
    /// Returns whether the session may act: no factor to pass, or the
    /// factors `policy` asks for are unlocked.
    pub(crate) fn is_unlocked(&self, policy: MfaPolicy) -> bool {
        self.challenges.is_empty()
            || match policy {
                MfaPolicy::All => self.challenges.iter().all(|c| c.unlocked),
                MfaPolicy::Any => self.challenges.iter().any(|c| c.unlocked),
            }
    }
}

/// Describes a session as handlers show it.
#[derive(Debug, Clone)]
pub(crate) struct SessionView {
    pub(crate) token: String,
    pub(crate) account: usize,
    pub(crate) last_used: OffsetDateTime,
    pub(crate) unlocked: bool,
    pub(crate) challenges: Vec<Challenge>,
}

impl SessionView {
    /// Returns the view of `session`, known by `token`, under `policy`.
    pub(crate) fn of(token: &str, session: &Session, policy: MfaPolicy) -> Self {
        Self {
            token: token.to_owned(),
            account: session.account,
            last_used: session.last_used,
            unlocked: session.is_unlocked(policy),
            challenges: session.challenges.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_decide_when_a_session_is_unlocked() {
        let challenge = |unlocked| Challenge {
            factor: Factor::Email,
            address: None,
            code: None,
            attempts_left: 3,
            unlocked,
            valid_until: OffsetDateTime::UNIX_EPOCH,
        };
        let session = |challenges| Session {
            account: 0,
            last_used: OffsetDateTime::UNIX_EPOCH,
            challenges,
            recovery_failures: Vec::new(),
        };
        assert!(session(vec![]).is_unlocked(MfaPolicy::All));
        let half = session(vec![challenge(true), challenge(false)]);
        assert!(!half.is_unlocked(MfaPolicy::All));
        assert!(half.is_unlocked(MfaPolicy::Any));
        assert!(!session(vec![challenge(false)]).is_unlocked(MfaPolicy::Any));
    }
}
