//! Swedish free-text matching with tantivy.
//!
//! The index holds one small document per distinct searchable *entity* (a course, a provider,
//! a municipality, a place of study), not per offering: a few thousand documents even at
//! national scale. A query word matches an entity by its Swedish stem, by a prefix (as you
//! type), or within a small edit distance (typos); the read model then turns matched entities
//! into the bitmaps of their offerings.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// What kind of thing an entity is; each kind has its own bitmap table in the read model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum EntityKind {
    Course = 0,
    Provider = 1,
    Municipality = 2,
    Place = 3,
    /// An offering's own title, as its provider published it (`Matematik 1c Kväll`).
    Title = 4,
}

impl EntityKind {
    pub(crate) const ALL: [EntityKind; 5] =
        [Self::Course, Self::Provider, Self::Municipality, Self::Place, Self::Title];

    /// How much a match on this kind counts towards relevance: a title match matters most.
    fn weight(self) -> f32 {
        match self {
            Self::Course | Self::Title => 2.0,
            Self::Provider | Self::Municipality | Self::Place => 1.0,
        }
    }
}

/// A matched entity: its kind, its position in the read model's table, and a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub kind: EntityKind,
    pub ord: u32,
    pub score: f32,
}

/// Words longer than this are not searched (they are not words).
const MAX_WORD_CHARS: usize = 40;
/// At most this many words are searched; more is a bad request.
pub(crate) const MAX_WORDS: usize = 12;

const STEMMED: &str = "sv_stemmed";
const PLAIN: &str = "sv_plain";

pub(crate) struct TextIndex {
    reader: IndexReader,
    stemmed: Field,
    plain: Field,
    /// `(kind, ord)` of each tantivy document, per segment, by doc id.
    entities: Vec<Vec<(EntityKind, u32)>>,
    stem_analyzer: TextAnalyzer,
    plain_analyzer: TextAnalyzer,
}

fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_CHARS))
        .filter(LowerCaser)
        .build()
}

fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_CHARS))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

impl TextIndex {
    /// Builds the index from `(kind, ord, text)` triples.
    pub(crate) fn build<'a>(entities: impl IntoIterator<Item = (EntityKind, u32, &'a str)>) -> tantivy::Result<Self> {
        let mut builder = Schema::builder();
        let text_options = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let stemmed = builder.add_text_field(STEMMED, text_options(STEMMED));
        let plain = builder.add_text_field(PLAIN, text_options(PLAIN));
        let kind = builder.add_u64_field("kind", FAST);
        let ord = builder.add_u64_field("ord", FAST);
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(STEMMED, stem_analyzer());
        index.tokenizers().register(PLAIN, plain_analyzer());

        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 50_000_000)?;
        for (entity_kind, entity_ord, text) in entities {
            let mut doc = TantivyDocument::default();
            doc.add_text(stemmed, text);
            doc.add_text(plain, text);
            doc.add_u64(kind, entity_kind as u64);
            doc.add_u64(ord, u64::from(entity_ord));
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;

        let searcher = reader.searcher();
        let mut entities = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let kinds = segment.fast_fields().u64("kind")?;
            let ords = segment.fast_fields().u64("ord")?;
            let per_doc = (0..segment.max_doc())
                .map(|doc| {
                    let kind = kinds.first(doc).unwrap_or(0);
                    let kind = EntityKind::ALL.get(kind as usize).copied().unwrap_or(EntityKind::Course);
                    (kind, ords.first(doc).unwrap_or(0) as u32)
                })
                .collect();
            entities.push(per_doc);
        }
        Ok(Self { reader, stemmed, plain, entities, stem_analyzer: stem_analyzer(), plain_analyzer: plain_analyzer() })
    }

    /// Splits a query into its words, lowercased, as the index sees them.
    pub(crate) fn words(&self, text: &str) -> Vec<String> {
        tokens(&mut self.plain_analyzer.clone(), text)
    }

    /// Every entity that `word` matches, with a score.
    pub(crate) fn search_word(&self, word: &str) -> tantivy::Result<Vec<Hit>> {
        let stem = tokens(&mut self.stem_analyzer.clone(), word).pop().unwrap_or_else(|| word.to_owned());
        let chars = word.chars().count();
        let typo_distance = match chars {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let plain_term = Term::from_field_text(self.plain, word);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Should,
                boosted(TermQuery::new(Term::from_field_text(self.stemmed, &stem), IndexRecordOption::WithFreqs), 3.0),
            ),
            (Occur::Should, boosted(TermQuery::new(plain_term.clone(), IndexRecordOption::WithFreqs), 2.0)),
        ];
        if chars >= 2 {
            clauses.push((Occur::Should, boosted(FuzzyTermQuery::new_prefix(plain_term.clone(), 0, false), 1.5)));
        }
        if typo_distance > 0 {
            clauses.push((Occur::Should, boosted(FuzzyTermQuery::new(plain_term, typo_distance, true), 1.0)));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX).max(1);
        let found = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(found
            .into_iter()
            .filter_map(|(score, address)| {
                let (kind, ord) = *self.entities.get(address.segment_ord as usize)?.get(address.doc_id as usize)?;
                Some(Hit { kind, ord, score: score * kind.weight() })
            })
            .collect())
    }
}

fn boosted(query: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TextIndex {
        TextIndex::build([
            (EntityKind::Course, 0, "Svenska som andraspråk 1 SVASVA01 Svenska som andraspråk"),
            (EntityKind::Course, 1, "Matematik 1c MATMAT01c Matematik"),
            (EntityKind::Course, 2, "Vård- och omsorgsarbete 1 VÅRVÅR01 Vård och omsorg"),
            (EntityKind::Municipality, 0, "Huddinge"),
            (EntityKind::Place, 0, "Flemingsberg Vuxenutbildningscentrum"),
        ])
        .unwrap()
    }

    fn ords(hits: &[Hit], kind: EntityKind) -> Vec<u32> {
        let mut ords: Vec<u32> = hits.iter().filter(|h| h.kind == kind).map(|h| h.ord).collect();
        ords.sort_unstable();
        ords
    }

    #[test]
    fn a_swedish_inflection_finds_the_base_form() {
        let index = index();
        assert_eq!(ords(&index.search_word("svenskan").unwrap(), EntityKind::Course), [0]);
    }

    #[test]
    fn a_typo_still_finds_the_course() {
        let index = index();
        assert_eq!(ords(&index.search_word("matematk").unwrap(), EntityKind::Course), [1]);
    }

    #[test]
    fn the_start_of_a_word_or_a_course_code_finds_it() {
        let index = index();
        assert_eq!(ords(&index.search_word("matem").unwrap(), EntityKind::Course), [1]);
        assert_eq!(ords(&index.search_word("matmat01").unwrap(), EntityKind::Course), [1]);
    }

    #[test]
    fn places_and_municipalities_are_searchable_too() {
        let index = index();
        assert_eq!(ords(&index.search_word("huddinge").unwrap(), EntityKind::Municipality), [0]);
        assert_eq!(ords(&index.search_word("flemingsberg").unwrap(), EntityKind::Place), [0]);
    }

    #[test]
    fn a_word_that_matches_nothing_finds_nothing() {
        assert!(index().search_word("xylofon").unwrap().is_empty());
    }
}
