//! Reading the raw configuration: the TOML file with the line of every key, the environment
//! overrides on top of it, and typed extraction of one key at a time, so that every problem is
//! collected instead of stopping at serde's first error.
//!
//! The keys a section asks for are its known keys: whatever is left in a table when it is
//! finished is an unknown key, and the known ones are the candidates for "did you mean".

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::{ConfigError, ConfigErrors, Origin};

/// The prefix of every environment variable that overrides a key.
pub const ENV_PREFIX: &str = "VUXNAV_";
/// Separates nested keys in an environment variable name: `VUXNAV_GRAPHQL__MAX_DEPTH`.
pub const ENV_SEPARATOR: &str = "__";

/// An environment variable that set a key.
struct EnvOverride {
    var: String,
    /// The value as given, for keys that want a string when the value also parses as TOML
    /// (`VUXNAV_REGION__COUNTY=12` is a string to the county, not the integer 12).
    raw: String,
    /// Whether the name had a `__`, which only config keys have.
    nested: bool,
}

/// Collects the raw values and every problem found while reading them.
pub(super) struct Reader {
    file: Option<PathBuf>,
    /// The line of every key path in the file, array elements included (`a.b[2]`).
    lines: HashMap<String, usize>,
    /// The key paths set by environment variables.
    env: HashMap<String, EnvOverride>,
    problems: Vec<ConfigError>,
}

/// One table of the configuration being read.
pub(super) struct Table {
    path: String,
    entries: toml::Table,
    known: Vec<&'static str>,
}

impl Table {
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    pub(super) fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }
}

