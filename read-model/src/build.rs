//! Building the read model from a catalogue: merging duplicate occasions, the courses and
//! providers in Swedish collation, one bitmap per filter value and per keyword, the text index
//! over distinct entities, and the precomputed orders in both directions.

use std::collections::HashMap;

use chrono::Datelike;
use roaring::RoaringBitmap;
use vuxnav_schema::{
    Catalogue, Course, CourseCode, Municipality, MunicipalityCode, Offering, Provenance, Provider, PublicId,
    SchoolForm, occasion,
};

use crate::collation::Swedish;
use crate::day::DayCache;
use crate::dimension::Dimension;
use crate::filter::WordCache;
use crate::keywords::Keywords;
use crate::quality;
use crate::text::{EntityKind, TextIndex};
use crate::{BuildError, PaceBand, ReadModel, Sorted, municipality_rank_of};

/// The start key of continuous intake: the earliest start.
pub(crate) const CONTINUOUS_START: i64 = i64::MIN;
/// The start key of an offering with neither a start nor continuous intake.
pub(crate) const UNKNOWN_START: i64 = i64::MAX;

fn start_key(offering: &Offering) -> i64 {
    match (offering.schedule.continuous_intake(), offering.schedule.start()) {
        (true, _) => CONTINUOUS_START,
        (false, Some(start)) => i64::from(start.num_days_from_ce()),
        (false, None) => UNKNOWN_START,
    }
}

impl ReadModel {
    /// Builds the read model from a catalogue. Offerings whose course or provider is missing
    /// are left out and logged.
    pub fn build(catalogue: Catalogue) -> Result<Self, BuildError> {
        let swedish = Swedish::new();
        let Merged { offerings, courses, providers, duplicates } = merge(catalogue, &swedish);

        let course_index: HashMap<PublicId, u32> = courses.iter().enumerate().map(|(i, c)| (c.id, i as u32)).collect();
        let provider_index: HashMap<PublicId, u32> =
            providers.iter().enumerate().map(|(i, p)| (p.id, i as u32)).collect();
        let course_by_code = courses
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.code.as_ref()?.as_str().to_uppercase(), i as u32)))
            .collect();
        let mut offering_index: HashMap<PublicId, u32> =
            offerings.iter().enumerate().map(|(i, o)| (o.id, i as u32)).collect();
        let mut also_listed: HashMap<u32, Vec<Provenance>> = HashMap::new();
        for duplicate in duplicates {
            let kept = offering_index[&duplicate.kept];
            offering_index.insert(duplicate.id, kept);
            also_listed.entry(kept).or_default().push(duplicate.provenance);
        }

        let course = Dimension::build(offerings.iter().map(|o| course_index[&o.course]));
        let provider = Dimension::build(offerings.iter().map(|o| provider_index[&o.provider]));
        let municipality = Dimension::build(offerings.iter().map(|o| o.municipality));
        let place = Dimension::build(offerings.iter().map(place_of));
        let school_form = Dimension::build(
            (0..offerings.len() as u32).map(|doc| courses[*course.value_of(doc) as usize].school_form),
        );
        let course_of = |doc: u32| &courses[*course.value_of(doc) as usize];
        let flags = Flags::of(&offerings, course_of);
        let (subject, subject_names) = subjects(&courses, &course, offerings.len(), &swedish);
        let keywords = Keywords::build(&offerings, course_of);
        let title = Dimension::build(offerings.iter().map(|o| o.title.clone().unwrap_or_default()));
        let text = Self::text_index(&courses, &providers, &municipality, &place, &title)?;
        let quality = quality::per_source(&offerings, |o| &courses[course_index[&o.course] as usize]);
        let municipality_rank = municipality_ranks(&swedish);
        let start_key: Vec<i64> = offerings.iter().map(start_key).collect();
        let seats: Vec<Option<u32>> = offerings.iter().map(|o| o.seats).collect();
        let sorted = orders(&offerings, &courses, &course, &municipality, &start_key, &municipality_rank, &swedish);

        Ok(Self {
            quality,
            runs: HashMap::new(),
            seats,
            all: (0..offerings.len() as u32).collect(),
            cancelled: flags.cancelled,
            continuous: flags.continuous,
            subjects: flags.subjects,
            school_form,
            mode: Dimension::build(offerings.iter().map(|o| o.mode)),
            time_of_study: Dimension::build(offerings.iter().map(|o| o.time_of_study)),
            language: Dimension::build(offerings.iter().map(|o| o.language)),
            pace: Dimension::build(offerings.iter().map(|o| o.pace)),
            pace_band: Dimension::build(offerings.iter().map(|o| PaceBand::of(o.pace))),
            subject,
            subject_names,
            start: Dimension::build(offerings.iter().map(|o| o.schedule.start())),
            application: Dimension::build(offerings.iter().map(|o| {
                let application = &o.application;
                (application.opens(), application.closes(), application.continuous(), o.schedule.continuous_intake())
            })),
            keywords,
            course,
            provider,
            municipality,
            place,
            title,
            start_key,
            municipality_rank,
            sorted,
            text,
            words: WordCache::new(),
            days: DayCache::new(),
            swedish,
            offering_index,
            also_listed,
            course_index,
            course_by_code,
            provider_index,
            courses,
            providers,
            offerings,
        })
    }

    fn text_index(
        courses: &[Course],
        providers: &[Provider],
        municipality: &Dimension<MunicipalityCode>,
        place: &Dimension<String>,
        title: &Dimension<String>,
    ) -> Result<TextIndex, BuildError> {
        let course_texts: Vec<String> = courses
            .iter()
            .map(|c| {
                [
                    Some(c.title.as_str()),
                    c.code.as_ref().map(CourseCode::as_str),
                    c.local_code.as_deref(),
                    c.subject.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
            })
            .collect();
        let entities = course_texts
            .iter()
            .enumerate()
            .map(|(i, text)| (EntityKind::Course, i as u32, text.as_str()))
            .chain(providers.iter().enumerate().map(|(i, p)| (EntityKind::Provider, i as u32, p.name.as_str())))
            .chain(
                municipality
                    .values()
                    .iter()
                    .enumerate()
                    .map(|(i, code)| (EntityKind::Municipality, i as u32, code.municipality().name)),
            )
            .chain(place.values().iter().enumerate().map(|(i, text)| (EntityKind::Place, i as u32, text.as_str())))
            .chain(
                title
                    .values()
                    .iter()
                    .enumerate()
                    .filter(|(_, text)| !text.is_empty())
                    .map(|(i, text)| (EntityKind::Title, i as u32, text.as_str())),
            )
            .chain(Keywords::texts().map(|(ord, text)| (EntityKind::Keyword, ord, text)));
        TextIndex::build(entities).map_err(|error| BuildError::TextIndex(error.to_string()))
    }
}

