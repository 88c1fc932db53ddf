pub mod graphiql;
pub mod graphql_http;
