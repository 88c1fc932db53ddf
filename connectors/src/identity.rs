//! Course identity, the one rule every kind follows: a code that a national list holds for the
//! record's school form ([`vuxnav_schema::national_course`]) makes the national course, one for
//! the whole region, with the list's title, subject and credits whatever the record says;
//! anything else is a course local to its source, by the upstream's own id for the course when
//! it has one, else by what it is (school form, own code, title and credits:
//! [`PublicId::local_course_by_content`]). A package or programme is always local, whatever
//! its code. The provider's own title for the occasion is kept on the offering
//! (`Offering::title`), so `Matematik 1c Kväll` renames no one's course.

use vuxnav_schema::{Course, CourseConfiguration, Credits, PublicId, SchoolForm, SourceId};

/// What one record says about its course.
#[derive(Debug, Clone)]
pub(crate) struct CourseRecord {
    pub form: SchoolForm,
    /// The course code as written, cleaned of markup; national or not.
    pub code: Option<String>,
    /// The course title as the record has it.
    pub title: String,
    pub credits: Option<Credits>,
    pub configuration: CourseConfiguration,
    /// The upstream's own id for the course (a Susa-navet education, an SS 12000 syllabus),
    /// when it has one.
    pub upstream_id: Option<String>,
    pub description: Option<String>,
    pub subject: Option<String>,
    pub sun_field: Option<String>,
    pub vocational: bool,
}

/// The course of a record of `source`: national or local, as the module says.
pub(crate) fn course(source: &SourceId, record: CourseRecord) -> Course {
    let code = record.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let national = code
        .filter(|_| record.configuration == CourseConfiguration::Course)
        .and_then(|code| vuxnav_schema::national_course(code, record.form));
    match national {
        Some(national) => Course {
            id: PublicId::course_by_code(&national.code),
            code: Some(national.code),
            local_code: None,
            title: national.title,
            description: record.description,
            school_form: national.form,
            credits: national.credits.or(record.credits),
            subject: Some(national.subject),
            sun_field: record.sun_field,
            vocational: record.vocational,
            configuration: CourseConfiguration::Course,
        },
        None => {
            // An occasion's title may name how it is given (`Bagare Kväll`): the course is
            // what the title names without that.
            let title = crate::readings::course_title(&record.title);
            let id = match &record.upstream_id {
                Some(upstream_id) => PublicId::local_course(source, upstream_id),
                None => PublicId::local_course_by_content(source, record.form, code, &title, record.credits),
            };
            Course {
                id,
                code: None,
                local_code: code.map(str::to_owned),
                title,
                description: record.description,
                school_form: record.form,
                credits: record.credits,
                subject: record.subject,
                sun_field: record.sun_field,
                vocational: record.vocational,
                configuration: record.configuration,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use vuxnav_schema::{CourseCode, CreditsSystem};

    use super::*;

    fn record(form: SchoolForm, code: Option<&str>, title: &str, points: Option<f64>) -> CourseRecord {
        CourseRecord {
            form,
            code: code.map(str::to_owned),
            title: title.to_owned(),
            credits: points.map(|p| Credits::new(CreditsSystem::Gy, p).unwrap()),
            configuration: CourseConfiguration::Course,
            upstream_id: None,
            description: None,
            subject: None,
            sun_field: None,
            vocational: false,
        }
    }

    #[test]
    fn a_national_code_takes_the_list_title_and_credits_not_the_record_s() {
        let source = SourceId::parse("sundsvall-csv").unwrap();
        let course = course(&source, record(SchoolForm::VuxGy, Some("MATMAT01c"), "Matematik 1c Kväll", Some(50.0)));
        assert_eq!(course.title, "Matematik 1c");
        assert_eq!(course.credits.map(|c| c.value), Some(100.0));
        assert_eq!(course.code.as_ref().map(CourseCode::as_str), Some("MATMAT01c"));
        assert_eq!(course.local_code, None);
        let other = SourceId::parse("timra-csv").unwrap();
        let theirs = super::course(&other, record(SchoolForm::VuxGy, Some("MATMAT01c"), "Matematik 1c", None));
        assert_eq!(course.id, theirs.id, "one national course for the region");
    }

    #[test]
    fn a_local_code_shared_by_different_packages_gives_different_local_courses() {
        let source = SourceId::parse("sundsvall-csv").unwrap();
        let kock = course(&source, record(SchoolForm::VuxGy, Some("RLXAAR"), "Kock", Some(1450.0)));
        let restaurang =
            course(&source, record(SchoolForm::VuxGy, Some("RLXAAR"), "Restaurang och livsmedel", Some(0.0)));
        assert_ne!(kock.id, restaurang.id);
        assert_eq!(
            (kock.code.as_ref(), kock.local_code.as_deref(), kock.title.as_str()),
            (None, Some("RLXAAR"), "Kock")
        );
        let other = SourceId::parse("timra-csv").unwrap();
        assert_ne!(kock.id, super::course(&other, record(SchoolForm::VuxGy, Some("RLXAAR"), "Kock", Some(1450.0))).id);
    }

    #[test]
    fn a_package_with_a_national_code_is_still_local() {
        let source = SourceId::parse("s").unwrap();
        let mut package = record(SchoolForm::VuxGy, Some("VÅRVÅR01"), "Undersköterska", Some(1500.0));
        package.configuration = CourseConfiguration::Package;
        let course = course(&source, package);
        assert_eq!(course.code, None);
        assert_eq!(course.title, "Undersköterska");
    }
}
