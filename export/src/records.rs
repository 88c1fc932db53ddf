//! What the export reads: the store's records as streams, through [`Records`], which the
//! gateway implements over the store. The export never sees the store itself.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use vuxnav_schema::{Course, Offering, Provider, Seen, SourceReport, StampedRegistries};

use crate::RecordsError;

/// A stream of records of one table.
pub type RecordStream<'a, T> = BoxStream<'a, Result<T, RecordsError>>;

/// The records of one release, each table as a stream **in ascending order of public id**
/// (`PublicId`'s order, which is the order of its text; source ids in byte order), each id
/// once. A stream is asked for once per release and read to its end, or until it yields an
/// error, which stops the release.
///
/// Every stream should read one consistent state of the store (one read transaction), so
/// that every course and provider an offering names is in its table.
pub trait Records: Send + Sync {
    /// Every configured source.
    fn sources(&self) -> RecordStream<'_, SourceReport>;
    /// Every provider a held offering names.
    fn providers(&self) -> RecordStream<'_, Seen<Provider>>;
    /// Every course a held offering names.
    fn courses(&self) -> RecordStream<'_, Seen<Course>>;
    /// Every held (not withdrawn) offering.
    fn offerings(&self) -> RecordStream<'_, Offering>;
    /// Every entry of the region's registries, read in the same consistent state, in any
    /// order: they are small, so the release reads them at once and orders the rows itself.
    fn registries(&self) -> BoxFuture<'_, Result<StampedRegistries, RecordsError>>;
}
