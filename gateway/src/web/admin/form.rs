//! The source form, generated from the JSON Schema of a source of one kind
//! (`connectors::describe::source_schema`), the description the config file and the admin API
//! share: a new kind has its form with nothing written here.
//!
//! [`SourceForm::new`] walks the schema into sections of inputs, one per field (a table keyed
//! by canonical field, such as `columns`, gives one input per field it may name), each named
//! by its dotted path (`connector.columns.title`), labelled by its Swedish title and described
//! by its doc comment. [`SourceForm::read`] turns a posted form back into a draft `[[source]]`
//! entry as JSON, checking what the schema says of each value's type on the way (a number, a
//! single character, a list, JSON); a value that fails is a problem at its input and is left
//! out of the draft, so the API's own check ([`crate::graphql::admin`]'s `validateSource`)
//! still reports every other problem at once. [`SourceForm::place`] puts each of those problems
//! at the input it names.
//!
//! What the schema describes that has no plain input (a tagged union such as `json_api`'s
//! `paging`, a table of headers) is a JSON text area: every field has an input.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// How an input is shown and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// One line of text.
    Text,
    /// A whole number, typed as text (so what was typed wrong is kept and shown).
    Integer,
    /// A decimal number, typed as text.
    Number,
    /// A check box: `true` when ticked.
    Checkbox,
    /// One of a few values.
    Select,
    /// A list of texts, one per line.
    Lines,
    /// Any number of a few values: a check box each, posted as `<name>.<value>` (the registry
    /// form's municipalities, channels).
    Choices,
    /// A table of texts, `key = value` per line.
    Pairs,
    /// Anything else, as JSON.
    Json,
    /// A fixed value (the connector's `kind`).
    Fixed,
}

/// A value a select offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// One input of the form.
#[derive(Debug, Clone)]
pub struct Input {
    /// The dotted path of the field: the form field's name.
    pub name: String,
    /// The element id: `f-` and the path with `-` for `.`.
    pub id: String,
    pub label: String,
    /// The field's description (from its doc comment, in English).
    pub help: Option<String>,
    pub control: Control,
    pub choices: Vec<Choice>,
    pub required: bool,
    /// At most this many characters (a single character: 1).
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// The value shown: what was typed, or the saved value, or nothing.
    pub value: String,
    /// Every problem found with it.
    pub problems: Vec<Message>,
}

/// A problem as shown: the form's own are Swedish; the API's are English (`lang="en"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub lang: &'static str,
}

impl Message {
    pub fn swedish(text: impl Into<String>) -> Self {
        Self { text: text.into(), lang: "sv" }
    }

    pub fn english(text: impl Into<String>) -> Self {
        Self { text: text.into(), lang: "en" }
    }
}

impl Input {
    /// The text control's `type` attribute; the form is `novalidate`, so a wrong value reaches
    /// the server and is answered there.
    pub fn is_textarea(&self) -> bool {
        matches!(self.control, Control::Lines | Control::Pairs | Control::Json)
    }

    pub fn is_checkbox(&self) -> bool {
        self.control == Control::Checkbox
    }

    pub fn is_select(&self) -> bool {
        self.control == Control::Select
    }

    pub fn is_choices(&self) -> bool {
        self.control == Control::Choices
    }

    /// Whether `value` is among those a [`Control::Choices`] holds (one per line).
    pub fn is_chosen(&self, value: &str) -> bool {
        self.value.lines().any(|chosen| chosen == value)
    }

    pub fn is_fixed(&self) -> bool {
        self.control == Control::Fixed
    }

    pub fn is_checked(&self) -> bool {
        self.value == "true"
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self.control, Control::Integer | Control::Number)
    }

    /// What `aria-describedby` names: the problem first, then the help.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.problems.is_empty() {
            ids.push(format!("{}-problem", self.id));
        }
        if self.help.is_some() {
            ids.push(format!("{}-help", self.id));
        }
        ids.join(" ")
    }

    /// Rows of a text area: enough for what it holds.
    pub fn rows(&self) -> usize {
        (self.value.lines().count() + 1).clamp(2, 12)
    }
}

