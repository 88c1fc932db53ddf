//! Code lists of the model. Each code has one canonical spelling (`code()`), taken from
//! EMIL 3 / Susa-navet where it has one, and a Swedish label for people.

use crate::ModelError;

/// Declares a closed code list: the enum, `ALL`, `code()`, `label()` and a strict `parse()`
/// that names the field and the accepted codes when it fails.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, field = $field:literal { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Swedish label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the canonical code, ignoring case and surrounding white space.
            pub fn parse(value: &str) -> Result<Self, $crate::ModelError> {
                let value = value.trim();
                Self::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(value)).ok_or_else(|| {
                    let known: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    $crate::ModelError::new($field, format!("`{value}` is not one of {}", known.join(", ")))
                })
            }

            /// Position in `ALL`, for dense per-code arrays.
            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}

code_list! {
    /// The form of adult education (skolform), as in EMIL 3 `C_SchoolType`.
    SchoolForm, field = "schoolForm" {
        /// Komvux, grundläggande nivå.
        VuxGr => ("VUXGR", "Komvux grundläggande nivå"),
        /// Komvux, gymnasial nivå.
        VuxGy => ("VUXGY", "Komvux gymnasial nivå"),
        /// Komvux i svenska för invandrare (SFI).
        VuxSfi => ("VUXSFI", "Svenska för invandrare"),
        /// Komvux som anpassad utbildning, grundläggande nivå.
        VuxGran => ("VUXGRAN", "Anpassad utbildning grundläggande nivå"),
        /// Komvux som anpassad utbildning, gymnasial nivå.
        VuxGyan => ("VUXGYAN", "Anpassad utbildning gymnasial nivå"),
        /// Yrkeshögskola: accepted, outside komvux.
        Yh => ("YH", "Yrkeshögskola"),
        /// Folkhögskola: accepted, outside komvux.
        Fhs => ("FHS", "Folkhögskola"),
        /// Arbetsmarknadsutbildning: accepted, outside komvux.
        Aub => ("AUB", "Arbetsmarknadsutbildning"),
        /// Studieförbund: accepted, outside komvux.
        Stf => ("STF", "Studieförbund"),
    }
}

impl SchoolForm {
    /// The forms of kommunal vuxenutbildning: grundläggande, gymnasial, sfi, and anpassad
    /// utbildning on both levels.
    pub const KOMVUX: [SchoolForm; 5] = [Self::VuxGr, Self::VuxGy, Self::VuxSfi, Self::VuxGran, Self::VuxGyan];

    /// Whether this form is part of kommunal vuxenutbildning ([`SchoolForm::KOMVUX`]).
    pub fn is_komvux(self) -> bool {
        Self::KOMVUX.contains(&self)
    }
}

code_list! {
    /// The credits system of a course, as in EMIL 3 `C_Credits`.
    CreditsSystem, field = "credits.system" {
        /// Gymnasiepoäng.
        Gy => ("gy", "gymnasiepoäng"),
        /// Verksamhetspoäng.
        Vp => ("vp", "verksamhetspoäng"),
        /// Högskolepoäng.
        Hp => ("hp", "högskolepoäng"),
        /// Yrkeshögskolepoäng.
        Yh => ("yh", "yrkeshögskolepoäng"),
        /// Folkhögskolepoäng.
        Fup => ("fup", "folkhögskolepoäng"),
        Nyp => ("nyp", "nyp"),
    }
}

code_list! {
    /// The kind of body that runs a provider (huvudmannatyp), as in EMIL 3 `C_Body`.
    ProviderKind, field = "provider.kind" {
        Kommunal => ("kommunal", "kommunal"),
        Enskild => ("enskild", "enskild"),
        Region => ("region", "region"),
        Statlig => ("statlig", "statlig"),
        Annan => ("annan", "annan"),
    }
}

code_list! {
    /// What a course is: a single course, a package (yrkesvux) or a programme.
    CourseConfiguration, field = "configuration" {
        Course => ("kurs", "kurs"),
        Package => ("kurspaket", "kurspaket"),
        Programme => ("program", "program"),
    }
}

code_list! {
    /// When the teaching happens.
    TimeOfStudy, field = "timeOfStudy" {
        Day => ("dag", "dagtid"),
        Evening => ("kvall", "kvällstid"),
        Weekend => ("helg", "helg"),
        Mixed => ("blandat", "blandat"),
    }
}

