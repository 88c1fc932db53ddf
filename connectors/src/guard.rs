//! The harvest guard: whether a complete run may be committed, or must be held because it
//! looks like a mistake rather than a change (a wrong `decimal_comma` that rejects every
//! record, an export that came back empty, a filter that drops most of a municipality).
//!
//! [`judge`] is pure, like [`crate::runner::CircuitBreaker::admit`]: no clock, no I/O. It is
//! given what the run read and what committing it would do to the source's offerings (the
//! store works that out inside the transaction it would commit, so nothing can change in
//! between), and says [`Verdict::Commit`] or [`Verdict::Hold`] with the reason. A held run
//! stores nothing: the last good data keeps serving, the source shows `held` with the reason,
//! and it stays so until a run passes the guard or an operator accepts the source (an
//! unguarded run: `vuxnav harvest --accept SOURCE`).
//!
//! The three rules, with their defaults (`[harvest]` for every source, `[source.guard]` for
//! one):
//!
//! - **Most records rejected**: more than `max_rejected_percent` (default 50) of the records
//!   read were rejected.
//! - **Nothing read**: the run read no offering, and the source holds some.
//! - **Too much withdrawn**: committing would withdraw more than `max_withdrawn_percent`
//!   (default 50) of the offerings the source holds, when it holds at least
//!   [`MIN_HELD_FOR_SHARE`]; a new term's catalogue replaces much, but rarely more than half
//!   at once.

/// Below this many held offerings, the withdrawn share is not judged: a small source's
/// catalogue can change by half legitimately.
pub const MIN_HELD_FOR_SHARE: u64 = 20;

/// The default of `max_rejected_percent`.
pub const DEFAULT_MAX_REJECTED_PERCENT: u8 = 50;

/// The default of `max_withdrawn_percent`.
pub const DEFAULT_MAX_WITHDRAWN_PERCENT: u8 = 50;

/// The limits of the guard for one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardPolicy {
    /// The largest share of the records read, in percent (0 to 100), that may be rejected.
    pub max_rejected_percent: u8,
    /// The largest share of the held offerings, in percent (0 to 100), that one run may
    /// withdraw.
    pub max_withdrawn_percent: u8,
}

impl Default for GuardPolicy {
    fn default() -> Self {
        Self {
            max_rejected_percent: DEFAULT_MAX_REJECTED_PERCENT,
            max_withdrawn_percent: DEFAULT_MAX_WITHDRAWN_PERCENT,
        }
    }
}

/// A source's own limits (`[source.guard]`); each unset one is `[harvest]`'s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuardOverrides {
    pub max_rejected_percent: Option<u8>,
    pub max_withdrawn_percent: Option<u8>,
}

impl GuardPolicy {
    /// This policy with a source's own limits in place of its own.
    pub fn with(self, overrides: GuardOverrides) -> Self {
        Self {
            max_rejected_percent: overrides.max_rejected_percent.unwrap_or(self.max_rejected_percent),
            max_withdrawn_percent: overrides.max_withdrawn_percent.unwrap_or(self.max_withdrawn_percent),
        }
    }
}

/// What the guard judges: what the run read, and what committing it would do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proposal {
    /// Offerings the run read (after merging duplicates).
    pub offerings: u64,
    /// Records the run rejected.
    pub rejected: u64,
    /// Offerings the source holds before the commit.
    pub held: u64,
    /// Held offerings the commit would withdraw.
    pub withdrawn: u64,
    /// Whether the run read everything (an incremental run reads only changes, so reading no
    /// offering is normal for it).
    pub full: bool,
}

/// What the guard decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Commit,
    /// Not committed; the reason, lowercase, names the numbers and the limit.
    Hold(String),
}

