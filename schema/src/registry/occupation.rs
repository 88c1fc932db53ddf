//! Occupations: a pinned snapshot of JobTech Taxonomy `occupation-name` concepts, shipped as
//! data (`schema/taxonomy/occupations.tsv`), and the region's links from courses and yrkesvux
//! packages to the occupations they lead to.

use std::sync::LazyLock;

use crate::{CourseCode, ModelError};

/// The shipped snapshot; see [`Taxonomy::pinned`].
const PINNED: &str = include_str!("../../taxonomy/occupations.tsv");

/// A JobTech Taxonomy concept id, such as `Y3QA_5pk_uXd`. Only [`Taxonomy::occupation_id`]
/// makes one, so every `OccupationId` names an occupation of the pinned snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationId(String);

impl OccupationId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the shape `xxxx_xxx_xxx` (letters and digits); the snapshot decides existence.
    fn parse_shape(value: &str) -> Option<Self> {
        let parts: Vec<&str> = value.split('_').collect();
        let shaped = parts.len() == 3
            && [4, 3, 3].iter().zip(&parts).all(|(len, part)| part.len() == *len)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric()));
        shaped.then(|| Self(value.to_owned()))
    }
}

impl std::fmt::Display for OccupationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A SSYK 2012 unit group (level 4), such as `5321`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SsykCode(u16);

impl SsykCode {
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let value = value.trim();
        match value.parse::<u16>() {
            Ok(code) if value.len() == 4 && (1000..=9999).contains(&code) => Ok(Self(code)),
            _ => Err(ModelError::new("ssyk", format!("`{value}` is not a SSYK 2012 level-4 code such as `5321`"))),
        }
    }

    /// The four digits.
    pub fn code(self) -> String {
        self.0.to_string()
    }
}

/// An occupation of the pinned taxonomy snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupation {
    pub id: OccupationId,
    /// JobTech's preferred label, such as `Undersköterska, hemtjänst och äldreboende`.
    pub label: String,
    pub ssyk: SsykCode,
    /// The SSYK 2012 group's label, such as `Undersköterskor, hemtjänst, hemsjukvård och äldreboende`.
    pub ssyk_label: String,
    /// vuxnav's own search words (`usk`, `elektriker`), not the taxonomy's.
    pub search_words: Vec<String>,
}

/// A pinned snapshot of occupations, labelled with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// The snapshot's own name, such as `vuxnav-occupations-2026-1`.
    pub snapshot: String,
    /// The JobTech Taxonomy version the snapshot was taken from, or what is known about it.
    pub version: String,
    /// Where the ids and labels came from.
    pub source: String,
    /// Ordered by id.
    occupations: Vec<Occupation>,
}

static PINNED_TAXONOMY: LazyLock<Result<Taxonomy, ModelError>> = LazyLock::new(|| Taxonomy::parse(PINNED));