/// The catalogue's offerings with a known course and provider, one per id, with an occasion
/// two sources list merged into one; the courses and providers they use, in Swedish collation.
struct Merged {
    offerings: Vec<Offering>,
    courses: Vec<Course>,
    providers: Vec<Provider>,
    duplicates: Vec<occasion::Duplicate>,
}

fn merge(catalogue: Catalogue, swedish: &Swedish) -> Merged {
    let Catalogue { providers, courses, offerings } = catalogue;
    let known_courses: HashMap<PublicId, usize> = courses.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let known_providers: HashMap<PublicId, usize> = providers.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let before = offerings.len();
    let mut offerings: Vec<Offering> = offerings
        .into_iter()
        .filter(|o| known_courses.contains_key(&o.course) && known_providers.contains_key(&o.provider))
        .collect();
    if offerings.len() < before {
        tracing::warn!(left_out = before - offerings.len(), "offerings without a known course or provider");
    }
    offerings.sort_by_key(|o| o.id);
    offerings.dedup_by_key(|o| o.id);
    let (offerings, duplicates) = occasion::merge_duplicates(
        offerings,
        |id| known_courses.get(&id).map(|&i| &courses[i]),
        |id| known_providers.get(&id).map(|&i| &providers[i]),
    );

    let mut used_courses = vec![false; courses.len()];
    let mut used_providers = vec![false; providers.len()];
    for offering in &offerings {
        used_courses[known_courses[&offering.course]] = true;
        used_providers[known_providers[&offering.provider]] = true;
    }
    let mut courses: Vec<Course> =
        courses.into_iter().zip(used_courses).filter(|(_, used)| *used).map(|(c, _)| c).collect();
    courses.sort_by(|a, b| swedish.compare(&a.title, &b.title).then(a.id.cmp(&b.id)));
    let mut providers: Vec<Provider> =
        providers.into_iter().zip(used_providers).filter(|(_, used)| *used).map(|(p, _)| p).collect();
    providers.sort_by(|a, b| swedish.compare(&a.name, &b.name).then(a.id.cmp(&b.id)));
    Merged { offerings, courses, providers, duplicates }
}

/// The offerings that are cancelled, that have continuous intake, and of each subject (by
/// name and, for gymnasial courses, by the subject code in the course code), lowercase.
struct Flags {
    cancelled: RoaringBitmap,
    continuous: RoaringBitmap,
    subjects: HashMap<String, RoaringBitmap>,
}

