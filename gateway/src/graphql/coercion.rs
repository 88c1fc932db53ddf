//! Input coercion, checked before validation: the request's variables against the types the
//! selected operation declares, and the literal arguments in the document against the
//! schema's argument types. Every problem is an [`InputProblem`], answered `BAD_USER_INPUT`
//! naming the variable (`$filter.paceMin`) or the argument (`filter.municipalities[0]`).
//!
//! async-graphql checks argument values during validation only where it can, and not
//! variables that are missing, nor an input object given as `true`, nor an `Int` out of the
//! 32-bit range: those failed later, in the resolver, where they looked like a bug
//! (`INTERNAL`). So vuxnav does the spec's `CoerceVariableValues` and `CoerceArgumentValues`
//! checks itself, with the schema's registry for the types, and accepts exactly what
//! async-graphql's resolvers then parse: an `Int` is a whole JSON number from -2^31 to
//! 2^31 - 1, a `Float` any number, an `ID` a string or a whole number, an enum value its name
//! (as a string in variables; as a name or a string in the document), a single value where a
//! list is expected is a list of one, a custom scalar what its `is_valid` accepts. Whatever
//! else is wrong with a document (an unknown field or argument, a variable in a position of
//! another type) is left to validation.
//!
//! The walks keep their own stacks, so a deeply nested value costs no recursion; they stop
//! after [`MAX_PROBLEMS`].
//!
//! The registry is async-graphql's (`async_graphql::registry`, hidden from its docs but
//! public, and what its own validation uses).

use std::borrow::Cow;
use std::fmt;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use async_graphql::registry::{MetaInputValue, MetaType, MetaTypeName, Registry};
use async_graphql::{ErrorExtensionValues, Name, Pos, Positioned, ServerError, Variables};
use async_graphql_value::{ConstValue, Value};

use super::codes::Code;

/// At most this many problems are reported for one request.
pub const MAX_PROBLEMS: usize = 20;

/// A value given for a variable or an argument that does not coerce to its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// `$filter.municipalities[0]` for a variable, `filter.municipalities[0]` for an argument.
    pub path: String,
    /// For an argument: the field it belongs to.
    pub field: Option<String>,
    /// Lowercase, without the path: `must be an Int, not true`.
    pub reason: String,
    /// Where the variable is defined or the argument written.
    pub pos: Option<Pos>,
}

impl InputProblem {
    fn is_variable(&self) -> bool {
        self.path.starts_with('$')
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "argument `{}` of `{field}` {}", self.path, self.reason),
            None => write!(f, "variable `{}` {}", self.path, self.reason),
        }
    }
}

impl From<InputProblem> for ServerError {
    /// `BAD_USER_INPUT` with `extensions.variable` (`$filter.paceMin`) or
    /// `extensions.argument` (`filter.paceMin`).
    fn from(problem: InputProblem) -> Self {
        let mut error = ServerError::new(problem.to_string(), problem.pos);
        let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
        extensions.set("code", Code::BadUserInput.as_str());
        extensions.set(if problem.is_variable() { "variable" } else { "argument" }, problem.path.as_str());
        error
    }
}

/// Checks the variables of the operation `operation_name` selects (the only one when `None`)
/// and the literal arguments of every operation and fragment. Returns at most
/// [`MAX_PROBLEMS`] problems; none when everything coerces.
pub fn check(
    registry: &Registry,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Vec<InputProblem> {
    let mut checker = Checker { registry, problems: Vec::new() };
    if let Some(operation) = select(document, operation_name) {
        checker.variables(operation, variables);
    }
    checker.literals(document);
    checker.problems
}

/// The operation a request runs, as async-graphql selects it; `None` leaves the error to it.
fn select<'a>(document: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    let mut operations = document.operations.iter();
    match name {
        Some(name) => operations.find(|(candidate, _)| candidate.is_some_and(|c| c.as_str() == name)),
        None => operations.next().filter(|_| document.operations.iter().count() == 1),
    }
    .map(|(_, operation)| &operation.node)
}

