//! The demo's registries, generated deterministically for the scale's municipalities: links
//! from the demo's yrkesvux packages to their occupations (real JobTech ids from the pinned
//! snapshot), a guidance centre per municipality and a lärcentrum in the larger ones, with
//! opening hours and channels, prövning and branschvalidering offers (the industry models of
//! REGISTRIES.md §1.1), a price list, and a labour-market outlook publication for Stockholms
//! län and the whole country.
//!
//! Invented, and marked so: every service's web and mail address is on `.example` and its
//! telephone number in the range PTS sets aside for fiction (08-465 004 00 to 99); every price is
//! `FigureSource::Illustrative` (no real komvux price list is vendored), and the outlook is an
//! illustrative publication whose barometer occupations (`demo-<SSYK code>`) and figures are
//! made up (no real Yrkesbarometer figures are vendored).

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use vuxnav_schema::{
    AmountSek, BarometerOccupation, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService,
    IndustryModel, JobOpportunities, Language, Location, ModelError, MunicipalityCode, OccupationLink, OpeningHours,
    OutlookArea, OutlookForecast, OutlookPublication, OutlookRow, Party, Payer, PriceList, PriceListEntry, PriceScope,
    PriceUnit, RecruitmentSituation, Registries, RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy,
    ValidationKind, ValidationOffer, Validity,
};

use crate::Scale;
use crate::places::Profile;

/// The demo's yrkesvux packages and the occupations (taxonomy ids) each leads to.
/// `YVLAST` is left out: its occupation id is not confirmed (REGISTRIES.md §3.3, status B).
const PACKAGE_OCCUPATIONS: &[(&str, &[&str])] = &[
    ("YVUSK", &["Y3QA_5pk_uXd"]),
    ("YVVBI", &["4zLr_jP5_peZ"]),
    ("YVPA", &["eU1q_zvL_9Rf"]),
    ("YVBAR", &["rM7G_ge7_XhP", "Sbzf_iBA_MAS"]),
    ("YVEL", &["84Uc_bhA_s47"]),
    ("YVBUSS", &["qSXj_aXc_EGp"]),
    ("YVLAG", &["sizv_uPq_nWf", "GQSf_fnq_kjF"]),
    ("YVKOCK", &["Vg3d_Azf_p5Y", "JbJw_as4_S93"]),
    ("YVFAST", &["C6Cv_9ZR_7Gb"]),
    ("YVSNI", &["4Z7F_oBG_vMG"]),
    ("YVSVE", &["wf1E_nWA_EJp"]),
    ("YVSTAD", &["dYo1_D8c_87U"]),
];

