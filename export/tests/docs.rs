//! `docs/open-data.md` says what the files hold: its column reference is the table
//! definitions', and its Python example runs against a release.

mod support;

use std::path::Path;
use std::sync::Arc;

use support::{Memory, night, options};
use vuxnav_export::{LocalFolder, docs, publish};

fn document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/open-data.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_column_reference_in_open_data_md_is_generated_from_the_table_definitions() {
    let text = document();
    let begin = text.find(docs::BEGIN).expect("the begin marker") + docs::BEGIN.len();
    let end = text.find(docs::END).expect("the end marker");
    let written = text[begin..end].trim();
    let generated = docs::tables();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}\n{}\n{}", &text[..begin], generated.trim(), &text[end..]);
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/open-data.md"), updated).unwrap();
        return;
    }
    assert_eq!(
        written,
        generated.trim(),
        "run `UPDATE_DOCS=1 cargo test -p vuxnav-export --test docs` and review the diff"
    );
}

#[tokio::test]
async fn the_python_example_in_open_data_md_reads_a_release() {
    let text = document();
    let start = text.find("```python\n").expect("a Python example") + "```python\n".len();
    let example = &text[start..start + text[start..].find("```").expect("its end")];
    let dir = tempfile::tempdir().unwrap();
    let summary =
        publish(&Memory::sample(2, 25, night(0)), Arc::new(LocalFolder::new(dir.path())), &options(), night(0))
            .await
            .unwrap();
    let release = dir.path().join("releases").join(&summary.release);
    let output = std::process::Command::new("python3").arg("-c").arg(example).arg(&release).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Huddinge: 50\n");
}
