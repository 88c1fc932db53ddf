//! The column reference of `docs/open-data.md`, generated from the table definitions, so the
//! document and the files cannot disagree (a test compares them).

use std::fmt::Write as _;

use crate::v1::TABLES;

/// The first line of the generated part of `docs/open-data.md`.
pub const BEGIN: &str = "<!-- generated from export/src/v1 by vuxnav_export::docs::tables; do not edit -->";
/// The line after it.
pub const END: &str = "<!-- end of generated tables -->";

/// One section per table: what a row is, its keys, and a line per column.
pub fn tables() -> String {
    let mut out = String::new();
    for table in TABLES {
        let _ = writeln!(out, "### `{}`: {}\n", table.name, table.title);
        let _ = writeln!(out, "{}\n", table.description);
        let _ = write!(
            out,
            "Files: `{}`, `{}`, `{}`. Primary key: `id`.",
            table.csv_path(),
            table.excel_path(),
            table.jsonl_path()
        );
        for key in table.foreign_keys {
            let _ = write!(out, " `{}` refers to `{}.id`.", key.column, key.table);
        }
        out.push_str("\n\n| column | type | required | meaning |\n|---|---|---|---|\n");
        for column in table.columns {
            let mut meaning = column.description.replace('|', "\\|");
            if let Some(pattern) = column.pattern {
                // A `|` would end the table's cell, even inside backticks.
                let _ = write!(meaning, " Pattern `{}`.", pattern.replace('|', "\\|"));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                column.name,
                column.kind.frictionless(),
                if column.required { "yes" } else { "no" },
                meaning
            );
        }
        out.push('\n');
    }
    out
}