impl TimeOfStudy {
    /// Reads the spellings upstreams use (`dag`, `eftermiddag`, `kväll`, `veckoslut`,
    /// `blandat`, English words), returning `None` for `ingen` and unknown values.
    pub fn from_upstream(value: &str) -> Option<Self> {
        match value.trim().to_lowercase().as_str() {
            "dag" | "dagtid" | "eftermiddag" | "day" | "daytime" => Some(Self::Day),
            "kväll" | "kvall" | "kvällstid" | "evening" => Some(Self::Evening),
            "helg" | "veckoslut" | "weekend" => Some(Self::Weekend),
            "blandat" | "blandad" | "mixed" => Some(Self::Mixed),
            _ => None,
        }
    }
}

code_list! {
    /// Where the teaching happens.
    StudyMode, field = "mode" {
        OnSite => ("plats", "på plats"),
        Distance => ("distans", "distans"),
        Hybrid => ("hybrid", "delvis distans"),
    }
}

code_list! {
    /// A field of a harvested record whose value can come from the source's configuration (a
    /// configured default) instead of the upstream: what [`crate::Provenance::configured`]
    /// names.
    ConfiguredField, field = "configured" {
        SchoolForm => ("schoolForm", "skolform"),
        ProviderName => ("providerName", "anordnare"),
        ProviderKind => ("providerKind", "huvudmannatyp"),
        Pace => ("pace", "studietakt"),
        Mode => ("mode", "studieform"),
        TimeOfStudy => ("timeOfStudy", "studietid"),
        Language => ("language", "undervisningsspråk"),
    }
}

code_list! {
    /// Who may apply to an offering.
    Eligibility, field = "eligibility" {
        /// Residents of the municipality that offers it.
        Residents => ("kommun", "kommunens invånare"),
        /// Residents of every municipality of the region.
        Region => ("region", "regionens invånare"),
        /// Anyone in Sweden.
        National => ("nationell", "alla"),
    }
}

/// A language of instruction: an ISO 639-2 code such as `swe` or `eng`, lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language([u8; 3]);

impl Language {
    pub const SWEDISH: Language = Language(*b"swe");

    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let lower = value.trim().to_ascii_lowercase();
        let bytes: [u8; 3] =
            lower.as_bytes().try_into().ok().filter(|b: &[u8; 3]| b.iter().all(u8::is_ascii_lowercase)).ok_or_else(
                || ModelError::new("language", format!("`{value}` is not an ISO 639-2 code such as `swe`")),
            )?;
        Ok(Self(bytes))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("und")
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_form_codes_round_trip_and_ignore_case() {
        for form in SchoolForm::ALL {
            assert_eq!(SchoolForm::parse(form.code()).unwrap(), *form);
        }
        assert_eq!(SchoolForm::parse(" vuxgy ").unwrap(), SchoolForm::VuxGy);
    }

    #[test]
    fn an_unknown_school_form_is_rejected_with_the_known_codes() {
        let error = SchoolForm::parse("GYMNASIUM").unwrap_err();
        assert_eq!(error.field, "schoolForm");
        assert!(error.reason.contains("VUXSFI"), "{}", error.reason);
    }

    #[test]
    fn only_the_five_vux_forms_are_komvux() {
        let komvux: Vec<_> = SchoolForm::ALL.iter().filter(|f| f.is_komvux()).collect();
        assert_eq!(komvux.len(), 5);
        assert!(!SchoolForm::Fhs.is_komvux());
    }

    #[test]
    fn upstream_spellings_of_time_of_study_are_understood() {
        assert_eq!(TimeOfStudy::from_upstream("Kväll"), Some(TimeOfStudy::Evening));
        assert_eq!(TimeOfStudy::from_upstream("veckoslut"), Some(TimeOfStudy::Weekend));
        assert_eq!(TimeOfStudy::from_upstream("ingen"), None);
    }

    #[test]
    fn a_language_is_three_letters() {
        assert_eq!(Language::parse("SWE").unwrap(), Language::SWEDISH);
        assert_eq!(Language::parse("sv").unwrap_err().field, "language");
    }
}
