//! Readings: what a record shows without a field for it, read the way a person reads it. Every
//! kind uses these and no other, and none guesses: a reading is `None` when the text does not
//! say.
//!
//! - [`time_of_study_in`]: `Kväll`, `kvällstid`, `kvällskurs` are evening; `helg`, `helgtid`,
//!   `veckoslut`, `lördag` weekend; `dagtid` and a lone `dag` day.
//! - [`mode_in`]: `delvis distans`, `hybrid`, `flex` are hybrid; `distans`, `distanskurs`,
//!   `webb`, `online` distance.
//! - [`provider_kind_of`]: an organisation number says the body (`2120…` every Swedish
//!   municipality, `2321…` a region, `2021…` a state agency, anything else a private body:
//!   company, association or foundation); without one the name may (`AB`, `HB`, `KB`,
//!   `aktiebolag`, `förening`, `stiftelse` a private body; `… kommun`, `… stad` a municipality;
//!   `Region …` a region; a `folkhögskola` is run by a region or a movement, never a
//!   municipality, and the name alone cannot say which: `annan`).

use vuxnav_schema::{OrgNumber, ProviderKind, StudyMode, TimeOfStudy};

/// The words of a title, lowercased, split on anything that is not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The time of study a title names (`Matematik 1c Kväll`), if it names one.
pub fn time_of_study_in(title: &str) -> Option<TimeOfStudy> {
    let words = words(title);
    let has = |wanted: &[&str]| words.iter().any(|w| wanted.contains(&w.as_str()));
    if has(&["kväll", "kvällstid", "kvällskurs", "kvall", "kvallstid", "kvälls"]) {
        Some(TimeOfStudy::Evening)
    } else if has(&["helg", "helgtid", "helgkurs", "veckoslut", "lördag", "lördagar", "söndag"]) {
        Some(TimeOfStudy::Weekend)
    } else if has(&["dagtid", "dag"]) {
        Some(TimeOfStudy::Day)
    } else {
        None
    }
}

/// The study mode a title names (`Allmän kurs - Distans`), if it names one.
pub fn mode_in(title: &str) -> Option<StudyMode> {
    let lower = title.to_lowercase();
    let words = words(title);
    let has = |wanted: &[&str]| words.iter().any(|w| wanted.contains(&w.as_str()));
    if lower.contains("delvis distans") || has(&["hybrid", "flex", "flexibel"]) {
        Some(StudyMode::Hybrid)
    } else if has(&["distans", "distanskurs", "distansundervisning", "webb", "online", "nätbaserad"]) {
        Some(StudyMode::Distance)
    } else {
        None
    }
}

/// The words after which a title names how an occasion is given rather than what it is.
const MARKERS: [&str; 16] = [
    "kväll",
    "kvällstid",
    "kvällskurs",
    "kvall",
    "helg",
    "helgtid",
    "helgkurs",
    "veckoslut",
    "dagtid",
    "distans",
    "distanskurs",
    "webb",
    "online",
    "flex",
    "flexibel",
    "hybrid",
];

/// A title without the words at its end that name how the occasion is given (`Matematik 1c
/// Kväll`, `Engelska 5 - distans`, `Matematik 1b flex` are `Matematik 1c`, `Engelska 5`,
/// `Matematik 1b`): the course an occasion's title names. The title itself when nothing is
/// left.
pub fn course_title(title: &str) -> String {
    let mut words: Vec<&str> = title.split_whitespace().collect();
    let is_marker = |word: &str| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        word.is_empty() || MARKERS.contains(&word.as_str())
    };
    while words.len() > 1 && words.last().is_some_and(|w| is_marker(w)) {
        words.pop();
    }
    if words.last().is_some_and(|w| w.ends_with(',')) {
        let last = words.len() - 1;
        words[last] = words[last].trim_end_matches(',');
    }
    words.join(" ")
}

