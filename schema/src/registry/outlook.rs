//! The labour-market outlook: Arbetsförmedlingen's Yrkesbarometer, one dated publication at a
//! time. For each *barometer occupation* (a JobTech Taxonomy `barometer-occupation` concept,
//! `related` to `occupation-name` concepts) and area (a county, or the whole country): the
//! current job opportunities, the recruitment situation and the five-year forecast.
//!
//! A publication is imported whole and kept as its own snapshot; answers use the newest.

use chrono::NaiveDate;

use super::{OccupationId, Taxonomy, required};
use crate::{County, ModelError};

code_list! {
    /// Möjligheter till arbete: how easy it is to get a job in the occupation now.
    JobOpportunities, field = "jobOpportunities" {
        Small => ("sma", "små"),
        Medium => ("medelstora", "medelstora"),
        Large => ("stora", "stora"),
    }
}

code_list! {
    /// Rekryteringssituationen: how employers' demand compares with the workers available now.
    RecruitmentSituation, field = "recruitmentSituation" {
        /// Brist: fewer qualified applicants than employers seek.
        Shortage => ("brist", "brist på arbetskraft"),
        /// Balans: about as many as employers seek.
        Balance => ("balans", "balans"),
        /// Överskott: more qualified applicants than employers seek.
        Surplus => ("overskott", "överskott på arbetskraft"),
    }
}

code_list! {
    /// How demand for workers in the occupation is expected to develop over five years.
    OutlookForecast, field = "forecast" {
        Decrease => ("minska", "väntas minska"),
        Unchanged => ("oforandrad", "väntas vara oförändrad"),
        Increase => ("oka", "väntas öka"),
    }
}

/// Where an assessment applies: one county (län), or the whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlookArea {
    County(County),
    National,
}

impl OutlookArea {
    /// The code of national assessments in files and the API.
    pub const NATIONAL: &'static str = "riket";

    /// A two-digit county code (länskod, `01`), or `riket` for the whole country.
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let value = value.trim();
        if value.eq_ignore_ascii_case(Self::NATIONAL) {
            return Ok(Self::National);
        }
        County::all().find(|c| c.code == value).map(Self::County).ok_or_else(|| {
            ModelError::new("area", format!("`{value}` is neither a county code such as `01` nor `riket`"))
        })
    }

    /// `01`, or `riket`.
    pub fn code(self) -> &'static str {
        match self {
            Self::County(county) => county.code,
            Self::National => Self::NATIONAL,
        }
    }

    /// `Stockholms län`, or `hela landet`.
    pub fn name(self) -> &'static str {
        match self {
            Self::County(county) => county.name,
            Self::National => "hela landet",
        }
    }
}

/// A barometer occupation: a taxonomy `barometer-occupation` concept. Its id is not checked
/// against a snapshot (no barometer concepts are pinned); the occupations it is related to are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarometerOccupation {
    /// The concept id: 1 to 32 of ASCII letters, digits, `_` and `-`.
    pub id: String,
    pub label: String,
}

impl BarometerOccupation {
    pub fn new(id: &str, label: &str) -> Result<Self, ModelError> {
        let id = id.trim();
        let shaped =
            (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b));
        if !shaped {
            return Err(ModelError::new(
                "barometerId",
                format!("`{id}` is not a concept id: 1 to 32 ASCII letters, digits, `_` or `-`"),
            ));
        }
        required("barometerLabel", label)?;
        Ok(Self { id: id.to_owned(), label: label.trim().to_owned() })
    }
}

/// One assessment of a publication: a barometer occupation in one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlookRow {
    pub barometer: BarometerOccupation,
    /// The `occupation-name` concepts the barometer occupation is related to, all in the
    /// pinned snapshot, at least one.
    pub occupations: Vec<OccupationId>,
    pub area: OutlookArea,
    pub job_opportunities: JobOpportunities,
    pub recruitment: RecruitmentSituation,
    pub forecast: OutlookForecast,
}

impl OutlookRow {
    /// The related occupations by their ids, each checked against `taxonomy` (an error names
    /// the field `occupations` and the id).
    pub fn occupations<'a>(
        taxonomy: &Taxonomy,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<OccupationId>, ModelError> {
        let mut found: Vec<OccupationId> = Vec::new();
        for id in ids {
            let id = taxonomy.occupation_id(id).map_err(|e| ModelError::new("occupations", e.reason))?;
            if !found.contains(&id) {
                found.push(id);
            }
        }
        if found.is_empty() {
            return Err(ModelError::new("occupations", "names no occupation of the taxonomy"));
        }
        Ok(found)
    }
}

/// One publication of the Yrkesbarometer: its date, where it comes from, and its rows, at
/// most one per barometer occupation and area, ordered by barometer occupation and area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlookPublication {
    pub published: NaiveDate,
    /// Where the figures come from, as shown to readers: a name or a URL.
    pub source: String,
    /// Made up (the demo, tests): no real figures are vendored. Shown as such everywhere.
    pub illustrative: bool,
    rows: Vec<OutlookRow>,
}