/// A group of inputs: the entry's own fields, or one table of it (`connector.defaults`).
#[derive(Debug, Clone)]
pub struct Section {
    /// The dotted path of the table; empty for the entry itself.
    pub path: String,
    /// The table's title, with those of the tables it is in: `Koppling › Standardvärden`.
    pub legend: String,
    pub help: Option<String>,
    pub inputs: Vec<Input>,
    /// Problems of the table as a whole (a registry entry's opening hours across days).
    pub problems: Vec<Message>,
}

impl Section {
    /// The fieldset's element id: `s-` and the path with `-` for `.` and `_`.
    pub fn id(&self) -> String {
        format!("s-{}", self.path.replace(['.', '_'], "-"))
    }
}

/// The form of a source of one kind, with its values and problems.
#[derive(Debug, Clone)]
pub struct SourceForm {
    pub sections: Vec<Section>,
    /// Problems of the whole entry, or of a field no input shows.
    pub problems: Vec<Message>,
    /// The language of the help texts: `en` for a source (its config types' docs), `sv` for a
    /// registry entry.
    pub help_lang: &'static str,
}

impl SourceForm {
    /// The form that `schema` (of a `[[source]]` entry) describes, showing `values` (a saved or
    /// draft entry as JSON).
    pub fn new(schema: &Value, values: &Value) -> Self {
        let mut sections = Vec::new();
        let walker = Walker { defs: schema.get("$defs") };
        walker.object(schema, "", "Källa", None, &mut sections);
        let mut form = Self { sections, problems: Vec::new(), help_lang: "en" };
        for input in form.inputs_mut() {
            if let Some(value) = pointer(values, &input.name) {
                input.value = shown(value, input.control);
            }
        }
        form
    }

    /// Every input, in order.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.sections.iter().flat_map(|section| &section.inputs)
    }

    fn inputs_mut(&mut self) -> impl Iterator<Item = &mut Input> {
        self.sections.iter_mut().flat_map(|section| &mut section.inputs)
    }

    /// Whether any input or the entry has a problem.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
            || self.sections.iter().any(|section| !section.problems.is_empty())
            || self.inputs().any(|input| !input.problems.is_empty())
    }

    /// Every problem, for the summary at the top: (the element's id, its label, the problem);
    /// the entry's own are labelled `whole` and link nowhere.
    pub fn summary(&self, whole: &str) -> Vec<(String, String, Message)> {
        let mut all: Vec<(String, String, Message)> =
            self.problems.iter().map(|problem| (String::new(), whole.to_owned(), problem.clone())).collect();
        for section in &self.sections {
            for problem in &section.problems {
                all.push((section.id(), section.legend.clone(), problem.clone()));
            }
            for input in &section.inputs {
                for problem in &input.problems {
                    all.push((input.id.clone(), input.label.clone(), problem.clone()));
                }
            }
        }
        all
    }

    /// Reads a posted form (field name → text) into a draft entry, keeping what was typed in
    /// the inputs. Values of the wrong type are problems at their input and left out.
    pub fn read(&mut self, posted: &HashMap<String, String>) -> Value {
        let mut draft = Value::Object(Map::new());
        for input in self.inputs_mut() {
            let typed = posted.get(&input.name).map(String::as_str).unwrap_or_default();
            input.value = match input.control {
                Control::Checkbox => if posted.contains_key(&input.name) { "true" } else { "false" }.to_owned(),
                Control::Fixed => input.value.clone(),
                Control::Choices => input
                    .choices
                    .iter()
                    .filter(|choice| posted.contains_key(&format!("{}.{}", input.name, choice.value)))
                    .map(|choice| choice.value.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => typed.to_owned(),
            };
            match parse(input) {
                Ok(Some(value)) => insert(&mut draft, &input.name, value),
                Ok(None) => {}
                Err(problem) => input.problems.push(Message::swedish(problem)),
            }
        }
        draft
    }

    /// Shows the API's problems (`field` is a path inside the entry, `message` what is wrong)
    /// at the inputs they name: the input whose path is the longest that the field starts
    /// with, else the section whose path it is; a problem of no input's field is the entry's.
    pub fn place(&mut self, problems: impl IntoIterator<Item = (String, String)>) {
        for (field, message) in problems {
            let field = field.replace('[', ".[");
            let names_input = |input: &Input| field == input.name || field.starts_with(&format!("{}.", input.name));
            if !self.inputs().any(names_input)
                && let Some(section) =
                    self.sections.iter_mut().find(|section| !section.path.is_empty() && section.path == field)
            {
                section.problems.push(Message::english(message));
                continue;
            }
            let target = self.inputs_mut().filter(|input| names_input(input)).max_by_key(|input| input.name.len());
            match target {
                Some(input) => input.problems.push(Message::english(message)),
                None if field.is_empty() => self.problems.push(Message::english(message)),
                None => self.problems.push(Message::english(format!("{field}: {message}"))),
            }
        }
    }
}