/// Whether `proposal` may be committed under `policy`.
pub fn judge(policy: GuardPolicy, proposal: &Proposal) -> Verdict {
    let read = proposal.offerings + proposal.rejected;
    if proposal.rejected > 0 && exceeds(proposal.rejected, read, policy.max_rejected_percent) {
        return Verdict::Hold(format!(
            "rejected {} of {read} records, more than {} %: a configuration mistake is more likely than a real change",
            proposal.rejected, policy.max_rejected_percent
        ));
    }
    if proposal.full && proposal.offerings == 0 && proposal.held > 0 {
        return Verdict::Hold(format!("read no offerings, and the source holds {}", proposal.held));
    }
    if proposal.held >= MIN_HELD_FOR_SHARE && exceeds(proposal.withdrawn, proposal.held, policy.max_withdrawn_percent) {
        return Verdict::Hold(format!(
            "would withdraw {} of the {} offerings the source holds, more than {} %",
            proposal.withdrawn, proposal.held, policy.max_withdrawn_percent
        ));
    }
    Verdict::Commit
}

/// Whether `part` is more than `percent` % of `whole`.
fn exceeds(part: u64, whole: u64, percent: u8) -> bool {
    whole > 0 && u128::from(part) * 100 > u128::from(whole) * u128::from(percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(offerings: u64, rejected: u64, held: u64, withdrawn: u64) -> Proposal {
        Proposal { offerings, rejected, held, withdrawn, full: true }
    }

    fn held(verdict: Verdict) -> String {
        match verdict {
            Verdict::Hold(reason) => reason,
            Verdict::Commit => panic!("expected the run to be held"),
        }
    }

    #[test]
    fn a_run_that_rejects_every_record_is_held() {
        // Sundsvall with a wrong `decimal_comma`: 1,990 rows read, every one rejected.
        let reason = held(judge(GuardPolicy::default(), &proposal(0, 1_990, 1_044, 1_044)));
        assert_eq!(
            reason,
            "rejected 1990 of 1990 records, more than 50 %: a configuration mistake is more likely than a real change"
        );
    }

    #[test]
    fn a_run_that_reads_nothing_from_a_source_with_offerings_is_held() {
        assert_eq!(
            held(judge(GuardPolicy::default(), &proposal(0, 0, 12, 12))),
            "read no offerings, and the source holds 12"
        );
        assert_eq!(judge(GuardPolicy::default(), &proposal(0, 0, 0, 0)), Verdict::Commit, "a new empty source");
        let incremental = Proposal { full: false, ..proposal(0, 0, 500, 0) };
        assert_eq!(judge(GuardPolicy::default(), &incremental), Verdict::Commit, "no changes since the last run");
    }

    #[test]
    fn a_run_that_would_withdraw_more_than_the_share_is_held() {
        let reason = held(judge(GuardPolicy::default(), &proposal(400, 0, 1_000, 600)));
        assert_eq!(reason, "would withdraw 600 of the 1000 offerings the source holds, more than 50 %");
        assert_eq!(judge(GuardPolicy::default(), &proposal(500, 0, 1_000, 500)), Verdict::Commit, "exactly half");
        assert_eq!(judge(GuardPolicy::default(), &proposal(2, 0, 10, 8)), Verdict::Commit, "a small source");
    }

    #[test]
    fn a_few_rejections_and_a_normal_change_are_committed() {
        assert_eq!(judge(GuardPolicy::default(), &proposal(1_000, 30, 1_000, 200)), Verdict::Commit);
    }

    #[test]
    fn a_source_s_own_limits_replace_the_defaults() {
        let strict =
            GuardPolicy::default().with(GuardOverrides { max_rejected_percent: Some(5), max_withdrawn_percent: None });
        assert_eq!(strict.max_withdrawn_percent, DEFAULT_MAX_WITHDRAWN_PERCENT);
        assert!(matches!(judge(strict, &proposal(100, 10, 100, 0)), Verdict::Hold(_)));
        let lenient = GuardPolicy { max_rejected_percent: 100, max_withdrawn_percent: 100 };
        assert_eq!(judge(lenient, &proposal(1, 999, 1_000, 999)), Verdict::Commit);
    }
}
