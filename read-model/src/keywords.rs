//! The words residents use for kinds of offerings: school forms (`komvux`, `gymnasial`,
//! `grundläggande`, `sfi`, `anpassad`), vocational education (`yrkesvux`), apprenticeships
//! (`lärling`), study modes (`distans`) and times of study (`kväll`).
//!
//! Each [`RULES`] entry becomes one searchable entity of kind `Keyword` in the text index, so
//! text is still matched against a few distinct entities and never against every offering; the
//! entity's offerings are a bitmap built once. Unlike courses or places, keyword entities
//! overlap (a komvux offering is also gymnasial), so an offering is matched by testing each
//! matched keyword's bitmap rather than by looking up its one entity.

use roaring::RoaringBitmap;
use vuxnav_schema::{Course, CourseConfiguration, Offering, SchoolForm, StudyMode, TimeOfStudy};

use crate::dimension::Entities;

/// One kind of offering and the words that find it, as a resident types them. The text is
/// indexed like a course title: stemmed, and folded for those who type `a` for `å`.
struct Rule {
    words: &'static str,
    applies: fn(&Offering, &Course) -> bool,
}

const RULES: [Rule; 12] = [
    Rule { words: "komvux kommunal vuxenutbildning", applies: |_, c| c.school_form.is_komvux() },
    Rule {
        words: "gymnasial gymnasienivå",
        applies: |_, c| matches!(c.school_form, SchoolForm::VuxGy | SchoolForm::VuxGyan),
    },
    Rule {
        words: "grundläggande grundskolenivå grundvux",
        applies: |_, c| matches!(c.school_form, SchoolForm::VuxGr | SchoolForm::VuxGran),
    },
    Rule { words: "sfi", applies: |_, c| c.school_form == SchoolForm::VuxSfi },
    Rule {
        words: "anpassad särvux",
        applies: |_, c| matches!(c.school_form, SchoolForm::VuxGran | SchoolForm::VuxGyan),
    },
    Rule {
        words: "yrkesvux yrkesutbildning yrkespaket",
        applies: |_, c| c.school_form.is_komvux() && (c.vocational || c.configuration == CourseConfiguration::Package),
    },
    Rule { words: "lärling lärlingsutbildning lärlingsvux", applies: |o, _| o.apprenticeship },
    Rule { words: "distans distansutbildning distanskurs", applies: |o, _| o.mode == Some(StudyMode::Distance) },
    Rule { words: "hybrid", applies: |o, _| o.mode == Some(StudyMode::Hybrid) },
    Rule { words: "kväll kvällstid kvällskurs", applies: |o, _| o.time_of_study == Some(TimeOfStudy::Evening) },
    Rule { words: "dagtid", applies: |o, _| o.time_of_study == Some(TimeOfStudy::Day) },
    Rule { words: "helg helgkurs", applies: |o, _| o.time_of_study == Some(TimeOfStudy::Weekend) },
];

/// The keyword entities: their words, to index, and their offerings.
pub(crate) struct Keywords {
    offerings: Vec<RoaringBitmap>,
}

impl Keywords {
    /// Every rule's offerings, in one pass over the offerings.
    pub(crate) fn build<'a>(offerings: &[Offering], course_of: impl Fn(u32) -> &'a Course) -> Self {
        let mut bitmaps = vec![RoaringBitmap::new(); RULES.len()];
        for (doc, offering) in offerings.iter().enumerate() {
            let course = course_of(doc as u32);
            for (rule, bitmap) in RULES.iter().zip(&mut bitmaps) {
                if (rule.applies)(offering, course) {
                    bitmap.insert(doc as u32);
                }
            }
        }
        Self { offerings: bitmaps }
    }

    /// The text of each keyword entity, by its ord.
    pub(crate) fn texts() -> impl Iterator<Item = (u32, &'static str)> {
        RULES.iter().enumerate().map(|(ord, rule)| (ord as u32, rule.words))
    }
}

impl Entities for Keywords {
    fn len(&self) -> usize {
        self.offerings.len()
    }

    fn bitmap(&self, ord: usize) -> &RoaringBitmap {
        &self.offerings[ord]
    }
}