impl Flags {
    fn of<'a>(offerings: &[Offering], course_of: impl Fn(u32) -> &'a Course) -> Self {
        let mut flags =
            Flags { cancelled: RoaringBitmap::new(), continuous: RoaringBitmap::new(), subjects: HashMap::new() };
        for (doc, offering) in offerings.iter().enumerate() {
            let doc = doc as u32;
            let course = course_of(doc);
            if let Some(subject) = &course.subject {
                flags.subjects.entry(subject.trim().to_lowercase()).or_default().insert(doc);
            }
            if let Some(code) = &course.code
                && matches!(course.school_form, SchoolForm::VuxGy | SchoolForm::VuxGyan)
            {
                flags.subjects.entry(code.subject_code().to_lowercase()).or_default().insert(doc);
            }
            if offering.cancelled {
                flags.cancelled.insert(doc);
            }
            if offering.schedule.continuous_intake() {
                flags.continuous.insert(doc);
            }
        }
        flags
    }
}

/// Each offering's subject as an index into the subject names, and the names: one spelling
/// per name ignoring case (that of the first course by title), in Swedish collation.
fn subjects(
    courses: &[Course],
    course: &Dimension<u32>,
    offerings: usize,
    swedish: &Swedish,
) -> (Dimension<Option<u32>>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in courses.iter().filter_map(|c| c.subject.as_deref()).map(str::trim).filter(|s| !s.is_empty()) {
        if seen.insert(name.to_lowercase()) {
            names.push(name.to_owned());
        }
    }
    names.sort_by(|a, b| swedish.compare(a, b));
    let index: HashMap<String, u32> = (0..).zip(&names).map(|(i, name)| (name.to_lowercase(), i)).collect();
    let of_course: Vec<Option<u32>> = courses
        .iter()
        .map(|c| c.subject.as_deref().and_then(|s| index.get(&s.trim().to_lowercase()).copied()))
        .collect();
    let subject = Dimension::build((0..offerings as u32).map(|doc| of_course[*course.value_of(doc) as usize]));
    (subject, names)
}

/// A place of study as searched: its name and town.
fn place_of(offering: &Offering) -> String {
    let location = &offering.location;
    [location.name.as_deref(), location.town.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// Every municipality's rank by name in Swedish collation.
fn municipality_ranks(swedish: &Swedish) -> HashMap<MunicipalityCode, u32> {
    let municipalities: Vec<Municipality> = Municipality::all().collect();
    let names: Vec<&str> = municipalities.iter().map(|m| m.name).collect();
    municipalities.iter().zip(swedish.ranks(&names)).map(|(m, rank)| (m.code, rank)).collect()
}

/// The fixed orders, in the slots of `page::fixed_order_slot`: by start, by title, by
/// municipality; ties broken by the next key and last by id. Each ascending and descending:
/// the direction applies to the first key; ties are broken ascending both ways, so an unknown
/// start comes last either way (and by start, continuous intake counts as the earliest start).
fn orders(
    offerings: &[Offering],
    courses: &[Course],
    course: &Dimension<u32>,
    municipality: &Dimension<MunicipalityCode>,
    start_key: &[i64],
    municipality_rank: &HashMap<MunicipalityCode, u32>,
    swedish: &Swedish,
) -> [[Sorted; 2]; 3] {
    let titles: Vec<&str> = courses.iter().map(|c| c.title.as_str()).collect();
    let title_rank = swedish.ranks(&titles);
    let docs: Vec<u32> = (0..offerings.len() as u32).collect();
    let title_of = |doc: &u32| title_rank[*course.value_of(*doc) as usize];
    let id_of = |doc: &u32| offerings[*doc as usize].id;
    let start_of = |doc: &u32| start_key[*doc as usize];
    let municipality_of = |doc: &u32| municipality_rank_of(municipality_rank, *municipality.value_of(*doc));
    let by_start = Sorted::new(docs.clone(), |a, b| {
        (start_of(a), title_of(a), id_of(a)).cmp(&(start_of(b), title_of(b), id_of(b)))
    });
    let by_title = Sorted::new(docs.clone(), |a, b| {
        (title_of(a), start_of(a), id_of(a)).cmp(&(title_of(b), start_of(b), id_of(b)))
    });
    let by_municipality = Sorted::new(docs, |a, b| {
        (municipality_of(a), start_of(a), id_of(a)).cmp(&(municipality_of(b), start_of(b), id_of(b)))
    });
    [
        [by_start.descending(|doc| start_of(&doc), Some(UNKNOWN_START)), by_start],
        [by_title.descending(|doc| title_of(&doc), None), by_title],
        [by_municipality.descending(|doc| municipality_of(&doc), None), by_municipality],
    ]
    .map(|[descending, ascending]| [ascending, descending])
}