/// A value to check: a variable's (`ConstValue`) or a literal in the document (`Value`, which
/// may hold variables).
trait Input: Sized {
    fn view(&self) -> View<'_, Self>;
    /// The value as a constant, for a scalar's `is_valid`; `None` when it holds a variable.
    fn as_const(&self) -> Option<Cow<'_, ConstValue>>;
}

enum View<'a, T> {
    Null,
    /// A variable inside a literal: its own value is checked against its declared type.
    Variable,
    Number(&'a async_graphql::Number),
    String(&'a str),
    Boolean,
    Binary,
    Enum(&'a str),
    List(&'a [T]),
    Object(&'a IndexMap<Name, T>),
}

impl Input for ConstValue {
    fn view(&self) -> View<'_, Self> {
        match self {
            Self::Null => View::Null,
            Self::Number(number) => View::Number(number),
            Self::String(text) => View::String(text),
            Self::Boolean(_) => View::Boolean,
            Self::Binary(_) => View::Binary,
            Self::Enum(name) => View::Enum(name),
            Self::List(items) => View::List(items),
            Self::Object(fields) => View::Object(fields),
        }
    }

    fn as_const(&self) -> Option<Cow<'_, ConstValue>> {
        Some(Cow::Borrowed(self))
    }
}

impl Input for Value {
    fn view(&self) -> View<'_, Self> {
        match self {
            Self::Variable(_) => View::Variable,
            Self::Null => View::Null,
            Self::Number(number) => View::Number(number),
            Self::String(text) => View::String(text),
            Self::Boolean(_) => View::Boolean,
            Self::Binary(_) => View::Binary,
            Self::Enum(name) => View::Enum(name),
            Self::List(items) => View::List(items),
            Self::Object(fields) => View::Object(fields),
        }
    }

    fn as_const(&self) -> Option<Cow<'_, ConstValue>> {
        self.clone().into_const().map(Cow::Owned)
    }
}

/// One step of a path: a field name or a list index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Name(&'a str),
    Index(usize),
}

struct Checker<'r> {
    registry: &'r Registry,
    problems: Vec<InputProblem>,
}

/// Where a value sits: the variable or argument, and the steps below it.
struct Place<'a> {
    root: &'a str,
    is_variable: bool,
    field: Option<&'a str>,
    pos: Pos,
}

