//! The public GraphQL schema is a contract with partners: any change to it shows up here as a
//! snapshot diff, to be reviewed and documented as deliberate.

#[test]
fn the_public_schema_is_unchanged() {
    insta::assert_snapshot!("public_schema", vuxnav_gateway::graphql::sdl());
}

/// The admin schema is a contract with the region's and the municipalities' tools.
#[test]
fn the_admin_schema_is_unchanged() {
    insta::assert_snapshot!("admin_schema", vuxnav_gateway::graphql::admin::admin_sdl());
}

/// Who may do what is reviewed as a table: every change to it shows up here.
#[test]
fn the_authorization_table_is_unchanged() {
    insta::assert_snapshot!("authorization_policy", vuxnav_gateway::auth::policy::render());
}