/// Walks a schema into sections.
struct Walker<'s> {
    defs: Option<&'s Value>,
}

impl<'s> Walker<'s> {
    /// The schema `node` stands for: its `$ref` followed, and `anyOf [X, null]` (an optional
    /// value) read as X. Returns the schema and whether null is allowed.
    fn resolve(&self, node: &'s Value) -> (&'s Value, bool) {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            if let Some(target) = self.defs.and_then(|defs| defs.get(name)) {
                return self.resolve(target);
            }
        }
        if let Some(options) = node.get("anyOf").and_then(Value::as_array) {
            let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                options.iter().partition(|option| option.get("type") == Some(&Value::from("null")));
            if let ([_], [only]) = (nulls.as_slice(), others.as_slice()) {
                let (schema, _) = self.resolve(only);
                return (schema, true);
            }
        }
        (node, types(node).contains(&"null"))
    }

    /// A table with named fields: a section of its plain fields, then one per table in it.
    fn object(&self, node: &'s Value, path: &str, legend: &str, help: Option<String>, sections: &mut Vec<Section>) {
        let (node, _) = self.resolve(node);
        let required: Vec<&str> =
            node.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut section = Section {
            path: path.to_owned(),
            legend: legend.to_owned(),
            help,
            inputs: Vec::new(),
            problems: Vec::new(),
        };
        let mut tables = Vec::new();
        let properties = node.get("properties").and_then(Value::as_object).into_iter().flatten();
        // Required fields first, then the others, each in the schema's (alphabetical) order.
        let mut fields: Vec<(&String, &Value)> = properties.collect();
        fields.sort_by_key(|(name, _)| !required.contains(&name.as_str()));
        for (name, field) in fields {
            let field_path = join(path, name);
            let (schema, _) = self.resolve(field);
            let title = text(field, "title").or_else(|| text(schema, "title")).unwrap_or_else(|| name.clone());
            let help = text(field, "description").or_else(|| text(schema, "description"));
            let is_table = schema.get("properties").is_some() && schema.get("oneOf").is_none();
            if is_table || self.field_keys(schema).is_some() {
                tables.push((field, field_path, format!("{legend} › {title}"), help));
            } else {
                section.inputs.push(self.input(field, &field_path, title, help, required.contains(&name.as_str())));
            }
        }
        sections.push(section);
        for (field, field_path, legend, help) in tables {
            let (schema, _) = self.resolve(field);
            match self.field_keys(schema) {
                Some(keys) => self.keyed(schema, keys, &field_path, &legend, help, sections),
                None => self.object(schema, &field_path, &legend, help, sections),
            }
        }
    }

    /// The keys a table keyed by an enumeration may have (`propertyNames`): (key, title,
    /// description).
    fn field_keys(&self, node: &'s Value) -> Option<Vec<(String, String, Option<String>)>> {
        self.choices(node.get("propertyNames")?)
    }

    /// A table keyed by an enumeration: one input per key, of the table's value type.
    fn keyed(
        &self,
        node: &'s Value,
        keys: Vec<(String, String, Option<String>)>,
        path: &str,
        legend: &str,
        help: Option<String>,
        sections: &mut Vec<Section>,
    ) {
        let value = node.get("additionalProperties").unwrap_or(&Value::Null);
        let inputs = keys
            .into_iter()
            .map(|(key, title, description)| {
                let label = format!("{title} ({key})");
                self.input(value, &join(path, &key), label, description, false)
            })
            .collect();
        sections.push(Section { path: path.to_owned(), legend: legend.to_owned(), help, inputs, problems: Vec::new() });
    }

    /// The values of an enumeration: `enum`, or `oneOf` constants with their titles.
    fn choices(&self, node: &'s Value) -> Option<Vec<(String, String, Option<String>)>> {
        let (node, _) = self.resolve(node);
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            return values.iter().map(|v| v.as_str().map(|s| (s.to_owned(), s.to_owned(), None))).collect();
        }
        let options = node.get("oneOf").and_then(Value::as_array)?;
        options
            .iter()
            .map(|option| {
                let value = option.get("const")?.as_str()?.to_owned();
                let title = text(option, "title").unwrap_or_else(|| value.clone());
                Some((value, title, text(option, "description")))
            })
            .collect()
    }

    fn input(&self, field: &'s Value, path: &str, label: String, help: Option<String>, required: bool) -> Input {
        let (schema, nullable) = self.resolve(field);
        let kinds = types(schema);
        let mut choices = Vec::new();
        let control = if schema.get("const").is_some() {
            Control::Fixed
        } else if let Some(options) = self.choices(schema) {
            if nullable || !required {
                choices.push(Choice { value: String::new(), label: "(standard)".to_owned() });
            }
            choices.extend(options.into_iter().map(|(value, title, _)| {
                let label = if title == value { value.clone() } else { format!("{title} ({value})") };
                Choice { value, label }
            }));
            Control::Select
        } else if kinds.contains(&"boolean") && nullable {
            choices = vec![
                Choice { value: String::new(), label: "(standard)".to_owned() },
                Choice { value: "true".to_owned(), label: "Ja".to_owned() },
                Choice { value: "false".to_owned(), label: "Nej".to_owned() },
            ];
            Control::Select
        } else if kinds.contains(&"boolean") {
            Control::Checkbox
        } else if kinds.contains(&"integer") {
            Control::Integer
        } else if kinds.contains(&"number") {
            Control::Number
        } else if kinds.contains(&"string") {
            Control::Text
        } else if kinds.contains(&"array") && self.is_text(schema.get("items")) {
            Control::Lines
        } else if kinds.contains(&"object")
            && schema.get("properties").is_none()
            && self.is_text(schema.get("additionalProperties"))
        {
            Control::Pairs
        } else {
            Control::Json
        };
        let value = match (control, schema.get("const"), schema.get("default")) {
            (Control::Fixed, Some(fixed), _) => shown(fixed, control),
            (Control::Checkbox, _, Some(default)) => shown(default, control),
            (Control::Checkbox, _, None) => "false".to_owned(),
            _ => String::new(),
        };
        Input {
            name: path.to_owned(),
            id: format!("f-{}", path.replace(['.', '_'], "-")),
            label,
            help,
            control,
            choices,
            required,
            max_length: schema.get("maxLength").and_then(Value::as_u64),
            minimum: schema.get("minimum").and_then(Value::as_f64),
            maximum: schema.get("maximum").and_then(Value::as_f64),
            value,
            problems: Vec::new(),
        }
    }

    /// Whether `node` is plain text.
    fn is_text(&self, node: Option<&'s Value>) -> bool {
        node.is_some_and(|node| {
            let (node, _) = self.resolve(node);
            types(node) == ["string"]
        })
    }
}

