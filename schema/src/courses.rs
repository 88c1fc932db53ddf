//! The national course lists: the courses Skolverket publishes, shipped as data
//! (`courses/*.tsv`, read into the binary and parsed once), each with its school form, title,
//! subject and credits. A course code is national only when a list holds it for the record's
//! school form; every other code is local to its source ([`crate::PublicId::local_course`]).
//!
//! What the lists cover: the 1,090 gymnasial courses of GY11 with their points (and the
//! modern-language courses written with the language's code, `MODDEU01`), the national
//! courses of komvux grundläggande nivå, those of anpassad utbildning on both levels, and the
//! nine SFI courses. What they do not: the Gy25 levels (2025), the 2025 grundläggande codes
//! (`VGR…`), orienteringskurser and yrkesvux packages (both local by nature).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::{CourseCode, Credits, CreditsSystem, SchoolForm};

/// The shipped lists, in the order they are read.
const LISTS: [(&str, &str); 4] = [
    ("gy11.tsv", include_str!("courses/gy11.tsv")),
    ("grundlaggande.tsv", include_str!("courses/grundlaggande.tsv")),
    ("anpassad.tsv", include_str!("courses/anpassad.tsv")),
    ("sfi.tsv", include_str!("courses/sfi.tsv")),
];

/// The code template of the modern-language courses in the GY11 list: `MODXXX01` to
/// `MODXXX07`, `XXX` standing for the language's ISO 639-2 code.
const MODERN_LANGUAGES: &str = "MODXXX";

/// One course of a national list.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalCourse {
    pub code: CourseCode,
    pub form: SchoolForm,
    pub title: String,
    pub subject: String,
    /// In the form's credits system; `None` where the form has none (SFI).
    pub credits: Option<Credits>,
}

/// Every course of every list, by its code in capitals.
static COURSES: LazyLock<HashMap<String, NationalCourse>> = LazyLock::new(|| {
    let mut courses = HashMap::new();
    for (name, text) in LISTS {
        for (line, course) in parse(text) {
            match course {
                Ok(course) => {
                    courses.insert(course.code.as_str().to_uppercase(), course);
                }
                // The lists are tested row by row (`every_row_of_every_list_is_valid`); a
                // broken row in a release is left out rather than stopping the service.
                Err(reason) => debug_assert!(false, "{name} line {line}: {reason}"),
            }
        }
    }
    courses
});

/// The rows of one list, by line number: a course or what is wrong with the row.
fn parse(text: &str) -> impl Iterator<Item = (usize, Result<NationalCourse, String>)> + '_ {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(index, line)| (index + 1, row(line)))
}

fn row(line: &str) -> Result<NationalCourse, String> {
    let cells: Vec<&str> = line.split('\t').collect();
    let [form, code, title, subject, points] = cells[..] else {
        return Err(format!("has {} cells, not 5", cells.len()));
    };
    let form = SchoolForm::parse(form).map_err(|e| e.reason)?;
    let code = CourseCode::parse(code).map_err(|e| e.reason)?;
    if title.trim().is_empty() || subject.trim().is_empty() {
        return Err("has no title or subject".to_owned());
    }
    let credits = match (points.trim(), credits_system(form)) {
        ("", _) => None,
        (points, Some(system)) => {
            let value: f64 = points.parse().map_err(|_| format!("`{points}` is not a number of points"))?;
            Some(Credits::new(system, value).map_err(|e| e.reason)?)
        }
        (_, None) => return Err(format!("has points, but {} has no credits system", form.code())),
    };
    Ok(NationalCourse { code, form, title: title.trim().to_owned(), subject: subject.trim().to_owned(), credits })
}

/// The credits system of a komvux form's national courses.
fn credits_system(form: SchoolForm) -> Option<CreditsSystem> {
    match form {
        SchoolForm::VuxGy | SchoolForm::VuxGyan => Some(CreditsSystem::Gy),
        SchoolForm::VuxGr | SchoolForm::VuxGran => Some(CreditsSystem::Vp),
        _ => None,
    }
}

/// The national course with `code` (compared ignoring case) in `form`, if a list holds it:
/// its title, subject and credits are the list's. A code of another form (a GY11 code sent
/// as folkhögskola) is not national there.
pub fn national_course(code: &str, form: SchoolForm) -> Option<NationalCourse> {
    let key = code.trim().to_uppercase();
    if let Some(course) = COURSES.get(&key) {
        return (course.form == form).then(|| course.clone());
    }
    modern_language(&key).filter(|course| course.form == form)
}

