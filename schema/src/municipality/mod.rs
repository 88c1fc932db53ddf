//! Municipalities (kommuner) and counties (län): all 290 are known; the region is a
//! configured subset of them.

mod data;

use std::fmt;

use crate::ModelError;

/// A kommunkod: four digits with a leading zero, naming one of Sweden's 290 municipalities.
/// Stored as text, never as an integer, so `0180` never becomes `180`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityCode([u8; 4]);

impl MunicipalityCode {
    /// Parses a kommunkod and checks that the municipality exists.
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let field = "municipality";
        let trimmed = value.trim();
        let bytes: [u8; 4] = trimmed.as_bytes().try_into().map_err(|_| {
            ModelError::new(field, format!("`{value}` is not a kommunkod: it has four digits, such as `0180`"))
        })?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return Err(ModelError::new(
                field,
                format!("`{value}` is not a kommunkod: it has four digits, such as `0180`"),
            ));
        }
        let code = Self(bytes);
        if code.lookup().is_none() {
            return Err(ModelError::new(field, format!("`{value}` is no Swedish municipality's kommunkod")));
        }
        Ok(code)
    }

    /// The error for a kommunkod written as a number (in a config file, say), which lost its
    /// leading zero: it says how to write it instead.
    pub fn written_as_number(number: i64) -> ModelError {
        ModelError::new(
            "municipality",
            format!(
                "`{number}` is not a kommunkod: write it as a string with its leading zero, such as \"{number:0>4}\""
            ),
        )
    }

    /// Parses a kommunkod that an upstream sent as a number and so lost its leading zero
    /// (`180` for `0180`). Only for upstream quirks; user input goes through [`Self::parse`].
    pub fn parse_lenient(value: &str) -> Result<Self, ModelError> {
        let trimmed = value.trim();
        if (1..4).contains(&trimmed.len()) && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("{trimmed:0>4}"));
        }
        Self::parse(trimmed)
    }

    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or("0000")
    }

    /// The two-digit county code (länskod) this municipality belongs to.
    pub fn county_code(&self) -> &str {
        &self.as_str()[..2]
    }

    pub fn municipality(&self) -> Municipality {
        self.lookup().unwrap_or(Municipality { code: *self, name: "", county_code_index: 0 })
    }

    fn lookup(&self) -> Option<Municipality> {
        let index = data::MUNICIPALITIES.binary_search_by(|(code, _)| code.as_bytes().cmp(&self.0[..])).ok()?;
        let county = self.county_index()?;
        Some(Municipality { code: *self, name: data::MUNICIPALITIES[index].1, county_code_index: county })
    }

    fn county_index(&self) -> Option<usize> {
        data::COUNTIES.iter().position(|(code, _)| code.as_bytes() == &self.0[..2])
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of Sweden's 290 municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name: &'static str,
    county_code_index: usize,
}

impl Municipality {
    /// All 290 municipalities, ordered by kommunkod.
    pub fn all() -> impl ExactSizeIterator<Item = Municipality> {
        data::MUNICIPALITIES
            .iter()
            .map(|(code, _)| MunicipalityCode(code.as_bytes().try_into().unwrap_or(*b"0000")).municipality())
    }

    pub fn county(&self) -> County {
        let (code, name) = data::COUNTIES[self.county_code_index];
        County { code, name }
    }
}

/// A county (län).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct County {
    pub code: &'static str,
    pub name: &'static str,
}

impl County {
    pub fn all() -> impl ExactSizeIterator<Item = County> {
        data::COUNTIES.iter().map(|&(code, name)| County { code, name })
    }
}

/// The municipalities that act together as one region. The default is the 26 municipalities
/// of Stockholm County (kommunkod 0114 to 0192).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    municipalities: Vec<MunicipalityCode>,
}

