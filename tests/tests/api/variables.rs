//! Every variable type of the schema, read by introspection, given wrong values: missing, null
//! for a non-null type, the wrong JSON type, an `Int` out of range, an unknown enum value, an
//! unknown input field, each one level down in lists and input objects. Each is a request
//! error (no `data`, 400 under `application/graphql-response+json`) with `BAD_USER_INPUT`
//! naming the variable and the path (`$v.paceMin`, `$v[0]`), never `INTERNAL`. A right value of
//! each type is not refused.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json, text};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

const TYPE_REF: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

/// A type as a variable declares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ty {
    NonNull(Box<Ty>),
    List(Box<Ty>),
    Named(String),
}

impl Ty {
    fn from_introspection(value: &Value) -> Ty {
        match text(&value["kind"]) {
            "NON_NULL" => Ty::NonNull(Box::new(Ty::from_introspection(&value["ofType"]))),
            "LIST" => Ty::List(Box::new(Ty::from_introspection(&value["ofType"]))),
            _ => Ty::Named(text(&value["name"]).to_owned()),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::NonNull(inner) => write!(f, "{inner}!"),
            Ty::List(inner) => write!(f, "[{inner}]"),
            Ty::Named(name) => f.write_str(name),
        }
    }
}

/// The input side of the schema: each type's kind, input fields and enum values.
struct Schema {
    kinds: BTreeMap<String, String>,
    input_fields: BTreeMap<String, Vec<(String, Ty, bool)>>,
    enum_values: BTreeMap<String, Vec<String>>,
    /// Every argument of every field of every type: (type.field, argument, its type).
    arguments: Vec<(String, String, Ty)>,
    query_type: String,
}

async fn introspect(app: &TestApp) -> Schema {
    let query = format!(
        "{{ __schema {{ queryType {{ name }} types {{ name kind enumValues {{ name }} \
         inputFields {{ name defaultValue type {{ {TYPE_REF} }} }} \
         fields {{ name args {{ name type {{ {TYPE_REF} }} }} }} }} }} }}"
    );
    let data = app.data(&query, Value::Null).await;
    let mut schema = Schema {
        kinds: BTreeMap::new(),
        input_fields: BTreeMap::new(),
        enum_values: BTreeMap::new(),
        arguments: Vec::new(),
        query_type: text(&data["__schema"]["queryType"]["name"]).to_owned(),
    };
    for ty in data["__schema"]["types"].as_array().expect("types") {
        let name = text(&ty["name"]).to_owned();
        schema.kinds.insert(name.clone(), text(&ty["kind"]).to_owned());
        if let Some(values) = ty["enumValues"].as_array() {
            schema.enum_values.insert(name.clone(), values.iter().map(|v| text(&v["name"]).to_owned()).collect());
        }
        if let Some(fields) = ty["inputFields"].as_array() {
            let fields = fields
                .iter()
                .map(|f| {
                    (text(&f["name"]).to_owned(), Ty::from_introspection(&f["type"]), !f["defaultValue"].is_null())
                })
                .collect();
            schema.input_fields.insert(name.clone(), fields);
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            for argument in field["args"].as_array().into_iter().flatten() {
                schema.arguments.push((
                    format!("{name}.{}", text(&field["name"])),
                    text(&argument["name"]).to_owned(),
                    Ty::from_introspection(&argument["type"]),
                ));
            }
        }
    }
    schema
}

/// A wrong value (`None`: the variable is not given) and the path below `$v` it is wrong at.
type Wrong = (Option<Value>, String);

impl Schema {
    fn kind(&self, name: &str) -> &str {
        self.kinds.get(name).map(String::as_str).unwrap_or_else(|| panic!("no type {name}"))
    }

