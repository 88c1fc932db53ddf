//! The writers of a release's table files, and the delta as a streaming merge.
//!
//! Rows arrive table by table, each table in ascending order of id, and each row is written
//! to every format as it arrives: `csv/`, `excel/`, `jsonl/`, the shared `jsonld/graph` and the
//! shared `delta`. Nothing holds a table: memory is a row, a batch and the compressors'
//! windows, plus the ids of the study locations already in the graph.
//!
//! The delta merges the previous release's `jsonl/<table>.jsonl.gz` (read line by line, only
//! `id` and `content_hash`) with the rows being written, both in ascending order of id: an id
//! only in the previous release is a `delete`, an id only in this one or with another content
//! hash an `upsert`. Neither release is ever loaded whole. A previous file that turns out
//! unreadable, out of order or different from its manifest ends the delta (the manifest says
//! why); the rest of the release is written as usual.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::Arc;

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::jsonld::Graph;
use crate::manifest::{DeltaStatus, FileEntry, Manifest};
use crate::storage::{StagedFile, Storage};
use crate::v1::{Record, Table, Value, content_hash};
use crate::{ExportError, SCHEMA_VERSION};

/// Reports rows written: the table and its rows so far.
pub type Progress = Arc<dyn Fn(&'static str, u64) + Send + Sync>;

pub(crate) const GRAPH_PATH: &str = "jsonld/graph.jsonl.gz";
pub(crate) const DELTA_PATH: &str = "delta.jsonl.gz";

/// gzip level 6, zlib's default: within a few percent of the smallest files at a third of the
/// time of level 9.
fn compression() -> Compression {
    Compression::new(6)
}

/// A file of the staged release; counts and hashes the bytes on their way to it.
pub(crate) struct Tally {
    path: String,
    inner: Box<dyn StagedFile>,
    bytes: u64,
    hasher: Sha256,
}

impl Tally {
    pub(crate) fn create(storage: &dyn Storage, release: &str, path: &str) -> Result<Self, ExportError> {
        let inner = storage.create_staged(release, path)?;
        Ok(Self { path: path.to_owned(), inner, bytes: 0, hasher: Sha256::new() })
    }

    pub(crate) fn finish(self) -> Result<FileEntry, ExportError> {
        let Tally { path, inner, bytes, hasher } = self;
        inner.finish().map_err(|source| ExportError::Write { path: path.clone(), source })?;
        Ok(FileEntry { path, bytes, sha256: hex::encode(hasher.finalize()) })
    }

    fn error(&self) -> impl Fn(io::Error) -> ExportError + '_ {
        |source| ExportError::Write { path: self.path.clone(), source }
    }
}

impl Write for Tally {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type Gz = GzEncoder<Tally>;

fn gz(tally: Tally) -> Gz {
    GzEncoder::new(tally, compression())
}

fn finish_gz(gz: Gz, path: &str) -> Result<FileEntry, ExportError> {
    gz.finish().map_err(|source| ExportError::Write { path: path.to_owned(), source })?.finish()
}

/// A whole staged file written at once, such as `datapackage.json`.
pub(crate) fn write_file(
    storage: &dyn Storage,
    release: &str,
    path: &str,
    bytes: &[u8],
) -> Result<FileEntry, ExportError> {
    let mut tally = Tally::create(storage, release, path)?;
    tally.write_all(bytes).map_err(tally.error())?;
    tally.finish()
}

/// The files of the table being written.
struct TableFiles {
    table: &'static Table,
    csv: csv::Writer<Gz>,
    excel: csv::Writer<Tally>,
    jsonl: Gz,
    rows: u64,
    last_id: Option<String>,
    merge: Option<Merge>,
    text: String,
    line: Vec<u8>,
}

/// What the writers produced.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) files: Vec<FileEntry>,
    pub(crate) tables: BTreeMap<String, u64>,
    pub(crate) delta: DeltaStatus,
}

/// The previous release, as the delta reads it.
pub(crate) struct Previous {
    pub(crate) name: String,
    pub(crate) manifest: Manifest,
}

enum Delta {
    Active(Box<ActiveDelta>),
    Omitted(String),
}

struct ActiveDelta {
    out: Gz,
    previous: Previous,
    upserts: u64,
    deletes: u64,
}

