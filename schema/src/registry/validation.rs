//! Validation offers (validering): against a course (prövning, validation to a grade) or
//! against an industry's requirements (branschvalidering).

use super::{OccupationId, Payer, RegistryKey, ValidationKind, Validity, in_region, required};
use crate::{CourseCode, Language, ModelError, MunicipalityCode, Region};

/// A level of Sveriges referensram för kvalifikationer, 1 to 8; SeQF level n is EQF level n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeqfLevel(u8);

impl SeqfLevel {
    pub fn new(level: i64) -> Result<Self, ModelError> {
        u8::try_from(level)
            .ok()
            .filter(|l| (1..=8).contains(l))
            .map(Self)
            .ok_or_else(|| ModelError::new("seqfLevel", format!("{level} is not a SeQF level: they are 1 to 8")))
    }

    pub fn level(self) -> u8 {
        self.0
    }
}

/// An industry's validation model and the body that owns it, such as
/// `Byggindustrins valideringsmodell` owned by `BYN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndustryModel {
    pub name: String,
    pub owner: String,
}

/// An offer of validation in the region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationOffer {
    pub key: RegistryKey,
    pub kind: ValidationKind,
    /// What a resident sees, such as `Prövning i Vård- och omsorgsarbete 1`.
    pub title: String,
    /// The courses validated against; at least one for [`ValidationKind::AgainstCourse`].
    pub course_codes: Vec<CourseCode>,
    pub occupations: Vec<OccupationId>,
    /// Required for [`ValidationKind::AgainstIndustry`].
    pub industry_model: Option<IndustryModel>,
    pub seqf_level: Option<SeqfLevel>,
    /// Who carries it out, such as `Vuxenutbildningen i Botkyrka`.
    pub provider: String,
    /// The municipalities whose residents it serves; all in the region.
    pub municipalities: Vec<MunicipalityCode>,
    pub languages: Vec<Language>,
    /// What it costs the participant's payer, in whole kronor; `None` when not stated.
    pub cost_sek: Option<u32>,
    pub paid_by: Payer,
    /// A web address, an e-mail address or a phone number.
    pub contact: String,
    pub validity: Validity,
}

impl ValidationOffer {
    /// The rules across fields: a title, a provider and a contact; course codes for a
    /// validation against a course and an industry model for branschvalidering; municipalities
    /// all in the region.
    pub fn validate(&self, region: &Region) -> Result<(), ModelError> {
        required("title", &self.title)?;
        required("provider", &self.provider)?;
        required("contact", &self.contact)?;
        match self.kind {
            ValidationKind::AgainstCourse if self.course_codes.is_empty() => {
                return Err(ModelError::new("courseCodes", "a validation against a course names at least one course"));
            }
            ValidationKind::AgainstIndustry if self.industry_model.is_none() => {
                return Err(ModelError::new("industryModel", "a branschvalidering names its industry model"));
            }
            _ => {}
        }
        if let Some(model) = &self.industry_model {
            required("industryModel.name", &model.name)?;
            required("industryModel.owner", &model.owner)?;
        }
        in_region("municipalities", &self.municipalities, region)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::registry::Taxonomy;

    pub(crate) fn provning() -> ValidationOffer {
        let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
        ValidationOffer {
            key: RegistryKey::parse("usk-provning-botkyrka").expect("a key"),
            kind: ValidationKind::AgainstCourse,
            title: "Prövning i Vård- och omsorgsarbete 1".to_owned(),
            course_codes: vec![CourseCode::parse("VÅRVÅR01").expect("a code")],
            occupations: vec![taxonomy.occupation_id("Y3QA_5pk_uXd").expect("undersköterska")],
            industry_model: None,
            seqf_level: Some(SeqfLevel::new(4).expect("a level")),
            provider: "Vuxenutbildningen i Botkyrka".to_owned(),
            municipalities: vec![MunicipalityCode::parse("0127").expect("Botkyrka")],
            languages: vec![Language::SWEDISH],
            cost_sek: None,
            paid_by: Payer::Municipality,
            contact: "https://vux.botkyrka.example/provning".to_owned(),
            validity: Validity::new(NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"), None).expect("valid"),
        }
    }

    #[test]
    fn seqf_levels_run_from_one_to_eight() {
        assert_eq!(SeqfLevel::new(8).map(SeqfLevel::level), Ok(8));
        let error = SeqfLevel::new(9).expect_err("there is no level 9");
        assert_eq!(error.field, "seqfLevel");
        assert!(error.reason.contains("1 to 8"), "{error}");
        assert!(SeqfLevel::new(0).is_err());
    }

    #[test]
    fn a_provning_in_the_region_is_valid() {
        assert_eq!(provning().validate(&Region::default()), Ok(()));
    }

    #[test]
    fn a_validation_against_a_course_without_course_codes_is_rejected() {
        let offer = ValidationOffer { course_codes: vec![], ..provning() };
        assert_eq!(offer.validate(&Region::default()).expect_err("no course").field, "courseCodes");
    }

    #[test]
    fn a_branschvalidering_without_its_industry_model_is_rejected() {
        let offer = ValidationOffer { kind: ValidationKind::AgainstIndustry, ..provning() };
        assert_eq!(offer.validate(&Region::default()).expect_err("no model").field, "industryModel");
    }

    #[test]
    fn an_offer_for_a_municipality_outside_the_region_is_rejected_naming_it() {
        let uppsala = MunicipalityCode::parse("0380").expect("Uppsala");
        let offer = ValidationOffer { municipalities: vec![uppsala], ..provning() };
        let error = offer.validate(&Region::default()).expect_err("outside");
        assert_eq!(error.field, "municipalities");
        assert!(error.reason.contains("`0380` (Uppsala)"), "{error}");
    }
}