/// An industry validation model: key, name, owner, occupations (taxonomy ids), SeQF level.
type IndustryModelRow = (&'static str, &'static str, &'static str, &'static [&'static str], Option<i64>);

/// The industry validation models of REGISTRIES.md §1.1 that the demo offers.
const INDUSTRY_MODELS: &[IndustryModelRow] = &[
    ("el-ecy", "Validering av utomnordiska elektriker", "ECY", &["84Uc_bhA_s47"], None),
    ("bygg-byn", "Byggindustrins valideringsmodell", "BYN", &["4Z7F_oBG_vMG", "57z2_b5A_hAT"], Some(4)),
    (
        "vo-college",
        "Vård- och omsorgscollege, nationella valideringsriktlinjer",
        "Vård- och omsorgscollege",
        &["Y3QA_5pk_uXd", "4zLr_jP5_peZ"],
        Some(4),
    ),
    ("stad-service", "Städ- och servicemodellen", "Städ- och servicebranschen", &["dYo1_D8c_87U"], Some(2)),
];

/// Prövning offers: the course validated against and the occupation it counts towards.
const PROVNING: &[(&str, &str, &str)] = &[
    ("VÅRVÅR01", "Prövning i Vård- och omsorgsarbete 1", "Y3QA_5pk_uXd"),
    ("ELLELL01", "Prövning i Ellära 1", "84Uc_bhA_s47"),
];

/// The demo's registries for the scale's municipalities, valid from 1 January of `today`'s
/// year. The same `(scale, today)` gives the same registries.
pub fn registries(scale: Scale, today: NaiveDate) -> Result<Registries, ModelError> {
    let taxonomy = Taxonomy::pinned()?;
    let profiles: Vec<Profile> = scale.municipalities().into_iter().map(Profile::of).collect();
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let validity = Validity::new(year_start, None)?;
    let key = |text: String| RegistryKey::parse(&text);

    let mut occupation_links = Vec::new();
    for (package, occupations) in PACKAGE_OCCUPATIONS {
        for id in *occupations {
            occupation_links
                .push(OccupationLink { course: CourseCode::parse(package)?, occupation: taxonomy.occupation_id(id)? });
        }
    }

    let mut guidance_services = Vec::new();
    let mut validation_offers = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        let code = profile.municipality.code;
        let slug = slug(profile.municipality.name);
        let (latitude, longitude) = profile.centre;
        let (place, town) =
            profile.places.first().cloned().unwrap_or_else(|| (profile.municipality.name.to_owned(), String::new()));
        guidance_services.push(GuidanceService {
            key: key(format!("vagledning-{}-{slug}", code.as_str()))?,
            kind: GuidanceKind::GuidanceCentre,
            name: format!("Vägledningscentrum {}", profile.municipality.name),
            organiser: profile.organisation.clone(),
            municipalities: vec![code],
            channels: if index % 3 == 0 {
                vec![Channel::OnSite, Channel::Phone, Channel::Video, Channel::Chat]
            } else {
                vec![Channel::OnSite, Channel::Phone, Channel::Video]
            },
            languages: languages(index)?,
            target_groups: TargetGroup::ALL.to_vec(),
            address: Location {
                name: Some(format!("{} vuxenutbildning, {place}", profile.municipality.name)),
                street_address: Some(format!("Studievägen {}", index % 40 + 1)),
                postal_code: None,
                town: Some(if town.is_empty() { profile.municipality.name.to_owned() } else { town }),
                coordinates: Some(Coordinates::new(latitude, longitude)?),
            },
            booking_url: Some(format!("https://vagledning.{slug}.example/boka")),
            phone: Some(format!("08-465 004 {:02}", index % 100)),
            opening_hours: opening_hours(index)?,
            draws_up_study_plan: true,
        });
        if profile.population >= 60_000 {
            guidance_services.push(GuidanceService {
                key: key(format!("larcentrum-{}-{slug}", code.as_str()))?,
                kind: GuidanceKind::LearningCentre,
                name: format!("Lärcentrum {}", profile.municipality.name),
                channels: vec![Channel::OnSite],
                target_groups: vec![TargetGroup::UpperSecondary, TargetGroup::Vocational],
                opening_hours: learning_centre_hours()?,
                draws_up_study_plan: false,
                booking_url: None,
                ..guidance_services[guidance_services.len() - 1].clone()
            });
        }
        for (course, title, occupation) in PROVNING {
            validation_offers.push(ValidationOffer {
                key: key(format!("provning-{}-{}", slug_of_code(course), code.as_str()))?,
                kind: ValidationKind::AgainstCourse,
                title: (*title).to_owned(),
                course_codes: vec![CourseCode::parse(course)?],
                occupations: vec![taxonomy.occupation_id(occupation)?],
                industry_model: None,
                seqf_level: None,
                provider: profile.unit.to_owned(),
                municipalities: vec![code],
                languages: vec![Language::SWEDISH],
                cost_sek: Some(0),
                paid_by: Payer::Municipality,
                contact: format!("https://vux.{slug}.example/provning"),
                validity,
            });
        }
    }

    // Branschvalidering: each model offered by a few centres, each serving a group of
    // neighbouring municipalities (by kommunkod order).
    let codes: Vec<MunicipalityCode> = profiles.iter().map(|p| p.municipality.code).collect();
    for (model_index, (model_key, name, owner, occupations, level)) in INDUSTRY_MODELS.iter().enumerate() {
        for (group_index, group) in codes.chunks(6).enumerate() {
            validation_offers.push(ValidationOffer {
                key: key(format!("{model_key}-grupp-{}", group_index + 1))?,
                kind: ValidationKind::AgainstIndustry,
                title: format!("Branschvalidering: {name}"),
                course_codes: vec![],
                occupations: occupations.iter().map(|id| taxonomy.occupation_id(id)).collect::<Result<_, _>>()?,
                industry_model: Some(IndustryModel { name: (*name).to_owned(), owner: (*owner).to_owned() }),
                seqf_level: level.map(SeqfLevel::new).transpose()?,
                provider: format!("Valideringscentrum {}", group[0].municipality().name),
                municipalities: group.to_vec(),
                languages: languages(model_index + group_index)?,
                cost_sek: None,
                paid_by: if model_index % 2 == 0 { Payer::EmploymentService } else { Payer::Industry },
                contact: format!("https://validering.{model_key}.example"),
                validity,
            });
        }
    }

    let prices = PriceList::new(prices(&validity)?)?;
    let outlook = Some(outlook(taxonomy, year_start)?);
    Ok(Registries { occupation_links, validation_offers, guidance_services, prices, outlook })
}

/// What the demo's outlook publication names as its source.
const OUTLOOK_SOURCE: &str = "vuxnavs demo: påhittade siffror i Yrkesbarometerns form";

/// An illustrative outlook publication of `published`: one barometer occupation per SSYK group
/// of the demo's packages' occupations (`demo-5321`, labelled with the group), assessed in the
/// whole country and, for three groups of four, in Stockholms län (the fourth falls back to
/// the national figures).
fn outlook(taxonomy: &Taxonomy, published: NaiveDate) -> Result<OutlookPublication, ModelError> {
    let mut groups: Vec<(String, &str, Vec<&str>)> = Vec::new();
    for id in PACKAGE_OCCUPATIONS.iter().flat_map(|(_, ids)| ids.iter()) {
        let occupation = taxonomy.occupation(id)?;
        match groups.iter_mut().find(|(code, _, _)| *code == occupation.ssyk.code()) {
            Some((_, _, ids)) => ids.push(id),
            None => groups.push((occupation.ssyk.code(), &occupation.ssyk_label, vec![id])),
        }
    }
    let mut rows = Vec::new();
    for (index, (ssyk, label, ids)) in groups.iter().enumerate() {
        let barometer = BarometerOccupation::new(&format!("demo-{ssyk}"), label)?;
        let occupations = OutlookRow::occupations(taxonomy, ids.iter().copied())?;
        let areas: &[&str] = if index % 4 == 3 { &[OutlookArea::NATIONAL] } else { &["01", OutlookArea::NATIONAL] };
        for (area_index, area) in areas.iter().enumerate() {
            let pick = index * 2 + area_index;
            rows.push(OutlookRow {
                barometer: barometer.clone(),
                occupations: occupations.clone(),
                area: OutlookArea::parse(area)?,
                job_opportunities: JobOpportunities::ALL[(pick + 2) % 3],
                recruitment: RecruitmentSituation::ALL[pick % 3],
                forecast: OutlookForecast::ALL[(index + 2) % 3],
            });
        }
    }
    OutlookPublication::new(published, OUTLOOK_SOURCE, true, rows).map_err(|(_, error)| error)
}

/// An illustrative region-wide price list: per point for grundläggande and gymnasial komvux,
/// per course for sfi and anpassad utbildning, and per package for the yrkesvux packages.
fn prices(validity: &Validity) -> Result<Vec<PriceListEntry>, ModelError> {
    let entry = |key: &str, school_form, scope, unit, amount: &str| -> Result<PriceListEntry, ModelError> {
        Ok(PriceListEntry {
            key: RegistryKey::parse(key)?,
            payer: Party::WholeRegion,
            provider: Party::WholeRegion,
            school_form,
            scope,
            unit,
            amount: AmountSek::parse(amount)?,
            validity: *validity,
            decision: None,
            source: FigureSource::Illustrative,
        })
    };
    let mut entries = vec![
        entry("vuxgr-poang", SchoolForm::VuxGr, PriceScope::SchoolForm, PriceUnit::PerPoint, "42")?,
        entry("vuxgy-poang", SchoolForm::VuxGy, PriceScope::SchoolForm, PriceUnit::PerPoint, "48")?,
        entry("vuxsfi-kurs", SchoolForm::VuxSfi, PriceScope::SchoolForm, PriceUnit::PerSfiCourse, "9500")?,
        entry("vuxgran-kurs", SchoolForm::VuxGran, PriceScope::SchoolForm, PriceUnit::PerCourse, "14000")?,
        entry("vuxgyan-kurs", SchoolForm::VuxGyan, PriceScope::SchoolForm, PriceUnit::PerCourse, "16000")?,
    ];
    for (index, (package, _)) in PACKAGE_OCCUPATIONS.iter().enumerate() {
        let amount = (52_000 + 2_500 * index).to_string();
        entries.push(entry(
            &format!("paket-{}", package.to_lowercase()),
            SchoolForm::VuxGy,
            PriceScope::Course(CourseCode::parse(package)?),
            PriceUnit::PerCourse,
            &amount,
        )?);
    }
    Ok(entries)
}

fn languages(index: usize) -> Result<Vec<Language>, ModelError> {
    let extra: &[&str] = match index % 4 {
        0 => &["eng", "ara"],
        1 => &["eng", "som"],
        2 => &["eng", "tir"],
        _ => &["eng", "fas"],
    };
    let mut languages = vec![Language::SWEDISH];
    for code in extra {
        languages.push(Language::parse(code)?);
    }
    Ok(languages)
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

/// Drop-in Monday to Thursday, one evening a week (which evening varies), Friday mornings.
fn opening_hours(index: usize) -> Result<Vec<OpeningHours>, ModelError> {
    let evening = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu][index % 4];
    let mut rows = Vec::new();
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu] {
        rows.push((day, time(8, 30), time(12, 0)));
        rows.push((day, time(13, 0), if day == evening { time(19, 0) } else { time(16, 0) }));
    }
    rows.push((Weekday::Fri, time(8, 30), time(12, 0)));
    OpeningHours::week(rows)
}

