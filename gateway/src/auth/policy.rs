//! Authorization as data: [`POLICY`] says, for every operation of the admin API, how far each
//! role reaches. Every resolver asks [`Caller::may`](super::Caller::may) with the operation
//! and the municipality of the object; nothing else decides. The test
//! `tests/tests/api/authorization.rs` walks every role × operation × own/other municipality
//! over HTTP and checks the answer against this table, and a snapshot of the table itself
//! (`gateway/tests/snapshots`) makes every change to it visible in review.

use vuxnav_schema::Role;

/// What a caller may ask of the admin API. The object an operation acts on belongs to a
/// municipality: a source's, a run's source's, an audit entry's, a key's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// List sources and read a source's configuration and revisions.
    ReadSource,
    /// Validate or dry-run a draft configuration for a municipality.
    TestSource,
    CreateSource,
    /// Change a source's configuration, enable or disable it.
    UpdateSource,
    /// Delete a source, withdrawing its offerings.
    DeleteSource,
    /// Save a source with `allow_private_network = true`.
    AllowPrivateNetwork,
    /// Harvest a source now.
    HarvestNow,
    /// Store a run that the harvest guard held back.
    AcceptHeldRun,
    /// Read a source's runs and their rejections.
    ReadRuns,
    /// Read the audit log.
    ReadAudit,
    CreatePartnerKey,
    CreateMunicipalAdminKey,
    CreateRegionAdminKey,
    /// List keys.
    ReadKeys,
    RevokeKey,
    /// Link a course or package to an occupation (region-wide).
    CreateOccupationLink,
    DeleteOccupationLink,
    /// A validation offer belongs to every municipality it serves: a scoped caller must reach
    /// all of them, before and after the change.
    CreateValidationOffer,
    UpdateValidationOffer,
    DeleteValidationOffer,
    /// A guidance service belongs to every municipality it serves, as a validation offer does.
    CreateGuidanceService,
    UpdateGuidanceService,
    DeleteGuidanceService,
    /// A price of interkommunal ersättning (region-wide).
    CreatePrice,
    UpdatePrice,
    DeletePrice,
}

impl Operation {
    pub const ALL: [Operation; 26] = [
        Self::ReadSource,
        Self::TestSource,
        Self::CreateSource,
        Self::UpdateSource,
        Self::DeleteSource,
        Self::AllowPrivateNetwork,
        Self::HarvestNow,
        Self::AcceptHeldRun,
        Self::ReadRuns,
        Self::ReadAudit,
        Self::CreatePartnerKey,
        Self::CreateMunicipalAdminKey,
        Self::CreateRegionAdminKey,
        Self::ReadKeys,
        Self::RevokeKey,
        Self::CreateOccupationLink,
        Self::DeleteOccupationLink,
        Self::CreateValidationOffer,
        Self::UpdateValidationOffer,
        Self::DeleteValidationOffer,
        Self::CreateGuidanceService,
        Self::UpdateGuidanceService,
        Self::DeleteGuidanceService,
        Self::CreatePrice,
        Self::UpdatePrice,
        Self::DeletePrice,
    ];

    /// The operation's name, as the audit log records a denied attempt (`source.create`).
    pub fn name(self) -> &'static str {
        match self {
            Self::ReadSource => "source.read",
            Self::TestSource => "source.test",
            Self::CreateSource => "source.create",
            Self::UpdateSource => "source.update",
            Self::DeleteSource => "source.delete",
            Self::AllowPrivateNetwork => "source.allow_private_network",
            Self::HarvestNow => "source.harvest",
            Self::AcceptHeldRun => "run.accept",
            Self::ReadRuns => "run.read",
            Self::ReadAudit => "audit.read",
            Self::CreatePartnerKey => "key.create.partner",
            Self::CreateMunicipalAdminKey => "key.create.municipal_admin",
            Self::CreateRegionAdminKey => "key.create.region_admin",
            Self::ReadKeys => "key.read",
            Self::RevokeKey => "key.revoke",
            Self::CreateOccupationLink => "occupation_link.create",
            Self::DeleteOccupationLink => "occupation_link.delete",
            Self::CreateValidationOffer => "validation_offer.create",
            Self::UpdateValidationOffer => "validation_offer.update",
            Self::DeleteValidationOffer => "validation_offer.delete",
            Self::CreateGuidanceService => "guidance_service.create",
            Self::UpdateGuidanceService => "guidance_service.update",
            Self::DeleteGuidanceService => "guidance_service.delete",
            Self::CreatePrice => "price.create",
            Self::UpdatePrice => "price.update",
            Self::DeletePrice => "price.delete",
        }
    }

    /// Creating a key of `role`.
    pub fn create_key(role: Role) -> Self {
        match role {
            Role::Partner => Self::CreatePartnerKey,
            Role::MunicipalAdmin => Self::CreateMunicipalAdminKey,
            Role::RegionAdmin => Self::CreateRegionAdminKey,
        }
    }
}