impl Region {
    pub fn new(mut municipalities: Vec<MunicipalityCode>) -> Result<Self, ModelError> {
        municipalities.sort();
        municipalities.dedup();
        if municipalities.is_empty() {
            return Err(ModelError::new("region.municipalities", "a region has at least one municipality"));
        }
        Ok(Self { municipalities })
    }

    /// Every municipality of one county.
    pub fn county(county_code: &str) -> Result<Self, ModelError> {
        Self::new(Municipality::all().filter(|m| m.code.county_code() == county_code).map(|m| m.code).collect())
            .map_err(|_| ModelError::new("region.county", format!("`{county_code}` is no Swedish county code")))
    }

    /// The whole country: all 290 municipalities.
    pub fn national() -> Self {
        Self { municipalities: Municipality::all().map(|m| m.code).collect() }
    }

    pub fn municipalities(&self) -> &[MunicipalityCode] {
        &self.municipalities
    }

    pub fn contains(&self, code: MunicipalityCode) -> bool {
        self.municipalities.binary_search(&code).is_ok()
    }

    /// The county all of the region's municipalities belong to, when they belong to one.
    pub fn home_county(&self) -> Option<County> {
        let first = self.municipalities.first()?.municipality().county();
        self.municipalities.iter().all(|m| m.county_code() == first.code).then_some(first)
    }

    /// The region in words, for messages: `Stockholms län (county 01)` when it is one whole
    /// county, else its kommunkoder.
    pub fn describe(&self) -> String {
        let counties: Vec<County> =
            County::all().filter(|county| Region::county(county.code).is_ok_and(|whole| whole == *self)).collect();
        match counties.first() {
            Some(county) => format!("{} (county {})", county.name, county.code),
            None if self.municipalities.len() == 290 => "the whole country".to_owned(),
            None => {
                let codes: Vec<&str> = self.municipalities.iter().map(MunicipalityCode::as_str).collect();
                format!("the municipalities {}", codes.join(", "))
            }
        }
    }
}

impl Default for Region {
    fn default() -> Self {
        Self::county("01").unwrap_or_else(|_| Self::national())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweden_has_290_municipalities_in_21_counties() {
        assert_eq!(Municipality::all().len(), 290);
        assert_eq!(County::all().len(), 21);
        assert!(Municipality::all().all(|m| !m.name.is_empty()));
    }

    #[test]
    fn the_default_region_is_the_26_municipalities_of_stockholm_county() {
        let region = Region::default();
        assert_eq!(region.municipalities().len(), 26);
        assert_eq!(region.municipalities().first().map(|c| c.as_str()), Some("0114"));
        assert_eq!(region.municipalities().last().map(|c| c.as_str()), Some("0192"));
    }

    #[test]
    fn a_kommunkod_keeps_its_leading_zero_and_names_its_county() {
        let code = MunicipalityCode::parse("0180").unwrap();
        assert_eq!(code.as_str(), "0180");
        assert_eq!(code.municipality().name, "Stockholm");
        assert_eq!(code.municipality().county().name, "Stockholms län");
    }

    #[test]
    fn a_kommunkod_that_is_not_four_digits_or_not_a_municipality_is_rejected() {
        for bad in ["999", "9999", "180", "01800", "01a0", "", "0100"] {
            let error = MunicipalityCode::parse(bad).unwrap_err();
            assert_eq!(error.field, "municipality", "{bad}");
        }
    }

    #[test]
    fn a_kommunkod_sent_as_a_number_gets_its_leading_zero_back_when_lenient() {
        assert_eq!(MunicipalityCode::parse_lenient("180").unwrap().as_str(), "0180");
        assert_eq!(MunicipalityCode::parse_lenient("2584").unwrap().municipality().name, "Kiruna");
        assert!(MunicipalityCode::parse_lenient("999").is_err());
    }

    #[test]
    fn haabo_is_not_in_the_stockholm_region() {
        let habo = MunicipalityCode::parse("0305").unwrap();
        assert!(!Region::default().contains(habo));
        assert!(Region::national().contains(habo));
    }
}