/// The JSON types a schema allows.
fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn text(node: &Value, key: &str) -> Option<String> {
    node.get(key).and_then(Value::as_str).map(|text| text.replace('\n', " "))
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
}

/// The value at a dotted path of an entry.
fn pointer<'v>(values: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(values, |value, key| value.get(key)).filter(|value| !value.is_null())
}

/// Sets the value at a dotted path, making the tables on the way.
fn insert(draft: &mut Value, path: &str, value: Value) {
    let mut keys = path.split('.').peekable();
    let mut at = draft;
    while let Some(key) = keys.next() {
        let Some(table) = at.as_object_mut() else { return };
        if keys.peek().is_none() {
            table.insert(key.to_owned(), value);
            return;
        }
        at = table.entry(key.to_owned()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// A value as its input shows it.
pub fn shown(value: &Value, control: Control) -> String {
    match (value, control) {
        (Value::String(text), _) => text.clone(),
        (Value::Bool(yes), _) => yes.to_string(),
        (Value::Number(number), _) => number.to_string(),
        (Value::Array(items), Control::Lines | Control::Choices) => items
            .iter()
            .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join("\n"),
        (Value::Object(table), Control::Pairs) => table
            .iter()
            .map(|(key, value)| format!("{key} = {}", value.as_str().map_or_else(|| value.to_string(), str::to_owned)))
            .collect::<Vec<_>>()
            .join("\n"),
        (other, _) => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

/// What an input's text means as JSON: `None` when left empty (the field's default), or why
/// it cannot be read, in Swedish.
fn parse(input: &Input) -> Result<Option<Value>, String> {
    let typed = input.value.trim();
    if typed.is_empty() && !matches!(input.control, Control::Checkbox | Control::Fixed) {
        return Ok(None);
    }
    match input.control {
        Control::Fixed => Ok(Some(Value::from(input.value.clone()))),
        Control::Checkbox => Ok(Some(Value::Bool(input.value == "true"))),
        Control::Select => match typed {
            "true" if input.choices.iter().any(|c| c.label == "Ja") => Ok(Some(Value::Bool(true))),
            "false" if input.choices.iter().any(|c| c.label == "Nej") => Ok(Some(Value::Bool(false))),
            value if input.choices.iter().any(|choice| choice.value == value) => Ok(Some(Value::from(value))),
            value => Err(format!("”{value}” är inte ett av värdena i listan")),
        },
        Control::Integer => {
            let number: i64 = typed.parse().map_err(|_| format!("”{typed}” är inte ett heltal"))?;
            in_range(input, number as f64)?;
            Ok(Some(Value::from(number)))
        }
        Control::Number => {
            let number: f64 = typed.replace(',', ".").parse().map_err(|_| format!("”{typed}” är inte ett tal"))?;
            in_range(input, number)?;
            Ok(serde_json::Number::from_f64(number).map(Value::Number))
        }
        Control::Text => match input.max_length {
            Some(1) if typed.chars().count() != 1 && input.value.chars().count() != 1 => {
                Err(format!("ska vara ett enda tecken, inte ”{typed}”"))
            }
            Some(max) if input.value.chars().count() as u64 > max => Err(format!("högst {max} tecken")),
            // A single character such as a tab is kept as typed, not trimmed.
            Some(1) if input.value.chars().count() == 1 => Ok(Some(Value::from(input.value.clone()))),
            _ => Ok(Some(Value::from(typed))),
        },
        Control::Lines | Control::Choices => Ok(Some(Value::Array(
            typed.lines().map(str::trim).filter(|line| !line.is_empty()).map(Value::from).collect(),
        ))),
        Control::Pairs => {
            let mut table = Map::new();
            for (number, line) in typed.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
                let Some((key, value)) = line.split_once('=') else {
                    return Err(format!("rad {}: skriv ”nyckel = värde”", number + 1));
                };
                table.insert(key.trim().trim_matches('"').to_owned(), Value::from(value.trim().trim_matches('"')));
            }
            Ok(Some(Value::Object(table)))
        }
        Control::Json => serde_json::from_str(typed).map(Some).map_err(|error| format!("är inte giltig JSON: {error}")),
    }
}

fn in_range(input: &Input, number: f64) -> Result<(), String> {
    match (input.minimum, input.maximum) {
        (Some(min), _) if number < min => Err(format!("minst {min}")),
        (_, Some(max)) if number > max => Err(format!("högst {max}")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vuxnav_connectors::config::ConnectorKind;
    use vuxnav_connectors::describe::source_schema;

    use super::*;

    /// Every field the schema names, as dotted paths, down to the tables keyed by field.
    fn fields(schema: &Value) -> Vec<String> {
        let defs = schema.get("$defs");
        let walker = Walker { defs };
        let mut found = Vec::new();
        fn walk(walker: &Walker<'_>, node: &Value, path: &str, found: &mut Vec<String>) {
            let (node, _) = walker.resolve(node);
            for (name, field) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
                let field_path = join(path, name);
                found.push(field_path.clone());
                walk(walker, field, &field_path, found);
            }
        }
        walk(&walker, schema, "", &mut found);
        found
    }

    #[test]
    fn every_kinds_form_has_an_input_for_every_field_of_its_config_type() {
        for kind in ConnectorKind::ALL {
            let schema = source_schema(kind);
            let form = SourceForm::new(&schema, &Value::Null);
            let names: Vec<&str> = form.inputs().map(|input| input.name.as_str()).collect();
            let tables: Vec<&str> = form.sections.iter().map(|section| section.path.as_str()).collect();
            for field in fields(&schema) {
                let shown = names.contains(&field.as_str()) || tables.contains(&field.as_str());
                assert!(shown, "{kind}: no input for {field} in {names:?}");
            }
            assert!(names.contains(&"connector.kind"), "{kind}");
        }
    }

    #[test]
    fn a_table_keyed_by_canonical_field_has_one_input_per_field_with_its_swedish_title() {
        let form = SourceForm::new(&source_schema(ConnectorKind::Csv), &Value::Null);
        let title = form.inputs().find(|input| input.name == "connector.columns.title").expect("the title column");
        assert_eq!(title.label, "Titel (title)");
        assert_eq!(title.control, Control::Text);
        let values = form.inputs().find(|input| input.name == "connector.values.school_form").expect("a value map");
        assert_eq!(values.control, Control::Pairs);
        let encoding = form.inputs().find(|input| input.name == "connector.encoding").expect("the encoding");
        assert_eq!(encoding.control, Control::Select);
        assert!(encoding.choices.iter().any(|choice| choice.value == "windows-1252"));
    }

    #[test]
    fn a_posted_form_reads_back_into_the_entry_it_was_made_from() {
        let saved = json!({
            "id": "huddinge-kurser", "municipality": "0126", "schedule": "0 0 3 * * *", "enabled": false,
            "connector": { "kind": "csv", "url": "https://kurser.huddinge.example/export.csv", "delimiter": ";",
                           "date_formats": ["%Y-%m-%d"], "columns": { "upstream_id": "Id", "title": "Kurs" },
                           "values": { "school_form": { "gymnasial": "VUXGY" } },
                           "defaults": { "pace": 100, "school_form": "VUXGY" } },
        });
        let schema = source_schema(ConnectorKind::Csv);
        let shown = SourceForm::new(&schema, &saved);
        let posted: HashMap<String, String> = shown
            .inputs()
            .filter(|input| input.control != Control::Checkbox || input.is_checked())
            .map(|input| (input.name.clone(), input.value.clone()))
            .collect();
        let mut form = SourceForm::new(&schema, &Value::Null);
        let draft = form.read(&posted);
        assert!(!form.has_problems(), "{:?}", form.problems);
        let mut expected = saved.clone();
        expected["allow_private_network"] = json!(false);
        expected["connector"]["decimal_comma"] = json!(false);
        assert_eq!(draft, expected);
    }

    #[test]
    fn values_of_the_wrong_type_are_problems_at_their_inputs_and_are_kept_as_typed() {
        let mut form = SourceForm::new(&source_schema(ConnectorKind::Csv), &Value::Null);
        let posted: HashMap<String, String> = [
            ("id", "x"),
            ("connector.delimiter", "§§"),
            ("connector.defaults.pace", "snabbt"),
            ("connector.values.pace", "heltid"),
            ("guard.max_rejected_percent", "300"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        let draft = form.read(&posted);
        for name in
            ["connector.delimiter", "connector.defaults.pace", "connector.values.pace", "guard.max_rejected_percent"]
        {
            let input = form.inputs().find(|input| input.name == name).expect("the input");
            assert_eq!(input.problems.len(), 1, "{name}");
            assert_eq!(&input.value, &posted[name], "{name}: kept as typed");
            assert!(input.described_by().contains("-problem"), "{name}");
        }
        assert_eq!(draft.pointer("/connector/delimiter"), None, "left out of the draft");
        assert_eq!(draft.pointer("/id"), Some(&json!("x")));
    }

    #[test]
    fn the_apis_problems_are_placed_at_the_input_their_path_names() {
        let mut form = SourceForm::new(&source_schema(ConnectorKind::Csv), &Value::Null);
        form.place([
            ("connector.columns.title".to_owned(), "is required".to_owned()),
            ("connector.values.school_form.\"folkhögskola\"".to_owned(), "not a school form".to_owned()),
            ("connector.date_formats[0]".to_owned(), "not a format".to_owned()),
            ("colour".to_owned(), "unknown field".to_owned()),
        ]);
        let problems = |name: &str| form.inputs().find(|input| input.name == name).map(|input| input.problems.clone());
        assert_eq!(problems("connector.columns.title"), Some(vec![Message::english("is required")]));
        assert_eq!(problems("connector.values.school_form"), Some(vec![Message::english("not a school form")]));
        assert_eq!(problems("connector.date_formats"), Some(vec![Message::english("not a format")]));
        assert_eq!(form.problems, vec![Message::english("colour: unknown field")]);
    }

    fn text_input(name: &str, control: Control, choices: &[&str]) -> Input {
        Input {
            name: name.to_owned(),
            id: format!("f-{}", name.replace(['.', '_'], "-")),
            label: name.to_owned(),
            help: None,
            control,
            choices: choices.iter().map(|c| Choice { value: (*c).to_owned(), label: (*c).to_owned() }).collect(),
            required: false,
            max_length: None,
            minimum: None,
            maximum: None,
            value: String::new(),
            problems: Vec::new(),
        }
    }

    #[test]
    fn a_list_of_choices_reads_its_ticked_boxes_and_a_tables_own_problem_is_shown_at_its_section() {
        let section = |path: &str, inputs: Vec<Input>| Section {
            path: path.to_owned(),
            legend: path.to_owned(),
            help: None,
            inputs,
            problems: Vec::new(),
        };
        let mut form = SourceForm {
            sections: vec![
                section("", vec![text_input("channels", Control::Choices, &["plats", "video", "chatt"])]),
                section("opening_hours", vec![text_input("opening_hours.Mon", Control::Text, &[])]),
            ],
            problems: Vec::new(),
            help_lang: "sv",
        };
        let posted: HashMap<String, String> =
            [("channels.chatt", "true"), ("channels.plats", "true"), ("channels.fax", "true")]
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect();
        let draft = form.read(&posted);
        assert_eq!(draft, json!({ "channels": ["plats", "chatt"] }), "in the choices' order, unknown ones ignored");
        let channels = form.inputs().next().expect("the channels");
        assert!(channels.is_chosen("chatt") && !channels.is_chosen("video"));

        form.place([("opening_hours".to_owned(), "row 2 (Mon): overlaps row 1".to_owned())]);
        assert_eq!(form.sections[1].problems, vec![Message::english("row 2 (Mon): overlaps row 1")]);
        assert!(form.problems.is_empty());
        let summary = form.summary("Posten");
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].0, "s-opening-hours", "the summary links to the section");
    }
}
