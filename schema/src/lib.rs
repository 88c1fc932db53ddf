//! The canonical model of vuxnav.
//!
//! Every boundary (connector wire types, store entities, GraphQL objects, export rows) converts
//! to and from these types; they carry no serialisation or database derives on purpose, so each
//! boundary can change alone. Constructors validate: a value of a type here is a valid value.

#[macro_use]
mod codes;
mod access;
mod courses;
mod error;
mod id;
mod model;
mod municipality;
pub mod occasion;
mod registry;
mod release;
pub mod secret;
mod source;

pub use access::Role;
pub use codes::{
    ConfiguredField, CourseConfiguration, CreditsSystem, Eligibility, Language, ProviderKind, SchoolForm, StudyMode,
    TimeOfStudy,
};
pub use courses::{NationalCourse, national_course, national_courses};
pub use error::ModelError;
pub use id::{PublicId, SourceId};
pub use model::{
    Application, Coordinates, Course, CourseCode, Credits, Location, Offering, OrgNumber, Pace, Provenance, Provider,
    Schedule,
};
pub use municipality::{County, Municipality, MunicipalityCode, Region};
pub use registry::{
    AmountSek, Channel, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Occupation, OccupationId,
    OccupationLink, OpeningHours, Party, Payer, PriceList, PriceListEntry, PriceScope, PriceUnit, Registries,
    RegistryKey, SeqfLevel, SsykCode, TargetGroup, Taxonomy, ValidationKind, ValidationOffer, Validity,
};
pub use release::{Seen, SourceReport, StampedRegistries};
pub use secret::Secret;
pub use source::{Catalogue, SourceState, SourceStatus};
pub use source::{HarvestRun, RunCounts, RunEnd, RunHistory, RunId, RunOutcome, RunRejection};