    /// Wrong values of `ty`, and every named type walked on the way into `walked`.
    fn wrong(&self, ty: &Ty, walked: &mut BTreeSet<String>) -> Vec<Wrong> {
        match ty {
            Ty::NonNull(inner) => {
                let mut wrong = vec![(None, String::new()), (Some(Value::Null), String::new())];
                wrong.extend(self.wrong(inner, walked));
                wrong
            }
            Ty::List(inner) => {
                let inner_wrong: Vec<Wrong> =
                    self.wrong(inner, walked).into_iter().filter(|(value, _)| value.is_some()).collect();
                let mut wrong: Vec<Wrong> = inner_wrong
                    .iter()
                    .map(|(value, path)| (Some(json!([value.clone().unwrap_or_default()])), format!("[0]{path}")))
                    .collect();
                // One value where a list is expected is a list of one: still wrong the same way.
                wrong.extend(inner_wrong.into_iter().filter(|(value, _)| !matches!(value, Some(Value::Null))).take(1));
                wrong
            }
            Ty::Named(name) => {
                walked.insert(name.clone());
                let here =
                    |values: Vec<Value>| values.into_iter().map(|v| (Some(v), String::new())).collect::<Vec<_>>();
                match (self.kind(name), name.as_str()) {
                    ("SCALAR", "Int") => {
                        here(vec![json!(true), json!("1"), json!(1.5), json!(3e9), json!(2_147_483_648_i64), json!({})])
                    }
                    ("SCALAR", "Float") => here(vec![json!("1.5"), json!(true), json!({})]),
                    ("SCALAR", "String") => here(vec![json!(true), json!(1), json!({}), json!(["x"])]),
                    ("SCALAR", "Boolean") => here(vec![json!("true"), json!(1), json!({})]),
                    ("SCALAR", "ID") => here(vec![json!(true), json!(1.5), json!({})]),
                    ("SCALAR", "Date") => {
                        here(vec![json!("2027-02-30"), json!("tomorrow"), json!(20270101), json!(true)])
                    }
                    ("SCALAR", other) => panic!("add wrong values for the scalar {other} to this test"),
                    ("ENUM", _) => here(vec![json!("NOPE"), json!(1), json!(true), json!({})]),
                    ("INPUT_OBJECT", _) => {
                        let mut wrong = here(vec![json!(true), json!("x"), json!(1)]);
                        wrong.push((Some(json!({ "noSuchField": 1 })), ".noSuchField".to_owned()));
                        for (field, field_ty, has_default) in &self.input_fields[name] {
                            for (value, path) in self.wrong(field_ty, walked) {
                                match value {
                                    Some(value) => {
                                        wrong.push((Some(json!({ field: value })), format!(".{field}{path}")))
                                    }
                                    // A required field left out of the object.
                                    None if !has_default => wrong.push((Some(json!({})), format!(".{field}"))),
                                    None => {}
                                }
                            }
                        }
                        wrong
                    }
                    (kind, _) => panic!("{name} is a {kind}, not an input type"),
                }
            }
        }
    }

    /// A right value of `ty`.
    fn right(&self, ty: &Ty) -> Value {
        match ty {
            Ty::NonNull(inner) => self.right(inner),
            Ty::List(inner) => json!([self.right(inner)]),
            Ty::Named(name) => match (self.kind(name), name.as_str()) {
                ("SCALAR", "Int") => json!(1),
                ("SCALAR", "Float") => json!(1.5),
                ("SCALAR", "String" | "ID") => json!("x"),
                ("SCALAR", "Boolean") => json!(true),
                ("SCALAR", "Date") => json!("2027-01-15"),
                ("ENUM", _) => json!(self.enum_values[name][0]),
                ("INPUT_OBJECT", _) => {
                    let required = self.input_fields[name]
                        .iter()
                        .filter(|(_, ty, has_default)| matches!(ty, Ty::NonNull(_)) && !has_default)
                        .map(|(field, ty, _)| (field.clone(), self.right(ty)));
                    Value::Object(required.collect())
                }
                (kind, _) => panic!("no right value for {name} ({kind})"),
            },
        }
    }
}