impl OutlookPublication {
    /// A publication of `rows`. A second row for the same barometer occupation and area is an
    /// error with the indices (from 0) in `rows` of the first row and the second.
    pub fn new(
        published: NaiveDate,
        source: &str,
        illustrative: bool,
        mut rows: Vec<OutlookRow>,
    ) -> Result<Self, (Option<[usize; 2]>, ModelError)> {
        required("source", source).map_err(|e| (None, e))?;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&i, &j| Self::key(&rows[i]).cmp(&Self::key(&rows[j])).then(i.cmp(&j)));
        if let Some(pair) = order.windows(2).find(|w| Self::key(&rows[w[0]]) == Self::key(&rows[w[1]])) {
            let row = &rows[pair[0]];
            let reason = format!(
                "`{}` in area `{}` is assessed twice in the publication of {published}",
                row.barometer.id,
                row.area.code()
            );
            return Err((Some([pair[0], pair[1]]), ModelError::new("barometerId", reason)));
        }
        rows.sort_by(|a, b| Self::key(a).cmp(&Self::key(b)));
        Ok(Self { published, source: source.trim().to_owned(), illustrative, rows })
    }

    fn key(row: &OutlookRow) -> (&str, &'static str) {
        (row.barometer.id.as_str(), row.area.code())
    }

    pub fn rows(&self) -> &[OutlookRow] {
        &self.rows
    }

    /// The assessments for `occupation` in `county` (a county code such as `01`): for each
    /// barometer occupation related to it, the county's row, or the national one when the
    /// county has none. `None` asks for the national rows only.
    pub fn for_occupation(&self, occupation: &OccupationId, county: Option<&str>) -> Vec<&OutlookRow> {
        let mut found: Vec<&OutlookRow> = Vec::new();
        for row in self.rows.iter().filter(|r| r.occupations.contains(occupation)) {
            let wanted = match row.area {
                OutlookArea::County(c) => Some(c.code) == county,
                OutlookArea::National => true,
            };
            if !wanted {
                continue;
            }
            match found.last_mut() {
                // Rows are ordered by barometer id, then area code: `riket` after every county.
                Some(last) if last.barometer.id == row.barometer.id => {}
                _ => found.push(row),
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> &'static Taxonomy {
        Taxonomy::pinned().expect("the shipped snapshot parses")
    }

    fn row(id: &str, area: &str, opportunities: JobOpportunities) -> OutlookRow {
        OutlookRow {
            barometer: BarometerOccupation::new(id, "Undersköterskor").expect("a barometer occupation"),
            occupations: OutlookRow::occupations(taxonomy(), ["Y3QA_5pk_uXd"]).expect("in the snapshot"),
            area: OutlookArea::parse(area).expect("an area"),
            job_opportunities: opportunities,
            recruitment: RecruitmentSituation::Shortage,
            forecast: OutlookForecast::Increase,
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).expect("a day")
    }

    #[test]
    fn an_area_is_a_county_code_or_riket_and_nothing_else() {
        assert_eq!(OutlookArea::parse("01").map(OutlookArea::name), Ok("Stockholms län"));
        assert_eq!(OutlookArea::parse("Riket"), Ok(OutlookArea::National));
        let error = OutlookArea::parse("02").expect_err("no county 02");
        assert_eq!(error.field, "area");
        assert!(error.reason.contains("`02`"), "{error}");
    }

    #[test]
    fn a_related_occupation_outside_the_snapshot_is_an_error_naming_the_field_and_the_id() {
        let error = OutlookRow::occupations(taxonomy(), ["Y3QA_5pk_uXd", "PQkQ_Dmk_ZF8"]).expect_err("not pinned");
        assert_eq!(error.field, "occupations");
        assert!(error.reason.contains("`PQkQ_Dmk_ZF8`"), "{error}");
    }

    #[test]
    fn a_barometer_occupation_assessed_twice_in_one_area_is_an_error_naming_the_second_row() {
        let rows = vec![
            row("bar-5321", "01", JobOpportunities::Large),
            row("bar-5321", "riket", JobOpportunities::Large),
            row("bar-5321", "01", JobOpportunities::Small),
        ];
        let (index, error) = OutlookPublication::new(day(), "Arbetsförmedlingen", false, rows).expect_err("twice");
        assert_eq!(index, Some([0, 2]));
        assert!(error.reason.contains("`bar-5321` in area `01`"), "{error}");
    }

    #[test]
    fn an_occupation_gets_its_county_row_and_the_national_row_where_the_county_has_none() {
        let rows =
            vec![row("bar-5321", "riket", JobOpportunities::Medium), row("bar-5321", "01", JobOpportunities::Large)];
        let publication = OutlookPublication::new(day(), "Arbetsförmedlingen", false, rows).expect("valid");
        let usk = taxonomy().occupation_id("Y3QA_5pk_uXd").expect("pinned");
        let in_stockholm = publication.for_occupation(&usk, Some("01"));
        assert_eq!(in_stockholm.iter().map(|r| r.area.code()).collect::<Vec<_>>(), ["01"]);
        let in_uppsala = publication.for_occupation(&usk, Some("03"));
        assert_eq!(in_uppsala.iter().map(|r| r.area.code()).collect::<Vec<_>>(), ["riket"]);
        let electrician = taxonomy().occupation_id("84Uc_bhA_s47").expect("pinned");
        assert!(publication.for_occupation(&electrician, Some("01")).is_empty());
    }
}