/// How far a role reaches for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Not at all.
    None,
    /// Objects of the caller's own municipalities.
    Own,
    /// Objects of its own municipalities, when the region allows it in config
    /// (`[access] municipal_partner_keys = true`).
    OwnIfRegionAllows,
    /// Every object.
    Any,
}

/// The roles in the order of [`POLICY`]'s columns: no key, then each role a key can carry.
pub const COLUMNS: [Option<Role>; 4] = [None, Some(Role::Partner), Some(Role::MunicipalAdmin), Some(Role::RegionAdmin)];

use Reach::{Any, None as No, Own, OwnIfRegionAllows};

/// Who may do what. Columns: anonymous, partner, municipal admin, region admin.
#[rustfmt::skip]
pub const POLICY: [(Operation, [Reach; 4]); 26] = [
    //                                   anonymous  partner  municipal_admin     region_admin
    (Operation::ReadSource,              [No,       No,      Own,                Any]),
    (Operation::TestSource,              [No,       No,      Own,                Any]),
    (Operation::CreateSource,            [No,       No,      Own,                Any]),
    (Operation::UpdateSource,            [No,       No,      Own,                Any]),
    (Operation::DeleteSource,            [No,       No,      Own,                Any]),
    (Operation::AllowPrivateNetwork,     [No,       No,      No,                 Any]),
    (Operation::HarvestNow,              [No,       No,      Own,                Any]),
    (Operation::AcceptHeldRun,           [No,       No,      Own,                Any]),
    (Operation::ReadRuns,                [No,       No,      Own,                Any]),
    (Operation::ReadAudit,               [No,       No,      Own,                Any]),
    (Operation::CreatePartnerKey,        [No,       No,      OwnIfRegionAllows,  Any]),
    (Operation::CreateMunicipalAdminKey, [No,       No,      No,                 Any]),
    (Operation::CreateRegionAdminKey,    [No,       No,      No,                 Any]),
    (Operation::ReadKeys,                [No,       No,      Own,                Any]),
    (Operation::RevokeKey,               [No,       No,      Own,                Any]),
    (Operation::CreateOccupationLink,    [No,       No,      No,                 Any]),
    (Operation::DeleteOccupationLink,    [No,       No,      No,                 Any]),
    (Operation::CreateValidationOffer,   [No,       No,      Own,                Any]),
    (Operation::UpdateValidationOffer,   [No,       No,      Own,                Any]),
    (Operation::DeleteValidationOffer,   [No,       No,      Own,                Any]),
    (Operation::CreateGuidanceService,   [No,       No,      Own,                Any]),
    (Operation::UpdateGuidanceService,   [No,       No,      Own,                Any]),
    (Operation::DeleteGuidanceService,   [No,       No,      Own,                Any]),
    (Operation::CreatePrice,             [No,       No,      No,                 Any]),
    (Operation::UpdatePrice,             [No,       No,      No,                 Any]),
    (Operation::DeletePrice,             [No,       No,      No,                 Any]),
];

/// How far `role` (`None`: anonymous) reaches for `operation`.
pub fn reach(role: Option<Role>, operation: Operation) -> Reach {
    let column = COLUMNS.iter().position(|c| *c == role).unwrap_or(0);
    POLICY.iter().find(|(op, _)| *op == operation).map_or(Reach::None, |(_, reaches)| reaches[column])
}

/// The table as text, one line per operation: what the snapshot test keeps.
pub fn render() -> String {
    let mut text = String::from("operation                     anonymous  partner  municipal_admin     region_admin\n");
    for (operation, reaches) in POLICY {
        let cells: Vec<String> = reaches.iter().map(|reach| format!("{reach:?}")).collect();
        text.push_str(&format!(
            "{:<30}{:<11}{:<9}{:<20}{}\n",
            operation.name(),
            cells[0],
            cells[1],
            cells[2],
            cells[3]
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_exactly_one_row_in_the_table() {
        for operation in Operation::ALL {
            let rows = POLICY.iter().filter(|(op, _)| *op == operation).count();
            assert_eq!(rows, 1, "{operation:?}");
        }
    }

    #[test]
    fn anonymous_callers_and_partners_reach_nothing_of_the_admin_api() {
        for operation in Operation::ALL {
            assert_eq!(reach(None, operation), Reach::None, "{operation:?}");
            assert_eq!(reach(Some(Role::Partner), operation), Reach::None, "{operation:?}");
            assert_eq!(reach(Some(Role::RegionAdmin), operation), Reach::Any, "{operation:?}");
        }
    }

    #[test]
    fn a_municipal_admin_never_reaches_other_municipalities() {
        for operation in Operation::ALL {
            assert_ne!(reach(Some(Role::MunicipalAdmin), operation), Reach::Any, "{operation:?}");
        }
    }
}
