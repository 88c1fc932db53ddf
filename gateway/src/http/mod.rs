pub mod graphql_http;
