//! The events every connector reports, each emitted in one place as one log line and one
//! metric, so the shared conformance harness can check them and operators see the same thing
//! in logs and in Prometheus.
//!
//! Metrics (counters):
//! - [`REQUESTS_TOTAL`] (`vuxnav_connector_requests_total{source, outcome}`): one per HTTP
//!   attempt, `outcome` is `ok` or `error`.
//! - [`RECORDS_TOTAL`] (`vuxnav_connector_records_total{source, outcome}`): one per upstream
//!   record, `outcome` is `received` or `rejected`.
//! - [`RUNS_TOTAL`] (`vuxnav_harvest_runs_total{source, outcome}`): one per harvest run,
//!   `outcome` is `succeeded`, `failed` or `held` (by the harvest guard).
//!
//! No event carries a header value: secrets travel in headers and are never logged.

use std::time::Duration;

use vuxnav_schema::SourceId;

/// The name of the counter of HTTP attempts.
pub const REQUESTS_TOTAL: &str = "vuxnav_connector_requests_total";
/// The name of the counter of upstream records.
pub const RECORDS_TOTAL: &str = "vuxnav_connector_records_total";
/// The name of the counter of harvest runs.
pub const RUNS_TOTAL: &str = "vuxnav_harvest_runs_total";

/// A harvest run ended (its log line is the runner's summary of the run).
#[derive(Debug, Clone, Copy)]
pub struct RunFinished<'a> {
    pub source: &'a SourceId,
    /// `succeeded`, `failed` or `held`.
    pub outcome: &'static str,
}

impl RunFinished<'_> {
    pub fn emit(&self) {
        metrics::counter!(RUNS_TOTAL, "source" => self.source.to_string(), "outcome" => self.outcome).increment(1);
    }
}

/// An HTTP request to an upstream answered with a success status and its whole body was read.
#[derive(Debug, Clone, Copy)]
pub struct RequestSucceeded<'a> {
    pub source: &'a SourceId,
    pub url: &'a str,
    pub status: u16,
    /// The size of the body read.
    pub bytes: u64,
    /// From sending the request to the end of the body.
    pub elapsed: Duration,
}

impl RequestSucceeded<'_> {
    pub fn emit(&self) {
        tracing::debug!(
            source = %self.source,
            url = self.url,
            status = self.status,
            bytes = self.bytes,
            elapsed_ms = u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "upstream request succeeded"
        );
        metrics::counter!(REQUESTS_TOTAL, "source" => self.source.to_string(), "outcome" => "ok").increment(1);
    }
}

/// One attempt of an HTTP request failed; it may be retried.
#[derive(Debug, Clone, Copy)]
pub struct RequestFailed<'a> {
    pub source: &'a SourceId,
    pub url: &'a str,
    /// What went wrong, lowercase: `HTTP 503 Service Unavailable`, `timed out after 30s`.
    pub reason: &'a str,
    /// Which attempt failed, from 1.
    pub attempt: u32,
}

impl RequestFailed<'_> {
    pub fn emit(&self) {
        tracing::warn!(
            source = %self.source,
            url = self.url,
            reason = self.reason,
            attempt = self.attempt,
            "upstream request failed"
        );
        metrics::counter!(REQUESTS_TOTAL, "source" => self.source.to_string(), "outcome" => "error").increment(1);
    }
}

/// An upstream record was read (before normalisation decides whether it is kept).
#[derive(Debug, Clone, Copy)]
pub struct RecordReceived<'a> {
    pub source: &'a SourceId,
}

impl RecordReceived<'_> {
    pub fn emit(&self) {
        tracing::trace!(source = %self.source, "upstream record received");
        metrics::counter!(RECORDS_TOTAL, "source" => self.source.to_string(), "outcome" => "received").increment(1);
    }
}

/// An upstream record was left out of the run because a field is missing or broken.
#[derive(Debug, Clone, Copy)]
pub struct RecordRejected<'a> {
    pub source: &'a SourceId,
    pub upstream_id: &'a str,
    pub field: &'a str,
    pub reason: &'a str,
}

impl RecordRejected<'_> {
    pub fn emit(&self) {
        tracing::info!(
            source = %self.source,
            upstream_id = self.upstream_id,
            field = self.field,
            reason = self.reason,
            "upstream record rejected"
        );
        metrics::counter!(RECORDS_TOTAL, "source" => self.source.to_string(), "outcome" => "rejected").increment(1);
    }
}

impl<'a> RecordRejected<'a> {
    /// The event for a [`crate::Rejection`] of `source`.
    pub fn of(source: &'a SourceId, rejection: &'a crate::Rejection) -> Self {
        Self { source, upstream_id: &rejection.upstream_id, field: &rejection.field, reason: &rejection.reason }
    }
}