impl<'r> Checker<'r> {
    fn full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    fn report(&mut self, place: &Place<'_>, steps: &[(usize, Step<'_>)], at: usize, reason: String) {
        if self.full() {
            return;
        }
        let mut path = String::new();
        if place.is_variable {
            path.push('$');
        }
        path.push_str(place.root);
        // `steps` is an arena of (parent + 1, step), 0 meaning the root; collect from `at` up.
        let mut chain = Vec::new();
        let mut cursor = at;
        while cursor > 0 {
            let (parent, step) = steps[cursor - 1];
            chain.push(step);
            cursor = parent;
        }
        for step in chain.iter().rev() {
            match step {
                Step::Name(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                Step::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        self.problems.push(InputProblem { path, field: place.field.map(str::to_owned), reason, pos: Some(place.pos) });
    }

    fn variables(&mut self, operation: &OperationDefinition, variables: &Variables) {
        for definition in &operation.variable_definitions {
            let definition = &definition.node;
            let name = definition.name.node.as_str();
            let ty = definition.var_type.node.to_string();
            let place = Place { root: name, is_variable: true, field: None, pos: definition.name.pos };
            match variables.get(name) {
                None if definition.default_value.is_none() && !definition.var_type.node.nullable => {
                    self.report(&place, &[], 0, format!("of type `{ty}` is required"));
                }
                None => {}
                Some(value) => self.value(&place, value, &ty),
            }
            if self.full() {
                return;
            }
        }
    }

    /// Literal arguments of fields and directives in every operation and fragment, with the
    /// type of the object each selection set is on.
    fn literals(&mut self, document: &ExecutableDocument) {
        let registry = self.registry;
        let roots = document
            .operations
            .iter()
            .map(|(_, operation)| {
                let root = match operation.node.ty {
                    async_graphql::parser::types::OperationType::Query => Some(registry.query_type.as_str()),
                    async_graphql::parser::types::OperationType::Mutation => registry.mutation_type.as_deref(),
                    async_graphql::parser::types::OperationType::Subscription => registry.subscription_type.as_deref(),
                };
                (&operation.node.selection_set, root)
            })
            .chain(document.fragments.values().map(|fragment| {
                (&fragment.node.selection_set, Some(fragment.node.type_condition.node.on.node.as_str()))
            }));
        let mut stack: Vec<(&Positioned<SelectionSet>, Option<&str>)> = roots.collect();
        while let Some((set, parent)) = stack.pop() {
            for item in &set.node.items {
                if self.full() {
                    return;
                }
                for directive in item.node.directives() {
                    let definition = registry.directives.get(directive.node.name.node.as_str());
                    let name = format!("@{}", directive.node.name.node);
                    for (argument, value) in &directive.node.arguments {
                        if let Some(meta) = definition.and_then(|d| d.args.get(argument.node.as_str())) {
                            self.argument(&name, argument, value, meta);
                        }
                    }
                }
                match &item.node {
                    // A leaf without arguments has nothing to check: most fields of a query.
                    Selection::Field(field)
                        if field.node.arguments.is_empty() && field.node.selection_set.node.items.is_empty() => {}
                    Selection::Field(field) => {
                        let meta = parent
                            .and_then(|parent| registry.types.get(parent))
                            .and_then(|parent| parent.field_by_name(&field.node.name.node));
                        for (argument, value) in &field.node.arguments {
                            if let Some(meta) = meta.and_then(|meta| meta.args.get(argument.node.as_str())) {
                                self.argument(&field.node.name.node, argument, value, meta);
                            }
                        }
                        let child = meta.map(|meta| MetaTypeName::concrete_typename(&meta.ty));
                        stack.push((&field.node.selection_set, child));
                    }
                    Selection::InlineFragment(fragment) => {
                        let on = fragment.node.type_condition.as_ref().map(|condition| condition.node.on.node.as_str());
                        stack.push((&fragment.node.selection_set, on.or(parent)));
                    }
                    Selection::FragmentSpread(_) => {}
                }
            }
        }
    }

    fn argument(&mut self, field: &str, name: &Positioned<Name>, value: &Positioned<Value>, meta: &MetaInputValue) {
        let place = Place { root: name.node.as_str(), is_variable: false, field: Some(field), pos: name.pos };
        self.value(&place, &value.node, &meta.ty);
    }

    /// Checks `value` against the type written `ty` (`[String!]!`), walking lists and input
    /// objects with a stack.
    fn value<V: Input>(&mut self, place: &Place<'_>, value: &V, ty: &str) {
        let registry = self.registry;
        // Arena of path steps: (parent + 1, step); a work item's `at` is its step + 1, 0 the root.
        let mut steps: Vec<(usize, Step<'_>)> = Vec::new();
        let mut work: Vec<(&V, Cow<'_, str>, usize)> = vec![(value, Cow::Owned(ty.to_owned()), 0)];
        while let Some((value, ty, at)) = work.pop() {
            if self.full() {
                return;
            }
            let view = value.view();
            if matches!(view, View::Variable) {
                continue;
            }
            match MetaTypeName::create(&ty) {
                MetaTypeName::NonNull(inner) => {
                    if matches!(view, View::Null) {
                        self.report(place, &steps, at, format!("of type `{ty}` must not be null"));
                    } else {
                        work.push((value, Cow::Owned(inner.to_owned()), at));
                    }
                }
                MetaTypeName::List(inner) => match view {
                    View::Null => {}
                    View::List(items) => {
                        for (index, item) in items.iter().enumerate().rev() {
                            steps.push((at, Step::Index(index)));
                            work.push((item, Cow::Owned(inner.to_owned()), steps.len()));
                        }
                    }
                    // One value where a list is expected is a list of one.
                    _ => work.push((value, Cow::Owned(inner.to_owned()), at)),
                },
                MetaTypeName::Named(name) => {
                    if matches!(view, View::Null) {
                        continue;
                    }
                    let Some(meta) = registry.types.get(name) else { continue };
                    match meta {
                        MetaType::Scalar { is_valid, .. } => {
                            if let Some(reason) = scalar_problem(name, value, is_valid.as_deref()) {
                                self.report(place, &steps, at, reason);
                            }
                        }
                        MetaType::Enum { enum_values, .. } => {
                            let given = match view {
                                View::String(text) | View::Enum(text) => Some(text),
                                _ => None,
                            };
                            if !given.is_some_and(|given| enum_values.contains_key(given)) {
                                let allowed: Vec<&str> = enum_values.keys().map(String::as_str).collect();
                                self.report(
                                    place,
                                    &steps,
                                    at,
                                    format!("must be one of {}, not {}", allowed.join(", "), shown(value)),
                                );
                            }
                        }
                        MetaType::InputObject { input_fields, oneof, .. } => {
                            let View::Object(given) = view else {
                                self.report(
                                    place,
                                    &steps,
                                    at,
                                    format!("must be an object of type {name}, not {}", shown(value)),
                                );
                                continue;
                            };
                            for key in given.keys().filter(|key| !input_fields.contains_key(key.as_str())) {
                                let fields: Vec<&str> = input_fields.keys().map(String::as_str).collect();
                                steps.push((at, Step::Name(key.as_str())));
                                let reason = format!("is not a field of {name}; its fields are {}", fields.join(", "));
                                self.report(place, &steps, steps.len(), reason);
                            }
                            if *oneof {
                                let set = given.values().filter(|value| !matches!(value.view(), View::Null)).count();
                                if given.len() != 1 || set != 1 {
                                    self.report(
                                        place,
                                        &steps,
                                        at,
                                        format!("of type {name} must have exactly one field, and it must not be null"),
                                    );
                                }
                            }
                            for (field_name, field) in input_fields.iter().rev() {
                                match given.get(field_name.as_str()) {
                                    Some(field_value) => {
                                        steps.push((at, Step::Name(field_name.as_str())));
                                        work.push((field_value, Cow::Borrowed(field.ty.as_str()), steps.len()));
                                    }
                                    None if field.default_value.is_none()
                                        && MetaTypeName::create(&field.ty).is_non_null() =>
                                    {
                                        steps.push((at, Step::Name(field_name.as_str())));
                                        let reason = format!("of type `{}` is required", field.ty);
                                        self.report(place, &steps, steps.len(), reason);
                                    }
                                    None => {}
                                }
                            }
                        }
                        // An output type as an input is a validation error, reported there.
                        _ => {}
                    }
                }
            }
        }
    }
}

/// Why `value` is not a valid `name` scalar; `None` when it is. The built-in scalars say what
/// they take; a custom one is asked through its `is_valid`.
fn scalar_problem<V: Input>(
    name: &str,
    value: &V,
    is_valid: Option<&(dyn Fn(&ConstValue) -> bool + Send + Sync)>,
) -> Option<String> {
    let view = value.view();
    let fine = match name {
        "Int" => {
            if let View::Number(number) = &view
                && let Some(whole) = number.as_i64()
                && i32::try_from(whole).is_err()
            {
                return Some(format!(
                    "must be an Int, a whole number from {} to {}; {whole} is out of range",
                    i32::MIN,
                    i32::MAX
                ));
            }
            matches!(&view, View::Number(number) if number.is_i64())
        }
        "Float" => matches!(view, View::Number(_)),
        "String" => matches!(view, View::String(_)),
        "Boolean" => matches!(view, View::Boolean),
        "ID" => matches!(&view, View::String(_)) || matches!(&view, View::Number(number) if number.is_i64()),
        _ => match (is_valid, value.as_const()) {
            (Some(is_valid), Some(value)) => is_valid(&value),
            _ => true,
        },
    };
    let expected = match name {
        "Int" => "an Int, a whole number from -2147483648 to 2147483647".to_owned(),
        "Float" => "a Float (a number)".to_owned(),
        "ID" => "an ID (a string or a whole number)".to_owned(),
        _ => format!("a {name}"),
    };
    (!fine).then(|| format!("must be {expected}, not {}", shown(value)))
}

/// A value as GraphQL writes it, cut short when long.
fn shown<V: Input>(value: &V) -> String {
    const LONGEST: usize = 40;
    let text = match value.as_const() {
        Some(value) => value.to_string(),
        None => "a value with variables".to_owned(),
    };
    let mut cut: String = text.chars().take(LONGEST).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}