/// Every writer of one release.
pub(crate) struct Writers {
    storage: Arc<dyn Storage>,
    release: String,
    current: Option<TableFiles>,
    graph: Option<Gz>,
    places: HashSet<Uuid>,
    delta: Delta,
    files: Vec<FileEntry>,
    tables: BTreeMap<String, u64>,
    progress: Option<Progress>,
}

impl Writers {
    /// Opens the shared files. `previous` is the release to compute the delta against, or why
    /// there is none; its table files are checked against its manifest first.
    pub(crate) fn new(
        storage: Arc<dyn Storage>,
        release: String,
        previous: Result<Previous, String>,
        progress: Option<Progress>,
    ) -> Result<Self, ExportError> {
        let graph = Some(gz(Tally::create(storage.as_ref(), &release, GRAPH_PATH)?));
        let delta = match previous.and_then(|previous| verify(storage.as_ref(), previous)) {
            Ok(previous) => Delta::Active(Box::new(ActiveDelta {
                out: gz(Tally::create(storage.as_ref(), &release, DELTA_PATH)?),
                previous,
                upserts: 0,
                deletes: 0,
            })),
            Err(reason) => Delta::Omitted(reason),
        };
        Ok(Self {
            storage,
            release,
            current: None,
            graph,
            places: HashSet::new(),
            delta,
            files: Vec::new(),
            tables: BTreeMap::new(),
            progress,
        })
    }

    fn create(&self, path: &str) -> Result<Tally, ExportError> {
        Tally::create(self.storage.as_ref(), &self.release, path)
    }

    /// Starts the table of `R`.
    pub(crate) fn begin<R: Record>(&mut self) -> Result<(), ExportError> {
        let table = R::TABLE;
        let header: Vec<&str> = table.columns.iter().map(|c| c.name).collect();

        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(gz(self.create(&table.csv_path())?));
        let csv_path = table.csv_path();
        csv.write_record(&header).map_err(|e| csv_error(&csv_path, e))?;

        let mut excel_file = self.create(&table.excel_path())?;
        excel_file.write_all("\u{feff}".as_bytes()).map_err(excel_file.error())?;
        let mut excel =
            csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(excel_file);
        excel.write_record(&header).map_err(|e| csv_error(&table.excel_path(), e))?;

        let jsonl = gz(self.create(&table.jsonl_path())?);
        let merge = match &self.delta {
            Delta::Active(active) => match Merge::open(self.storage.as_ref(), &active.previous, table) {
                Ok(merge) => Some(merge),
                Err(reason) => {
                    self.omit_delta(reason)?;
                    None
                }
            },
            Delta::Omitted(_) => None,
        };
        self.current = Some(TableFiles {
            table,
            csv,
            excel,
            jsonl,
            rows: 0,
            last_id: None,
            merge,
            text: String::with_capacity(256),
            line: Vec::with_capacity(2048),
        });
        Ok(())
    }

    /// Writes rows of the table begun last.
    pub(crate) fn push<R: Record>(&mut self, rows: &[R]) -> Result<(), ExportError> {
        let Some(mut files) = self.current.take() else {
            return Err(ExportError::WriterLost);
        };
        let result = self.push_into(&mut files, rows);
        let (table, count) = (files.table.name, files.rows);
        self.current = Some(files);
        result?;
        if let Some(progress) = &self.progress {
            progress(table, count);
        }
        Ok(())
    }

