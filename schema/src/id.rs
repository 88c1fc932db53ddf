//! Identifiers. Public ids are UUIDv5 over a stated name, so they are stable across harvests
//! and releases, never reused, and never derived from titles.

use std::fmt;

use uuid::Uuid;

use crate::{CourseCode, Credits, ModelError, OrgNumber, SchoolForm};

/// The UUIDv5 namespace of every vuxnav public id.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2a57_3d0e_4a8b_9c61_7b5e_0d2f_9a41);

/// The stable public id of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicId(Uuid);

impl PublicId {
    /// An offering, from its source and the upstream's own id for it.
    pub fn offering(source: &SourceId, upstream_id: &str) -> Self {
        Self::named(&["offering", source.as_str(), upstream_id])
    }

    /// A course with a Skolverket course code is one course however many sources offer it.
    pub fn course_by_code(code: &CourseCode) -> Self {
        Self::named(&["course", "code", code.as_str()])
    }

    /// A local course known by the upstream's own id for it belongs to its source.
    pub fn local_course(source: &SourceId, upstream_id: &str) -> Self {
        Self::named(&["course", source.as_str(), upstream_id])
    }

    /// A local course known only by what it is: its source, school form, own code (if any),
    /// title and credits. One local code that covers different courses (`RLXAAR` for "Kock",
    /// 1,450 points, and "Restaurang och livsmedel", 0 points) gives different courses, and
    /// two municipalities' courses never meet. The title is compared ignoring case and runs of
    /// white space.
    pub fn local_course_by_content(
        source: &SourceId,
        form: SchoolForm,
        code: Option<&str>,
        title: &str,
        credits: Option<Credits>,
    ) -> Self {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let credits = credits.map(|c| format!("{} {}", c.value, c.system.code())).unwrap_or_default();
        Self::named(&["course", source.as_str(), "local", form.code(), code.unwrap_or(""), &title, &credits])
    }

    /// A provider with an organisation number is one provider across sources.
    pub fn provider_by_org_number(org_number: &OrgNumber) -> Self {
        Self::named(&["provider", "orgnr", org_number.as_str()])
    }

    /// A provider known only by an upstream id belongs to its source.
    pub fn local_provider(source: &SourceId, upstream_id: &str) -> Self {
        Self::named(&["provider", source.as_str(), upstream_id])
    }

    fn named(parts: &[&str]) -> Self {
        // The unit separator cannot appear in the parts, so distinct part lists never collide.
        Self(Uuid::new_v5(&NAMESPACE, parts.join("\u{1f}").as_bytes()))
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn parse(value: &str) -> Result<Self, ModelError> {
        Uuid::parse_str(value.trim())
            .map(Self)
            .map_err(|_| ModelError::new("id", format!("`{value}` is not a vuxnav id")))
    }

    pub fn uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// The id of a configured source, such as `huddinge-susa`: lowercase ASCII letters, digits,
/// `-` and `_`, starting with a letter or digit, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(String);

impl SourceId {
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && value.as_bytes()[0].is_ascii_alphanumeric();
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(ModelError::new(
                "source.id",
                format!("`{value}` is not a source id: use 1 to 64 lowercase letters, digits, `-` or `_`"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offering_id_is_the_same_for_the_same_source_and_upstream_id() {
        let source = SourceId::parse("huddinge-susa").unwrap();
        let a = PublicId::offering(&source, "e.IST.1");
        assert_eq!(a, PublicId::offering(&source, "e.IST.1"));
        assert_ne!(a, PublicId::offering(&source, "e.IST.2"));
        assert_ne!(a, PublicId::offering(&SourceId::parse("botkyrka-csv").unwrap(), "e.IST.1"));
    }

    #[test]
    fn a_course_with_a_code_has_one_id_across_sources() {
        let code = CourseCode::parse("MATMAT01c").unwrap();
        assert_eq!(PublicId::course_by_code(&code), PublicId::course_by_code(&code));
        assert_ne!(
            PublicId::course_by_code(&code),
            PublicId::local_course(&SourceId::parse("x").unwrap(), "MATMAT01c")
        );
    }

    #[test]
    fn a_local_course_differs_by_title_credits_form_and_source() {
        let source = SourceId::parse("sundsvall-csv").unwrap();
        let gy = |v: f64| Some(Credits::new(crate::CreditsSystem::Gy, v).unwrap());
        let kock = PublicId::local_course_by_content(&source, SchoolForm::VuxGy, Some("RLXAAR"), "Kock", gy(1450.0));
        let restaurang = PublicId::local_course_by_content(
            &source,
            SchoolForm::VuxGy,
            Some("RLXAAR"),
            "Restaurang och livsmedel",
            gy(0.0),
        );
        assert_ne!(kock, restaurang);
        assert_eq!(
            kock,
            PublicId::local_course_by_content(&source, SchoolForm::VuxGy, Some("RLXAAR"), " kock ", gy(1450.0))
        );
        assert_ne!(
            kock,
            PublicId::local_course_by_content(&source, SchoolForm::VuxGy, Some("RLXAAR"), "Kock", gy(1400.0))
        );
        assert_ne!(
            kock,
            PublicId::local_course_by_content(&source, SchoolForm::VuxGyan, Some("RLXAAR"), "Kock", gy(1450.0))
        );
        let other = SourceId::parse("timra-csv").unwrap();
        assert_ne!(
            kock,
            PublicId::local_course_by_content(&other, SchoolForm::VuxGy, Some("RLXAAR"), "Kock", gy(1450.0))
        );
    }

    #[test]
    fn a_public_id_round_trips_through_text() {
        let id = PublicId::offering(&SourceId::parse("s").unwrap(), "1");
        assert_eq!(PublicId::parse(&id.to_string()).unwrap(), id);
        assert_eq!(PublicId::parse("not-an-id").unwrap_err().field, "id");
    }

    #[test]
    fn a_source_id_is_a_lowercase_slug() {
        assert!(SourceId::parse("0180-stockholm_csv").is_ok());
        for bad in ["", "Huddinge", "-x", "a b", &"x".repeat(65)] {
            assert_eq!(SourceId::parse(bad).unwrap_err().field, "source.id", "{bad}");
        }
    }
}
