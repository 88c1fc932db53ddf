//! Every scheduled job of `vuxnav serve`: each source's harvest ([`harvest`]), the read-model
//! refresh ([`refresh`]) and the nightly open-data release ([`release`]).
//!
//! Every periodic job runs through [`every`]: one loop that waits for the next time of a
//! [`Schedule`] (cron in Europe/Stockholm), does the work, and stops when asked, never in the
//! middle of the work. When several replicas share one PostgreSQL, this is the one place where
//! a job will take its lease from the store before it runs.

pub mod harvest;
pub mod refresh;
pub mod release;

use std::future::Future;

use chrono::Utc;
use tokio::sync::watch;
use vuxnav_connectors::schedule::Schedule;

/// Tells jobs to stop: no job starts its work after [`Stop::stop`]; work under way finishes.
#[derive(Debug, Clone)]
pub struct Stop(watch::Sender<bool>);

impl Stop {
    pub fn new() -> Self {
        Self(watch::Sender::new(false))
    }

    /// Asks every job to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    /// Completes once [`Stop::stop`] has been called.
    pub async fn stopped(&self) {
        let mut receiver = self.0.subscribe();
        let _ = receiver.wait_for(|stop| *stop).await;
    }

    fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }
}

impl Default for Stop {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `work` at each time of `schedule` until `stop`; logs and ends when the schedule has no
/// further time. The next time is computed after the work ends, so one job never overlaps
/// itself.
pub async fn every<F, Fut>(job: &str, schedule: &Schedule, stop: &Stop, mut work: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        let now = Utc::now();
        let Some(next) = schedule.next_after(now) else {
            tracing::info!(job, schedule = schedule.expression(), "the schedule names no further run");
            return;
        };
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = stop.stopped() => return,
        }
        if stop.is_stopped() {
            return;
        }
        work().await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_job_runs_when_it_is_due_and_ends_when_stopped() {
        let schedule = Schedule::parse("* * * * * *").expect("every second");
        let stop = Stop::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let job = every("test", &schedule, &stop, || {
            let (runs, stop) = (Arc::clone(&runs), stop.clone());
            async move {
                runs.fetch_add(1, Ordering::SeqCst);
                stop.stop();
            }
        });

        tokio::time::timeout(Duration::from_secs(30), job).await.expect("the job ends once stopped");

        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_stopped_job_never_starts_its_work() {
        let schedule = Schedule::parse("* * * * * *").expect("every second");
        let stop = Stop::new();
        stop.stop();
        let runs = AtomicUsize::new(0);

        every("test", &schedule, &stop, || async {
            runs.fetch_add(1, Ordering::SeqCst);
        })
        .await;

        assert_eq!(runs.load(Ordering::SeqCst), 0);
    }
}