impl Reader {
    /// Reads the file (when there is one) and applies the environment overrides. Returns the
    /// reader and the root table.
    pub(super) fn new(path: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> (Self, Table) {
        let mut reader = Self {
            file: path.map(Path::to_path_buf),
            lines: HashMap::new(),
            env: HashMap::new(),
            problems: Vec::new(),
        };
        let mut root = toml::Table::new();
        if let Some(path) = path {
            match std::fs::read_to_string(path) {
                Ok(text) => root = reader.parse_file(&text),
                Err(error) => {
                    let message = if error.kind() == std::io::ErrorKind::NotFound {
                        "the file does not exist".to_owned()
                    } else {
                        format!("cannot read the file: {error}")
                    };
                    reader.problems.push(ConfigError {
                        origin: Some(Origin::File { path: path.to_path_buf(), line: None }),
                        key: String::new(),
                        message,
                    });
                }
            }
        }
        reader.apply_env(&mut root, env);
        (reader, Table { path: String::new(), entries: root, known: Vec::new() })
    }

    fn parse_file(&mut self, text: &str) -> toml::Table {
        let (document, errors) = DeTable::parse_recoverable(text);
        let syntax_errors = !errors.is_empty();
        for error in errors {
            let line = error.span().map(|span| line_of(text, span.start));
            self.problems.push(ConfigError {
                origin: self.file.clone().map(|path| Origin::File { path, line }),
                key: String::new(),
                message: format!("invalid TOML: {}", one_line(error.message())),
            });
        }
        record_lines(&mut self.lines, text, "", document.get_ref());
        match toml::Table::deserialize(toml::de::Deserializer::from(document)) {
            Ok(table) => table,
            Err(error) => {
                if !syntax_errors {
                    self.problems.push(ConfigError {
                        origin: self.file.clone().map(|path| Origin::File { path, line: None }),
                        key: String::new(),
                        message: format!("invalid TOML: {}", one_line(error.message())),
                    });
                }
                toml::Table::new()
            }
        }
    }

    fn apply_env(&mut self, root: &mut toml::Table, env: impl IntoIterator<Item = (String, String)>) {
        let mut vars: Vec<(String, String)> =
            env.into_iter().filter(|(name, _)| name.starts_with(ENV_PREFIX)).collect();
        // The process environment has no order; sort so that problems come out the same way.
        vars.sort();
        for (var, raw) in vars {
            let segments: Vec<String> =
                var[ENV_PREFIX.len()..].split(ENV_SEPARATOR).map(str::to_ascii_lowercase).collect();
            let nested = segments.len() > 1;
            if segments.iter().any(String::is_empty) {
                if nested {
                    self.problems.push(ConfigError {
                        origin: Some(Origin::Env { var }),
                        key: String::new(),
                        message: format!("not a config key: name nested keys like {ENV_PREFIX}GRAPHQL__MAX_DEPTH"),
                    });
                }
                continue;
            }
            let value = raw.parse::<toml::Value>().unwrap_or_else(|_| toml::Value::String(raw.clone()));
            insert(root, &segments, value);
            self.env.insert(segments.join("."), EnvOverride { var, raw, nested });
        }
    }

    /// Takes `key` out of `table` and deserialises it; `None` when it is absent or invalid
    /// (then the problem is recorded).
    pub(super) fn field<T: DeserializeOwned>(&mut self, table: &mut Table, key: &'static str) -> Option<T> {
        table.known.push(key);
        let value = table.entries.remove(key)?;
        let path = table.key_path(key);
        match value.try_into::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                if let Some(env) = self.env.get(&path)
                    && let Ok(value) = toml::Value::String(env.raw.clone()).try_into::<T>()
                {
                    return Some(value);
                }
                self.problem(&path, plain_serde_message(error.message()));
                None
            }
        }
    }

    /// Like [`Self::field`] for a secret string: a problem never shows the value.
    pub(super) fn secret(&mut self, table: &mut Table, key: &'static str) -> Option<String> {
        table.known.push(key);
        match table.entries.remove(key)? {
            toml::Value::String(value) => Some(value),
            other => {
                let path = table.key_path(key);
                self.problem(&path, format!("expected a string, found {}", other.type_str()));
                None
            }
        }
    }

    /// A field, deserialised as `T` and then parsed into a validated value.
    pub(super) fn parsed<T: DeserializeOwned, U>(
        &mut self,
        table: &mut Table,
        key: &'static str,
        parse: impl FnOnce(T) -> Result<U, String>,
    ) -> Option<U> {
        let raw = self.field(table, key)?;
        parse(raw).map_err(|message| self.problem(&table.key_path(key), message)).ok()
    }

    /// A file the configuration names, parsed by `read` from its path: a relative path is read
    /// from the configuration file's folder (as Prometheus reads its rule files), or from the
    /// working directory when there is no file.
    pub(super) fn file<U>(
        &mut self,
        table: &mut Table,
        key: &'static str,
        read: impl FnOnce(&Path) -> Result<U, String>,
    ) -> Option<U> {
        let folder = self.file.as_deref().and_then(Path::parent).map(Path::to_path_buf);
        self.parsed(table, key, |path: PathBuf| {
            let path = match folder {
                Some(folder) if path.is_relative() => folder.join(path),
                _ => path,
            };
            read(&path)
        })
    }

    /// An integer field within `range`.
    pub(super) fn bounded(
        &mut self,
        table: &mut Table,
        key: &'static str,
        range: RangeInclusive<usize>,
    ) -> Option<usize> {
        self.parsed(table, key, |value: usize| {
            if range.contains(&value) {
                Ok(value)
            } else if *range.end() == usize::MAX {
                Err(format!("must be at least {}, found {value}", range.start()))
            } else {
                Err(format!("must be from {} to {}, found {value}", range.start(), range.end()))
            }
        })
    }

    /// Takes the table `key` out of `parent`; an empty table when it is absent or not a table.
    pub(super) fn table(&mut self, parent: &mut Table, key: &'static str) -> Table {
        parent.known.push(key);
        let path = parent.key_path(key);
        let entries = match parent.entries.remove(key) {
            None => toml::Table::new(),
            Some(toml::Value::Table(entries)) => entries,
            Some(other) => {
                self.problem(&path, format!("expected a table, found {}", other.type_str()));
                toml::Table::new()
            }
        };
        Table { path, entries, known: Vec::new() }
    }

    /// Reports every key left in `table` as unknown.
    pub(super) fn finish(&mut self, table: Table) {
        for key in table.entries.keys() {
            let path = table.key_path(key);
            // A top-level `VUXNAV_…` variable without `__` that names no key is not ours: the
            // prefix is shared with secrets that sources reference by name and with test
            // settings such as `VUXNAV_TEST_DATABASE_URL`.
            if table.path.is_empty()
                && let Some(env) = self.env.get(&path)
                && !env.nested
            {
                continue;
            }
            let message = match did_you_mean(key, &table.known) {
                Some(suggestion) => format!("unknown key (did you mean {suggestion}?)"),
                None if table.known.is_empty() => "unknown key".to_owned(),
                None => format!("unknown key; the keys here are {}", table.known.join(", ")),
            };
            self.problem(&path, message);
        }
    }

    /// Records a problem with `key`, located where its value came from.
    /// Whether a problem was already recorded at `key`.
    pub(super) fn has_problem(&self, key: &str) -> bool {
        self.problems.iter().any(|problem| problem.key == key)
    }

    pub(super) fn problem(&mut self, key: &str, message: impl Into<String>) {
        let origin = self.origin(key);
        // One problem is one line, whatever a library put in its message.
        let message = one_line(&message.into());
        self.problems.push(ConfigError { origin, key: key.to_owned(), message });
    }

    /// `value` when nothing went wrong, else every problem.
    /// Problems come in file order (problems of the whole file first), then those from the
    /// environment; a problem the parser found twice is reported once.
    pub(super) fn into_result<T>(mut self, value: T) -> Result<T, ConfigErrors> {
        self.problems.sort_by_key(|problem| match &problem.origin {
            Some(Origin::File { line, .. }) => (0, line.unwrap_or(0)),
            Some(Origin::Env { .. }) => (1, 0),
            None => (2, 0),
        });
        self.problems.dedup();
        match ConfigErrors::new(self.problems) {
            Some(errors) => Err(errors),
            None => Ok(value),
        }
    }

    /// Where the value of `key` came from: the environment variable that set it or one of
    /// its parents, else the file and the line of the key or its nearest parent.
    fn origin(&self, key: &str) -> Option<Origin> {
        let paths = ancestors(key);
        if let Some(env) = paths.iter().find_map(|path| self.env.get(path)) {
            return Some(Origin::Env { var: env.var.clone() });
        }
        let path = self.file.clone()?;
        let line = paths.iter().find_map(|path| self.lines.get(path).copied());
        Some(Origin::File { path, line })
    }
}