impl Taxonomy {
    /// The snapshot shipped with vuxnav (`schema/taxonomy/occupations.tsv`), parsed once.
    pub fn pinned() -> Result<&'static Taxonomy, ModelError> {
        PINNED_TAXONOMY.as_ref().map_err(Clone::clone)
    }

    /// Parses a snapshot file: `# key: value` lines for `snapshot`, `taxonomy-version` and
    /// `source`, a header line, then one tab-separated occupation per line. An error names
    /// the line.
    pub fn parse(text: &str) -> Result<Taxonomy, ModelError> {
        let field = "taxonomy";
        let meta = |key: &str| {
            text.lines()
                .filter_map(|line| line.strip_prefix('#'))
                .find_map(|line| line.trim().strip_prefix(key)?.strip_prefix(':').map(|v| v.trim().to_owned()))
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ModelError::new(field, format!("the snapshot has no `# {key}:` line")))
        };
        let (snapshot, version, source) = (meta("snapshot")?, meta("taxonomy-version")?, meta("source")?);
        let mut occupations: Vec<Occupation> = Vec::new();
        let rows = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()).skip(1);
        for (index, line) in rows {
            let error = |reason: String| ModelError::new(field, format!("line {}: {reason}", index + 1));
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [id, label, ssyk, ssyk_label, words] = cells[..] else {
                return Err(error(format!("has {} columns, not 5", cells.len())));
            };
            let id = OccupationId::parse_shape(id)
                .ok_or_else(|| error(format!("`{id}` is not a taxonomy concept id such as `Y3QA_5pk_uXd`")))?;
            if label.is_empty() || ssyk_label.is_empty() {
                return Err(error("a label is empty".to_owned()));
            }
            let ssyk = SsykCode::parse(ssyk).map_err(|e| error(e.reason))?;
            if occupations.iter().any(|o| o.id == id) {
                return Err(error(format!("occupation `{id}` is listed twice")));
            }
            let search_words = words.split('|').map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect();
            occupations.push(Occupation {
                id,
                label: label.to_owned(),
                ssyk,
                ssyk_label: ssyk_label.to_owned(),
                search_words,
            });
        }
        if occupations.is_empty() {
            return Err(ModelError::new(field, "the snapshot lists no occupations"));
        }
        occupations.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Taxonomy { snapshot, version, source, occupations })
    }

    /// Every occupation, ordered by id.
    pub fn occupations(&self) -> &[Occupation] {
        &self.occupations
    }

    /// The occupation with this id, or an error naming the id and the snapshot.
    pub fn occupation(&self, id: &str) -> Result<&Occupation, ModelError> {
        let id = id.trim();
        self.occupations.binary_search_by(|o| o.id.as_str().cmp(id)).map(|i| &self.occupations[i]).map_err(|_| {
            ModelError::new("occupation", format!("`{id}` is not an occupation of taxonomy snapshot {}", self.snapshot))
        })
    }

    /// [`Taxonomy::occupation`]'s id: how an id from outside becomes an [`OccupationId`].
    pub fn occupation_id(&self, id: &str) -> Result<OccupationId, ModelError> {
        self.occupation(id).map(|o| o.id.clone())
    }
}

/// The region's statement that a course or a yrkesvux package (by its code) leads to an
/// occupation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationLink {
    pub course: CourseCode,
    pub occupation: OccupationId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned() -> &'static Taxonomy {
        Taxonomy::pinned().expect("the shipped snapshot parses")
    }

    #[test]
    fn the_shipped_snapshot_holds_the_twenty_confirmed_occupations_with_their_provenance() {
        let taxonomy = pinned();
        assert_eq!(taxonomy.occupations().len(), 20);
        assert_eq!(taxonomy.snapshot, "vuxnav-occupations-2026-1");
        assert!(taxonomy.source.contains("f6e001a2713adbea14c6b59b0d521a436b66fb50"), "{}", taxonomy.source);
        assert!(taxonomy.version.starts_with("unconfirmed"), "{}", taxonomy.version);
    }

    #[test]
    fn an_occupation_is_found_by_its_concept_id_with_its_ssyk_group() {
        let usk = pinned().occupation("Y3QA_5pk_uXd").expect("undersköterska");
        assert_eq!(
            (usk.ssyk.code().as_str(), usk.label.as_str()),
            ("5321", "Undersköterska, hemtjänst och äldreboende")
        );
    }

    #[test]
    fn an_id_outside_the_snapshot_is_an_error_naming_it() {
        let error = pinned().occupation_id("PQkQ_Dmk_ZF8").expect_err("status C, not shipped");
        assert_eq!(error.field, "occupation");
        assert!(error.reason.contains("`PQkQ_Dmk_ZF8`"), "{error}");
    }

    #[test]
    fn a_snapshot_without_its_version_line_is_rejected() {
        let error = Taxonomy::parse("# snapshot: s\n# source: x\nid\tlabel\n").expect_err("no version");
        assert!(error.reason.contains("taxonomy-version"), "{error}");
    }

    #[test]
    fn a_snapshot_row_with_a_malformed_id_is_rejected_naming_its_line() {
        let text = "# snapshot: s\n# taxonomy-version: 22\n# source: x\nid\tl\ts\tsl\tw\nnot-an-id\tL\t5321\tS\t\n";
        let error = Taxonomy::parse(text).expect_err("malformed id");
        assert!(error.reason.starts_with("line 5:") && error.reason.contains("`not-an-id`"), "{error}");
    }

    #[test]
    fn an_ssyk_code_has_four_digits() {
        assert!(SsykCode::parse("532").is_err());
        assert!(SsykCode::parse("53210").is_err());
        assert_eq!(SsykCode::parse("7411").map(SsykCode::code), Ok("7411".to_owned()));
    }
}