fn learning_centre_hours() -> Result<Vec<OpeningHours>, ModelError> {
    OpeningHours::week(
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri].map(|d| (d, time(8, 0), time(20, 0))),
    )
}

/// A municipality's name as a key part: lowercase ASCII, `å ä` as `a`, `ö` as `o`, spaces as `-`.
fn slug(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect()
}

fn slug_of_code(code: &str) -> String {
    slug(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
    }

    #[test]
    fn the_demo_registries_are_valid_and_the_same_every_time() {
        let registries = registries(Scale::Regional, today()).expect("valid registries");
        assert_eq!(registries, super::registries(Scale::Regional, today()).expect("valid registries"));
        let region = vuxnav_schema::Region::default();
        for service in &registries.guidance_services {
            assert_eq!(service.validate(&region), Ok(()), "{}", service.key);
        }
        for offer in &registries.validation_offers {
            assert_eq!(offer.validate(&region), Ok(()), "{}", offer.key);
        }
    }

    #[test]
    fn every_municipality_of_the_region_has_a_guidance_centre() {
        let registries = registries(Scale::Regional, today()).expect("valid registries");
        for code in vuxnav_schema::Region::default().municipalities() {
            assert!(
                registries
                    .guidance_services
                    .iter()
                    .any(|s| s.kind == GuidanceKind::GuidanceCentre && s.municipalities == [*code]),
                "{code}"
            );
        }
    }

    #[test]
    fn the_demo_outlook_is_illustrative_and_covers_every_linked_occupation_in_stockholm_or_nationally() {
        let registries = registries(Scale::Regional, today()).expect("valid registries");
        let outlook = registries.outlook.expect("an outlook publication");
        assert!(outlook.illustrative);
        for link in &registries.occupation_links {
            let rows = outlook.for_occupation(&link.occupation, Some("01"));
            assert_eq!(rows.len(), 1, "{}", link.occupation);
        }
        let areas: Vec<&str> = outlook.rows().iter().map(|r| r.area.code()).collect();
        assert!(areas.contains(&"01") && areas.contains(&"riket"), "{areas:?}");
    }

    #[test]
    fn every_demo_price_is_labelled_illustrative() {
        let registries = registries(Scale::Regional, today()).expect("valid registries");
        assert!(!registries.prices.entries().is_empty());
        assert!(registries.prices.entries().iter().all(|e| e.source == FigureSource::Illustrative));
    }
}
