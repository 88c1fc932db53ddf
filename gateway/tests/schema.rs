//! The public GraphQL schema is a contract with partners: any change to it shows up here as a
//! snapshot diff, to be reviewed and documented as deliberate.

#[test]
fn the_public_schema_is_unchanged() {
    insta::assert_snapshot!("public_schema", vuxnav_gateway::graphql::sdl());
}
