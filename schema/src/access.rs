//! Who may do what: the roles an API key carries. Anonymous callers have no key and no role
//! here; the gateway's `auth::Caller` stands for them.

code_list! {
    /// The role an API key carries (DESIGN.md section 9). A municipal admin's key is scoped to
    /// one or more kommunkoder; the other roles are region-wide.
    Role, field = "role" {
        /// Public read with higher rate limits than anonymous callers.
        Partner => ("partner", "partner"),
        /// Connects, tests and watches the sources of its own municipalities, and nothing of
        /// any other.
        MunicipalAdmin => ("municipal_admin", "kommunadministratör"),
        /// Everything: every municipality, keys of every role, private networks.
        RegionAdmin => ("region_admin", "regionadministratör"),
    }
}

impl Role {
    /// Whether a key of this role names the municipalities it may act for.
    pub fn is_scoped(self) -> bool {
        self == Self::MunicipalAdmin
    }
}