    fn push_into<R: Record>(&mut self, files: &mut TableFiles, rows: &[R]) -> Result<(), ExportError> {
        let table = files.table;
        for row in rows {
            let id = row.id();
            if let Some(previous) = &files.last_id
                && previous.as_str() >= id
            {
                return Err(ExportError::Unsorted { table: table.name, id: id.to_owned(), previous: previous.clone() });
            }
            let values = row.values();
            let hash = content_hash(&values);

            for value in &values {
                files.text.clear();
                value.render(&mut files.text);
                files.csv.write_field(&files.text).map_err(|e| csv_error(&table.csv_path(), e))?;
            }
            files.csv.write_field(&hash).map_err(|e| csv_error(&table.csv_path(), e))?;
            files.csv.write_record(None::<&[u8]>).map_err(|e| csv_error(&table.csv_path(), e))?;

            for value in &values {
                files.text.clear();
                excel_cell(value, &mut files.text);
                files.excel.write_field(&files.text).map_err(|e| csv_error(&table.excel_path(), e))?;
            }
            files.excel.write_field(&hash).map_err(|e| csv_error(&table.excel_path(), e))?;
            files.excel.write_record(None::<&[u8]>).map_err(|e| csv_error(&table.excel_path(), e))?;

            files.line.clear();
            json_object(table, &values, &hash, &mut files.line, &mut files.text);
            files.jsonl.write_all(&files.line).map_err(write_error(&table.jsonl_path()))?;
            files.jsonl.write_all(b"\n").map_err(write_error(&table.jsonl_path()))?;

            if let Some(merge) = &mut files.merge
                && let Delta::Active(active) = &mut self.delta
            {
                let ActiveDelta { out, upserts, deletes, .. } = active.as_mut();
                let step = merge.row(id, &hash, &files.line, out, upserts, deletes);
                if let Err(failure) = step {
                    files.merge = None;
                    self.fail_delta(failure)?;
                }
            }

            if let Some(graph) = &mut self.graph {
                let mut nodes = Graph::new(graph, &mut self.places);
                row.graph(&mut nodes).map_err(write_error(GRAPH_PATH))?;
            }

            files.rows += 1;
            files.last_id = Some(id.to_owned());
        }
        Ok(())
    }

    /// Ends the table begun last.
    pub(crate) fn end(&mut self) -> Result<(), ExportError> {
        let Some(files) = self.current.take() else {
            return Err(ExportError::WriterLost);
        };
        let table = files.table;
        if let Some(merge) = files.merge
            && let Delta::Active(active) = &mut self.delta
            && let Err(failure) = merge.finish(&mut active.out, &mut active.deletes)
        {
            self.fail_delta(failure)?;
        }
        let csv = files
            .csv
            .into_inner()
            .map_err(|e| ExportError::Write { path: table.csv_path(), source: e.into_error() })?;
        self.files.push(finish_gz(csv, &table.csv_path())?);
        let excel = files
            .excel
            .into_inner()
            .map_err(|e| ExportError::Write { path: table.excel_path(), source: e.into_error() })?;
        self.files.push(excel.finish()?);
        self.files.push(finish_gz(files.jsonl, &table.jsonl_path())?);
        self.tables.insert(table.name.to_owned(), files.rows);
        Ok(())
    }

    /// Finishes the shared files.
    pub(crate) fn finish(mut self) -> Result<Written, ExportError> {
        if let Some(graph) = self.graph.take() {
            self.files.push(finish_gz(graph, GRAPH_PATH)?);
        }
        let delta = match self.delta {
            Delta::Active(active) => {
                let ActiveDelta { out, previous, upserts, deletes } = *active;
                self.files.push(finish_gz(out, DELTA_PATH)?);
                DeltaStatus::Written { base: previous.name, upserts, deletes }
            }
            Delta::Omitted(reason) => DeltaStatus::Omitted { reason },
        };
        Ok(Written { files: self.files, tables: self.tables, delta })
    }

    /// Ends the delta with `failure` as the reason, and removes its file.
    fn fail_delta(&mut self, failure: MergeFailure) -> Result<(), ExportError> {
        match failure {
            MergeFailure::Previous(reason) => self.omit_delta(reason),
            MergeFailure::Write(source) => Err(ExportError::Write { path: DELTA_PATH.to_owned(), source }),
        }
    }

    fn omit_delta(&mut self, reason: String) -> Result<(), ExportError> {
        if let Delta::Active(_) = self.delta {
            tracing::warn!(release = %self.release, %reason, "the delta is omitted");
            // Dropping the encoder flushes into the staged file, which is then removed.
            self.delta = Delta::Omitted(reason);
            self.storage.remove_staged(&self.release, DELTA_PATH)?;
        }
        Ok(())
    }
}

fn csv_error(path: &str, error: csv::Error) -> ExportError {
    let source = match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    };
    ExportError::Write { path: path.to_owned(), source }
}

fn write_error(path: &str) -> impl Fn(io::Error) -> ExportError + '_ {
    move |source| ExportError::Write { path: path.to_owned(), source }
}