/// `MODDEU01`: the GY11 course `MODXXX01` (Moderna språk 1) in the language `deu`.
fn modern_language(key: &str) -> Option<NationalCourse> {
    let language = key.strip_prefix("MOD")?.get(..3)?;
    let level = key.get(6..)?;
    if !language.chars().all(|c| c.is_ascii_uppercase())
        || !matches!(level, "01" | "02" | "03" | "04" | "05" | "06" | "07")
    {
        return None;
    }
    let template = COURSES.get(&format!("{MODERN_LANGUAGES}{level}"))?;
    let title = match language_name(language) {
        Some(name) => format!("{}, {name}", template.title),
        None => format!("{}, {}", template.title, language.to_lowercase()),
    };
    Some(NationalCourse { code: CourseCode::parse(key).ok()?, title, ..template.clone() })
}

/// The Swedish names of the languages komvux teaches as moderna språk, by ISO 639-2 code.
fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "DEU" | "GER" => "tyska",
        "FRA" | "FRE" => "franska",
        "SPA" => "spanska",
        "ITA" => "italienska",
        "RUS" => "ryska",
        "JPN" => "japanska",
        "ZHO" | "CHI" => "kinesiska",
        "ARA" => "arabiska",
        "POR" => "portugisiska",
        "FIN" => "finska",
        "TUR" => "turkiska",
        "POL" => "polska",
        "KOR" => "koreanska",
        "NLD" | "DUT" => "nederländska",
        _ => return None,
    })
}

/// Every course of every list (the modern-language template rows included), in no order.
pub fn national_courses() -> impl Iterator<Item = &'static NationalCourse> {
    COURSES.values()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_row_of_every_list_is_valid_and_no_code_is_listed_twice() {
        let mut seen = HashSet::new();
        let mut rows = 0;
        for (name, text) in LISTS {
            for (line, course) in parse(text) {
                let course = course.unwrap_or_else(|reason| panic!("{name} line {line}: {reason}"));
                assert!(
                    seen.insert(course.code.as_str().to_uppercase()),
                    "{name} line {line}: {} twice",
                    course.code.as_str()
                );
                rows += 1;
            }
        }
        assert_eq!(rows, COURSES.len());
        assert_eq!(COURSES.values().filter(|c| c.form == SchoolForm::VuxGy).count(), 1_090);
        assert!(
            COURSES.values().filter(|c| c.form == SchoolForm::VuxGy).all(|c| c.credits.is_some()),
            "every GY11 course has points"
        );
    }

    #[test]
    fn a_national_code_gives_the_list_title_and_credits_in_its_own_form_only() {
        let course = national_course("MATMAT01c", SchoolForm::VuxGy).unwrap();
        assert_eq!(course.title, "Matematik 1c");
        assert_eq!(course.subject, "Matematik");
        assert_eq!(course.credits, Some(Credits { system: CreditsSystem::Gy, value: 100.0 }));
        assert_eq!(national_course("matmat01C", SchoolForm::VuxGy).unwrap().code.as_str(), "MATMAT01c");
        assert_eq!(national_course("FYSFYS01a", SchoolForm::VuxGy).unwrap().credits.map(|c| c.value), Some(150.0));
        assert_eq!(
            national_course("GRNSVAB", SchoolForm::VuxGr).unwrap().credits.map(|c| (c.system, c.value)),
            Some((CreditsSystem::Vp, 200.0))
        );
        assert!(national_course("SFIKUD93", SchoolForm::VuxSfi).unwrap().credits.is_none());
        assert_eq!(national_course("MATMAT01c", SchoolForm::Fhs), None, "a GY11 code is not national in folkhögskola");
    }

    #[test]
    fn local_codes_are_not_national() {
        // Sundsvall's own package, orienteringskurs and komvuxarbete codes.
        for code in ["RLXAAR", "BAXAAR", "GRNORI21A", "KVARSH", "SGRINDV", "YVUSK", "Okänd", ""] {
            for form in SchoolForm::ALL {
                assert_eq!(national_course(code, *form), None, "{code} in {}", form.code());
            }
        }
    }

    #[test]
    fn a_modern_language_course_is_read_with_its_language() {
        let german = national_course("MODDEU01", SchoolForm::VuxGy).unwrap();
        assert_eq!((german.title.as_str(), german.code.as_str()), ("Moderna språk 1, tyska", "MODDEU01"));
        assert_eq!(german.credits.map(|c| c.value), Some(100.0));
        assert_eq!(national_course("MODFRA07", SchoolForm::VuxGy).unwrap().title, "Moderna språk 7, franska");
        assert_eq!(national_course("MODZHO02", SchoolForm::VuxGy).unwrap().title, "Kinesiska 2", "listed itself");
        assert_eq!(national_course("MODDEU08", SchoolForm::VuxGy), None);
        assert_eq!(national_course("MODDE01", SchoolForm::VuxGy), None);
    }
}