/// The kind of body a provider is, from its organisation number or else its name; `None` when
/// neither shows it.
pub fn provider_kind_of(org_number: Option<&OrgNumber>, name: &str) -> Option<ProviderKind> {
    if let Some(number) = org_number {
        return Some(match number.as_str().get(..4) {
            Some("2120") => ProviderKind::Kommunal,
            Some("2321") => ProviderKind::Region,
            Some("2021") => ProviderKind::Statlig,
            _ => ProviderKind::Enskild,
        });
    }
    let words = words(name);
    let has = |wanted: &[&str]| words.iter().any(|w| wanted.contains(&w.as_str()));
    let lower = name.to_lowercase();
    if has(&["ab", "hb", "kb", "aktiebolag", "handelsbolag", "förening", "föreningen", "stiftelse", "stiftelsen"])
        || lower.contains("aktiebolag")
    {
        Some(ProviderKind::Enskild)
    } else if words.first().is_some_and(|w| w == "region") || has(&["regionen", "landsting"]) {
        Some(ProviderKind::Region)
    } else if has(&["kommun", "kommuns", "kommunen"]) || words.last().is_some_and(|w| w == "stad" || w == "stads") {
        Some(ProviderKind::Kommunal)
    } else if lower.contains("folkhögskola") {
        Some(ProviderKind::Annan)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Titles from Sundsvall's 2023 export and from other komvux catalogues, with what a
    /// person reads in them.
    #[test]
    fn titles_tell_the_time_of_study_when_they_name_it() {
        let cases: &[(&str, Option<TimeOfStudy>)] = &[
            ("Matematik 1c Kväll", Some(TimeOfStudy::Evening)),
            ("Svenska som andraspråk 1 Kväll", Some(TimeOfStudy::Evening)),
            ("Engelska 5 Kväll", Some(TimeOfStudy::Evening)),
            ("Matematik 1c, distans, kvällstid, 50 %", Some(TimeOfStudy::Evening)),
            ("SFI D helg", Some(TimeOfStudy::Weekend)),
            ("Svenska 1 dagtid", Some(TimeOfStudy::Day)),
            ("Matematik 1a 20v", None),
            ("Naturkunskap 1a1 10v", None),
            ("Orienteringskurs 10v Att jobba i Sverige", None),
            ("Kvalificerad behandlingspedagog - distans", None),
            ("Restaurang och livsmedel kombo", None),
            ("Engelska 6 ", None),
            ("Dagbarnvårdare", None),
        ];
        for (title, expected) in cases {
            assert_eq!(time_of_study_in(title), *expected, "{title}");
        }
    }

    #[test]
    fn titles_tell_the_study_mode_when_they_name_it() {
        let cases: &[(&str, Option<StudyMode>)] = &[
            ("Allmän Kurs Gymnasienivå - Distans", Some(StudyMode::Distance)),
            ("Kvalificerad behandlingspedagog - distans", Some(StudyMode::Distance)),
            ("Engelska 5 webb", Some(StudyMode::Distance)),
            ("Matematik 1b flex", Some(StudyMode::Hybrid)),
            ("Svenska 1, delvis distans", Some(StudyMode::Hybrid)),
            ("Webbutveckling 1", None),
            ("Matematik 1c Kväll", None),
            ("Distansbyggare", None),
        ];
        for (title, expected) in cases {
            assert_eq!(mode_in(title), *expected, "{title}");
        }
    }

    #[test]
    fn a_title_without_its_markers_names_the_course() {
        assert_eq!(course_title("Matematik 1c Kväll"), "Matematik 1c");
        assert_eq!(course_title("Engelska 5 - distans"), "Engelska 5");
        assert_eq!(course_title("Svenska 1, kvällstid"), "Svenska 1");
        assert_eq!(course_title("Matematik 1b flex"), "Matematik 1b");
        assert_eq!(course_title("Restaurang och livsmedel kombo"), "Restaurang och livsmedel kombo");
        assert_eq!(course_title("Distans"), "Distans");
        assert_eq!(course_title("Kvalificerad behandlingspedagog - distans"), "Kvalificerad behandlingspedagog");
    }

    #[test]
    fn the_organisation_number_or_else_the_name_tells_the_provider_kind() {
        let number = |n: &str| OrgNumber::parse(n).unwrap();
        assert_eq!(provider_kind_of(Some(&number("212000-2411")), "Vad som helst"), Some(ProviderKind::Kommunal));
        assert_eq!(provider_kind_of(Some(&number("232100-0016")), "x"), Some(ProviderKind::Region));
        assert_eq!(provider_kind_of(Some(&number("556036-0793")), "Sundsvalls kommun"), Some(ProviderKind::Enskild));
        // Provider names of Sundsvall's 2023 export.
        let cases: &[(&str, Option<ProviderKind>)] = &[
            ("Sundsvalls Kommun", Some(ProviderKind::Kommunal)),
            ("Sundsvalls kommun, Vuxenutbildningen", Some(ProviderKind::Kommunal)),
            ("Kramfors kommun, Yrkeshögskolan Höga kusten", Some(ProviderKind::Kommunal)),
            ("Stockholms stad", Some(ProviderKind::Kommunal)),
            ("YH Akademin AB", Some(ProviderKind::Enskild)),
            ("Hermods AB Umeå", Some(ProviderKind::Enskild)),
            ("Lexicon Yrkeshögskola AB", Some(ProviderKind::Enskild)),
            ("Föreningen Mellansels folkhögskola", Some(ProviderKind::Enskild)),
            ("Stiftelsen Kursverksamheten", Some(ProviderKind::Enskild)),
            ("Region Stockholm", Some(ProviderKind::Region)),
            ("Örnsköldsviks folkhögskola", Some(ProviderKind::Annan)),
            ("Ålsta folkhögskola, filial Sundsvall", Some(ProviderKind::Annan)),
            ("ITH, Institutet För Tillämpad Hydraulik", None),
            ("Järnakademien Ångermanland", None),
            ("Vuxenutbildningen Klippan S", None),
        ];
        for (name, expected) in cases {
            assert_eq!(provider_kind_of(None, name), *expected, "{name}");
        }
    }
}