fn insert(table: &mut toml::Table, segments: &[String], value: toml::Value) {
    let [first, rest @ ..] = segments else { return };
    if rest.is_empty() {
        table.insert(first.clone(), value);
        return;
    }
    let entry = table.entry(first.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if !entry.is_table() {
        *entry = toml::Value::Table(toml::Table::new());
    }
    if let toml::Value::Table(inner) = entry {
        insert(inner, rest, value);
    }
}

fn record_lines(lines: &mut HashMap<String, usize>, text: &str, prefix: &str, table: &DeTable<'_>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
        lines.insert(path.clone(), line_of(text, key.span().start));
        record_value_lines(lines, text, &path, value);
    }
}

fn record_value_lines(lines: &mut HashMap<String, usize>, text: &str, path: &str, value: &toml::Spanned<DeValue<'_>>) {
    match value.get_ref() {
        DeValue::Table(table) => record_lines(lines, text, path, table),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                lines.insert(item_path.clone(), line_of(text, item.span().start));
                record_value_lines(lines, text, &item_path, item);
            }
        }
        _ => {}
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A serde message in words an operator knows: `expected usize` is `expected an integer of
/// at least 0`.
fn plain_serde_message(message: &str) -> String {
    let mut message = one_line(message);
    for unsigned in ["usize", "u64", "u32", "u16", "u8"] {
        message = message.replace(&format!("expected {unsigned}"), "expected an integer of at least 0");
    }
    for signed in ["isize", "i64", "i32", "i16", "i8"] {
        message = message.replace(&format!("expected {signed}"), "expected an integer");
    }
    message
}

/// `a.b[2]`, `a.b`, `a`.
fn ancestors(key: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut current = key;
    while !current.is_empty() {
        paths.push(current.to_owned());
        match current.rfind(['.', '[']) {
            Some(i) => current = &current[..i],
            None => break,
        }
    }
    paths
}

fn did_you_mean<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).max(1);
    known
        .iter()
        .map(|candidate| (edit_distance(key, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_gets_the_closest_known_key_as_suggestion() {
        let known = ["max_depth", "max_complexity", "max_aliases"];
        assert_eq!(did_you_mean("max_depht", &known), Some("max_depth"));
        assert_eq!(did_you_mean("max_alias", &known), Some("max_aliases"));
        assert_eq!(did_you_mean("colour", &known), None);
    }

    #[test]
    fn the_ancestors_of_a_key_path_run_from_the_key_to_the_top() {
        assert_eq!(
            ancestors("region.municipalities[2]"),
            ["region.municipalities[2]", "region.municipalities", "region"]
        );
        assert_eq!(ancestors("listen"), ["listen"]);
    }

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
