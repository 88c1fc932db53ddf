//! Who asks, and what they may do.
//!
//! - [`Caller`]: the one value every admin resolver asks before it reads or writes: anonymous
//!   (no key) or an API key with its role and municipalities.
//! - [`KeyCheck`] (`keys.rs`): turns a bearer token into a `Caller` on the hot path, without a
//!   slow hash per request.
//! - [`Token`] (`token.rs`): the format of API tokens, made and checked here.
//! - [`policy`]: authorization as data: one table of role × operation → reach, which
//!   [`Caller::may`] reads and nothing else decides.
//!
//! HTTP attaches the caller to each request (`http::access`); the GraphQL transport stays
//! unaware of it and only hands it on through its request hook.

mod issue;
mod keys;
pub mod policy;
mod token;

use std::sync::Arc;

use vuxnav_schema::{MunicipalityCode, Role};
use vuxnav_store::{Actor, ApiKey, KeyId};

pub use issue::{IssueError, KeyRequest, MAX_NAME_CHARS, issue_key};
pub use keys::{CACHE_TTL, KeyCheck, Refused};
pub use policy::{Operation, Reach};
pub use token::{Malformed, PREFIX, Token};

/// What the region decides about access, from `[access]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccessSettings {
    /// Municipal admins may create partner keys for their municipalities
    /// (`municipal_partner_keys`, default `false`).
    pub municipal_partner_keys: bool,
}

/// Who makes a request: anonymous, or the holder of an API key. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Caller {
    key: Option<Arc<ApiKey>>,
    settings: AccessSettings,
}

impl Caller {
    /// A request without a key.
    pub fn anonymous() -> Self {
        Self { key: None, settings: AccessSettings::default() }
    }

    /// A request with a usable key.
    pub fn with_key(key: Arc<ApiKey>, settings: AccessSettings) -> Self {
        Self { key: Some(key), settings }
    }

    /// The key's role; `None` for an anonymous caller.
    pub fn role(&self) -> Option<Role> {
        self.key.as_ref().map(|key| key.role)
    }

    pub fn key(&self) -> Option<&ApiKey> {
        self.key.as_deref()
    }

    pub fn key_id(&self) -> Option<KeyId> {
        self.key.as_ref().map(|key| key.id)
    }

    pub fn is_anonymous(&self) -> bool {
        self.key.is_none()
    }

    /// The caller as the audit log names it.
    pub fn actor(&self) -> Actor {
        self.key.as_deref().map_or_else(Actor::anonymous, Actor::key)
    }

    /// How far this caller reaches for `operation`, by [`policy::POLICY`] and the region's
    /// settings.
    pub fn reach(&self, operation: Operation) -> Reach {
        match policy::reach(self.role(), operation) {
            Reach::OwnIfRegionAllows if self.settings.municipal_partner_keys => Reach::Own,
            Reach::OwnIfRegionAllows => Reach::None,
            reach => reach,
        }
    }

    /// Whether this caller may do `operation` on an object of `municipality`.
    pub fn may(&self, operation: Operation, municipality: MunicipalityCode) -> bool {
        match self.reach(operation) {
            Reach::Any => true,
            Reach::Own => self.municipalities().contains(&municipality),
            Reach::None | Reach::OwnIfRegionAllows => false,
        }
    }

    /// Whether this caller may do `operation` on objects of every one of `municipalities`
    /// (a key acting for several).
    pub fn may_all(&self, operation: Operation, municipalities: &[MunicipalityCode]) -> bool {
        match self.reach(operation) {
            Reach::Any => true,
            Reach::Own => municipalities.iter().all(|code| self.municipalities().contains(code)),
            Reach::None | Reach::OwnIfRegionAllows => false,
        }
    }

    /// The municipalities whose objects a list for `operation` shows: `None` for all of them,
    /// `Some(&[])` for none.
    pub fn visible(&self, operation: Operation) -> Option<&[MunicipalityCode]> {
        match self.reach(operation) {
            Reach::Any => None,
            Reach::Own => Some(self.municipalities()),
            Reach::None | Reach::OwnIfRegionAllows => Some(&[]),
        }
    }

    /// The municipalities the caller's key acts for (a municipal admin's scope).
    pub fn municipalities(&self) -> &[MunicipalityCode] {
        self.key.as_ref().map_or(&[], |key| key.municipalities.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn code(text: &str) -> MunicipalityCode {
        MunicipalityCode::parse(text).expect("a kommunkod")
    }

    fn caller(role: Role, municipalities: &[&str], settings: AccessSettings) -> Caller {
        let key = ApiKey {
            id: KeyId::new(1),
            name: "test".to_owned(),
            role,
            municipalities: municipalities.iter().map(|m| code(m)).collect(),
            hint: "vx_AbCd".to_owned(),
            created_at: Utc::now(),
            created_by: "command line".to_owned(),
            created_by_key: None,
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
        };
        Caller::with_key(Arc::new(key), settings)
    }

    #[test]
    fn a_municipal_admin_may_act_on_its_own_municipality_only() {
        let huddinge = caller(Role::MunicipalAdmin, &["0126"], AccessSettings::default());
        assert!(huddinge.may(Operation::UpdateSource, code("0126")));
        assert!(!huddinge.may(Operation::UpdateSource, code("0127")));
        assert!(!huddinge.may(Operation::AllowPrivateNetwork, code("0126")));
        assert_eq!(huddinge.visible(Operation::ReadSource), Some(&[code("0126")][..]));
    }

    #[test]
    fn partner_keys_from_municipal_admins_follow_the_region_setting() {
        let forbidden = caller(Role::MunicipalAdmin, &["0126"], AccessSettings { municipal_partner_keys: false });
        let allowed = caller(Role::MunicipalAdmin, &["0126"], AccessSettings { municipal_partner_keys: true });
        assert!(!forbidden.may(Operation::CreatePartnerKey, code("0126")));
        assert!(allowed.may(Operation::CreatePartnerKey, code("0126")));
        assert!(!allowed.may(Operation::CreatePartnerKey, code("0127")));
    }

    #[test]
    fn an_anonymous_caller_may_do_nothing_of_the_admin_api() {
        let anonymous = Caller::anonymous();
        for operation in Operation::ALL {
            assert!(!anonymous.may(operation, code("0126")), "{operation:?}");
        }
        assert_eq!(anonymous.actor(), Actor::anonymous());
    }
}