/// The query that passes `$v` as `argument` of `field`; `others` are the field's other required
/// arguments, already written as `, name: literal`.
fn query(field: &str, argument: &str, ty: &Ty, others: &str) -> String {
    format!("query Wrong($v: {ty}) {{ {field}({argument}: $v{others}) {{ __typename }} }}")
}

#[tokio::test]
async fn every_variable_type_of_the_schema_refuses_wrong_values_as_bad_user_input_naming_the_path() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let schema = introspect(&app).await;
        let root = format!("{}.", schema.query_type);
        // One argument of the query type for each argument type of the schema.
        let mut by_type: BTreeMap<Ty, (String, String)> = BTreeMap::new();
        for (field, argument, ty) in &schema.arguments {
            if let Some(field) = field.strip_prefix(&root) {
                by_type.entry(ty.clone()).or_insert((field.to_owned(), argument.clone()));
            }
        }
        for (field, argument, ty) in &schema.arguments {
            assert!(by_type.contains_key(ty), "{field}({argument}: {ty}): no field of the query type takes a {ty}");
        }

        let mut walked = BTreeSet::new();
        let mut cases = 0;
        for (ty, (field, argument)) in &by_type {
            // A field with several required arguments (`pathway(occupation, municipality)`)
            // gets right values for the others, written as literals (scalars only).
            let others: String = schema
                .arguments
                .iter()
                .filter(|(f, a, t)| *f == format!("{root}{field}") && a != argument && matches!(t, Ty::NonNull(_)))
                .map(|(_, a, t)| format!(", {a}: {}", schema.right(t)))
                .collect();
            let query = query(field, argument, ty, &others);
            for (value, path) in schema.wrong(ty, &mut walked) {
                let variables = value.as_ref().map(|value| json!({ "v": value })).unwrap_or_else(|| json!({}));
                let body = json!({ "query": query, "variables": variables }).to_string();
                let reply =
                    app.post(body, &[("content-type", "application/json"), ("accept", GRAPHQL_RESPONSE_JSON)]).await;
                let shown = format!("{}: {query} with {variables}", app.backend);
                assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{shown}: {}", reply.body);
                let body = reply.json();
                assert!(body.get("data").is_none(), "{shown}: a request error has no data: {body}");
                let expected = format!("$v{path}");
                let errors = body["errors"].as_array().cloned().unwrap_or_default();
                let error = errors.iter().find(|error| error["extensions"]["variable"] == expected.as_str());
                let Some(error) = error else { panic!("{shown}: no error names `{expected}`: {body}") };
                assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{shown}: {body}");
                assert!(text(&error["message"]).contains(&expected), "{shown}: the message names `{expected}`: {body}");
                assert!(errors.iter().all(|error| error["extensions"]["code"] != "INTERNAL"), "{shown}: {body}");
                cases += 1;
            }

            let variables = json!({ "v": schema.right(ty) });
            let reply = app.graphql_reply(&query, variables.clone()).await;
            let body = reply.json();
            let refused =
                body["errors"].as_array().into_iter().flatten().any(|e| e["extensions"]["variable"].is_string());
            assert!(
                reply.status == StatusCode::OK && body.get("data").is_some() && !refused,
                "{}: a right value is not refused: {query} with {variables}: {body}",
                app.backend
            );
        }
        let input_types: BTreeSet<&String> =
            schema.kinds.iter().filter(|(_, kind)| *kind == "INPUT_OBJECT").map(|(name, _)| name).collect();
        for name in input_types {
            assert!(walked.contains(name), "{}: the input type {name} was not walked", app.backend);
        }
        assert!(cases > 100, "{}: only {cases} wrong values", app.backend);
    }
}

#[tokio::test]
async fn a_variable_error_is_200_without_data_under_application_json() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let query = "query($filter: OfferingFilterInput) { offerings(filter: $filter) { totalCount } }";
        let (status, body) = app.graphql(query, json!({ "filter": { "paceMin": true } })).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
        assert!(body.get("data").is_none(), "{}: {body}", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{}: {body}", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["variable"], "$filter.paceMin", "{}: {body}", app.backend);
    }
}