/// A value as `excel/` writes it: a decimal comma in numbers, and a text that a spreadsheet
/// would run as a formula (starting with `=`, `+`, `@`, a tab or a carriage return) behind an
/// apostrophe, which spreadsheets show as text.
fn excel_cell(value: &Value<'_>, out: &mut String) {
    match value {
        Value::Number(_) => {
            value.render(out);
            if let Some(point) = out.find('.') {
                out.replace_range(point..=point, ",");
            }
        }
        Value::Text(text) if text.starts_with(['=', '+', '@', '\t', '\r']) => {
            out.push('\'');
            out.push_str(text);
        }
        _ => value.render(out),
    }
}

/// The row as one JSON object, keys in column order, into `line` (no newline).
fn json_object(table: &Table, values: &[Value<'_>], hash: &str, line: &mut Vec<u8>, text: &mut String) {
    line.push(b'{');
    for (column, value) in table.columns.iter().zip(values.iter().chain([&Value::Text(hash)])) {
        if line.len() > 1 {
            line.push(b',');
        }
        line.push(b'"');
        line.extend_from_slice(column.name.as_bytes());
        line.extend_from_slice(b"\":");
        match value {
            Value::Null => line.extend_from_slice(b"null"),
            Value::Text(t) => json_string(line, t),
            Value::Integer(_) | Value::Boolean(_) => {
                text.clear();
                value.render(text);
                line.extend_from_slice(text.as_bytes());
            }
            Value::Number(n) => {
                let number = serde_json::Number::from_f64(*n);
                match number {
                    Some(number) => line.extend_from_slice(number.to_string().as_bytes()),
                    None => line.extend_from_slice(b"null"),
                }
            }
            Value::Date(_) | Value::Datetime(_) => {
                text.clear();
                value.render(text);
                json_string(line, text);
            }
        }
    }
    line.push(b'}');
}

fn json_string(line: &mut Vec<u8>, text: &str) {
    // Writing a `str` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *line, text);
}

/// Checks every table file of the previous release against its manifest, so the merge reads
/// only files that are whole.
fn verify(storage: &dyn Storage, previous: Previous) -> Result<Previous, String> {
    if previous.manifest.schema_version != SCHEMA_VERSION {
        return Err(format!(
            "the previous release {} has schema version {}, this one {SCHEMA_VERSION}",
            previous.name, previous.manifest.schema_version
        ));
    }
    for table in crate::v1::TABLES {
        let path = table.jsonl_path();
        let Some(entry) = previous.manifest.file(&path) else { continue };
        let full = format!("releases/{}/{path}", previous.name);
        let mut file = storage
            .read(&full)
            .map_err(|e| format!("cannot read {full}: {}", crate::chain(&e)))?
            .ok_or_else(|| format!("{full} is missing"))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 256 * 1024];
        let mut bytes = 0u64;
        loop {
            let n = file.read(&mut buffer).map_err(|e| format!("cannot read {full}: {e}"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            bytes += n as u64;
        }
        if bytes != entry.bytes || hex::encode(hasher.finalize()) != entry.sha256 {
            return Err(format!("{full} does not match the SHA-256 and size its manifest gives"));
        }
    }
    Ok(previous)
}

/// Why the merge stopped.
enum MergeFailure {
    /// The previous release cannot be read as it should: the delta is omitted.
    Previous(String),
    /// The delta file cannot be written: the release fails.
    Write(io::Error),
}

#[derive(Deserialize)]
struct IdAndHash {
    id: String,
    content_hash: String,
}

/// The lines of a previous release's gzipped table file.
type PreviousLines = std::io::Lines<BufReader<MultiGzDecoder<Box<dyn Read + Send>>>>;

/// One table's merge: the previous release's rows of the table, one ahead.
struct Merge {
    path: String,
    lines: Option<PreviousLines>,
    next: Option<IdAndHash>,
    /// `{"op":"upsert","table":"<name>","id":` and the like, built once.
    upsert: Vec<u8>,
    delete: Vec<u8>,
}

impl Merge {
    fn open(storage: &dyn Storage, previous: &Previous, table: &Table) -> Result<Self, String> {
        let path = format!("releases/{}/{}", previous.name, table.jsonl_path());
        // A table the previous release did not have: every row is new.
        let lines = if previous.manifest.file(&table.jsonl_path()).is_some() {
            let file = storage
                .read(&path)
                .map_err(|e| format!("cannot read {path}: {}", crate::chain(&e)))?
                .ok_or_else(|| format!("{path} is missing"))?;
            Some(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(file)).lines())
        } else {
            None
        };
        let mut merge = Self {
            path,
            lines,
            next: None,
            upsert: format!("{{\"op\":\"upsert\",\"table\":\"{}\",\"id\":", table.name).into_bytes(),
            delete: format!("{{\"op\":\"delete\",\"table\":\"{}\",\"id\":", table.name).into_bytes(),
        };
        merge.next = merge.read().map_err(|f| match f {
            MergeFailure::Previous(reason) => reason,
            MergeFailure::Write(e) => e.to_string(),
        })?;
        Ok(merge)
    }

    /// The next row of the previous release, checked to come after the last.
    fn read(&mut self) -> Result<Option<IdAndHash>, MergeFailure> {
        let Some(lines) = &mut self.lines else { return Ok(None) };
        let Some(line) = lines.next() else { return Ok(None) };
        let line = line.map_err(|e| MergeFailure::Previous(format!("cannot read {}: {e}", self.path)))?;
        let row: IdAndHash = serde_json::from_str(&line)
            .map_err(|e| MergeFailure::Previous(format!("{} holds a line that is not a row: {e}", self.path)))?;
        if let Some(before) = &self.next
            && before.id >= row.id
        {
            return Err(MergeFailure::Previous(format!("{} is not in ascending order of id", self.path)));
        }
        Ok(Some(row))
    }

    fn advance(&mut self) -> Result<(), MergeFailure> {
        self.next = self.read()?;
        Ok(())
    }

    fn row(
        &mut self,
        id: &str,
        hash: &str,
        record: &[u8],
        out: &mut Gz,
        upserts: &mut u64,
        deletes: &mut u64,
    ) -> Result<(), MergeFailure> {
        while let Some(gone) = self.next.take_if(|previous| previous.id.as_str() < id) {
            self.write_delete(&gone, out).map_err(MergeFailure::Write)?;
            *deletes += 1;
            self.advance()?;
        }
        let unchanged = match self.next.take_if(|previous| previous.id == id) {
            Some(same) => {
                self.advance()?;
                same.content_hash == hash
            }
            None => false,
        };
        if !unchanged {
            let mut line = Vec::with_capacity(record.len() + 128);
            line.extend_from_slice(&self.upsert);
            json_string(&mut line, id);
            line.extend_from_slice(b",\"hash\":");
            json_string(&mut line, hash);
            line.extend_from_slice(b",\"record\":");
            line.extend_from_slice(record);
            line.extend_from_slice(b"}\n");
            out.write_all(&line).map_err(MergeFailure::Write)?;
            *upserts += 1;
        }
        Ok(())
    }

    /// Every previous row left is a deletion.
    fn finish(mut self, out: &mut Gz, deletes: &mut u64) -> Result<(), MergeFailure> {
        while let Some(gone) = self.next.take() {
            self.write_delete(&gone, out).map_err(MergeFailure::Write)?;
            *deletes += 1;
            self.advance()?;
        }
        Ok(())
    }

    fn write_delete(&self, gone: &IdAndHash, out: &mut Gz) -> io::Result<()> {
        let mut line = Vec::with_capacity(160);
        line.extend_from_slice(&self.delete);
        json_string(&mut line, &gone.id);
        line.extend_from_slice(b",\"hash\":");
        json_string(&mut line, &gone.content_hash);
        line.extend_from_slice(b",\"record\":null}\n");
        out.write_all(&line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_cells_have_a_decimal_comma_and_no_formulas() {
        let cell = |value: Value<'_>| {
            let mut out = String::new();
            excel_cell(&value, &mut out);
            out
        };
        assert_eq!(cell(Value::Number(59.3293)), "59,3293");
        assert_eq!(cell(Value::Number(100.0)), "100");
        assert_eq!(cell(Value::Text("=HYPERLINK(\"x\")")), "'=HYPERLINK(\"x\")");
        assert_eq!(cell(Value::Text("Matematik 1c")), "Matematik 1c");
        assert_eq!(cell(Value::Integer(-5)), "-5");
    }
}
