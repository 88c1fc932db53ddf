//! Swedish free-text matching with tantivy.
//!
//! The index holds one small document per distinct searchable *entity* (a course, a provider,
//! a municipality, a place of study, an offering's own title, and the keywords of `keywords.rs`
//! for kinds of offering),
//! not per offering: a few thousand documents even at national scale. A query word matches an
//! entity by its Swedish stem, by a prefix (as you type), within a small edit distance
//! (typos), or with å, ä, ö, é … folded to a, a, o, e … (`vard` finds *Vård*); the read model
//! then turns matched entities into the bitmaps of their offerings.
//!
//! Ranking: the Swedish spelling counts most (the stem, then the word, then a prefix of it);
//! folded matches count less, so `vård` ranks *Vård* above *Vardag*, and typos least.

use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DocId, Index, IndexReader, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::keywords::Keywords;

/// What kind of thing an entity is; each kind has its own bitmap table in the read model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum EntityKind {
    Course = 0,
    Provider = 1,
    Municipality = 2,
    Place = 3,
    /// An offering's own title, as its provider published it (`Matematik 1c Kväll`).
    Title = 4,
    /// A kind of offering (`keywords.rs`): its offerings overlap other keywords'.
    Keyword = 5,
}

impl EntityKind {
    pub(crate) const ALL: [EntityKind; 6] =
        [Self::Course, Self::Provider, Self::Municipality, Self::Place, Self::Title, Self::Keyword];

    /// How much a match on this kind counts towards relevance: a title match matters most, a
    /// kind of offering least (it says little about which of them fits best).
    fn weight(self) -> f32 {
        match self {
            Self::Course | Self::Title => 2.0,
            Self::Provider | Self::Municipality | Self::Place => 1.0,
            Self::Keyword => 0.5,
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
const FOLDED: &str = "sv_folded";
const FOLDED_STEMMED: &str = "sv_folded_stemmed";

/// The four ways a text is indexed, each a field with its own analyzer.
#[derive(Clone)]
struct Analyzers {
    /// Lowercase Swedish stems: `svenskan` → `svensk`.
    stemmed: TextAnalyzer,
    /// Lowercase words as written.
    plain: TextAnalyzer,
    /// Lowercase words with diacritics folded: `vård` → `vard`.
    folded: TextAnalyzer,
    /// Folded, then stemmed: `vårdens` → `vard`.
    folded_stemmed: TextAnalyzer,
}

impl Analyzers {
    fn new() -> Self {
        let words = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_WORD_CHARS))
                .filter(LowerCaser)
        };
        let stemmer = || Stemmer::new(Language::Swedish);
        Self {
            stemmed: words().filter(stemmer()).build(),
            plain: words().build(),
            folded: words().filter(AsciiFoldingFilter).build(),
            folded_stemmed: words().filter(AsciiFoldingFilter).filter(stemmer()).build(),
        }
    }

    fn named(&self) -> [(&'static str, &TextAnalyzer); 4] {
        [(STEMMED, &self.stemmed), (PLAIN, &self.plain), (FOLDED, &self.folded), (FOLDED_STEMMED, &self.folded_stemmed)]
    }
}

pub(crate) struct TextIndex {
    reader: IndexReader,
    /// The fields in the order of [`Analyzers::named`].
    fields: [Field; 4],
    /// `(kind, ord)` of each tantivy document, per segment, by doc id.
    entities: Vec<Vec<(EntityKind, u32)>>,
    analyzers: Analyzers,
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
        let analyzers = Analyzers::new();
        let fields = analyzers.named().map(|(name, _)| builder.add_text_field(name, text_options(name)));
        let kind = builder.add_u64_field("kind", FAST);
        let ord = builder.add_u64_field("ord", FAST);
        let index = Index::create_in_ram(builder.build());
        for (name, analyzer) in analyzers.named() {
            index.tokenizers().register(name, analyzer.clone());
        }

        let mut title_analyzers = analyzers.clone();
        let kind_words: HashSet<String> =
            Keywords::texts().flat_map(|(_, text)| tokens(&mut title_analyzers.folded_stemmed, text)).collect();
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 50_000_000)?;
        for (entity_kind, entity_ord, text) in entities {
            let without_kind_words;
            let text = if entity_kind == EntityKind::Title {
                without_kind_words = Self::without_kind_words(&mut title_analyzers, &kind_words, text);
                without_kind_words.as_str()
            } else {
                text
            };
            let mut doc = TantivyDocument::default();
            for field in fields {
                doc.add_text(field, text);
            }
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
        Ok(Self { reader, fields, entities, analyzers })
    }

    /// An offering's own title without the words for kinds of offerings (`distans`, `kväll`,
    /// `helg`, `komvux`…): those words find offerings of their kind only through the keyword
    /// entities (`keywords.rs`), so that `Svenska 1 delvis distans`, a hybrid occasion, is not
    /// found by `distans`, and each kind word finds exactly the offerings of its kind.
    fn without_kind_words(analyzers: &mut Analyzers, kind_words: &HashSet<String>, title: &str) -> String {
        tokens(&mut analyzers.plain, title)
            .into_iter()
            .filter(|word| tokens(&mut analyzers.folded_stemmed, word).iter().all(|stem| !kind_words.contains(stem)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Splits a query into its words, lowercased, as the index sees them.
    pub(crate) fn words(&self, text: &str) -> Vec<String> {
        tokens(&mut self.analyzers.plain.clone(), text)
    }

    /// Every entity that `word` (one of [`TextIndex::words`]) matches, with a score.
    pub(crate) fn search_word(&self, word: &str) -> tantivy::Result<Vec<Hit>> {
        let [stemmed, plain, folded, folded_stemmed] = self.fields;
        let analyzed =
            |analyzer: &TextAnalyzer| tokens(&mut analyzer.clone(), word).pop().unwrap_or_else(|| word.to_owned());
        let chars = word.chars().count();
        let typo_distance = match chars {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let term = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let query = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
            (Occur::Should, boosted(query, boost))
        };
        let folded_word = analyzed(&self.analyzers.folded);
        let mut clauses = vec![
            term(stemmed, &analyzed(&self.analyzers.stemmed), 3.0),
            term(plain, word, 2.0),
            term(folded_stemmed, &analyzed(&self.analyzers.folded_stemmed), 1.2),
        ];
        if chars >= 2 {
            let prefix =
                |field: Field, text: &str| FuzzyTermQuery::new_prefix(Term::from_field_text(field, text), 0, false);
            clauses.push((Occur::Should, boosted(prefix(plain, word), 1.5)));
            clauses.push((Occur::Should, boosted(prefix(folded, &folded_word), 0.8)));
        }
        if typo_distance > 0 {
            let typo = FuzzyTermQuery::new(Term::from_field_text(folded, &folded_word), typo_distance, true);
            clauses.push((Occur::Should, boosted(typo, 1.0)));
        }
        let query = BooleanQuery::new(clauses);
        let found = self.reader.searcher().search(&query, &EveryMatch)?;
        Ok(found
            .into_iter()
            .filter_map(|(segment, doc, score)| {
                let (kind, ord) = *self.entities.get(segment as usize)?.get(doc as usize)?;
                Some(Hit { kind, ord, score: score * kind.weight() })
            })
            .collect())
    }
}

/// Collects every matching document with its score, in no order: all are needed, so ranking
/// them (as `TopDocs` would) is wasted work.
struct EveryMatch;

struct SegmentMatches {
    segment: SegmentOrdinal,
    found: Vec<(SegmentOrdinal, DocId, Score)>,
}

impl Collector for EveryMatch {
    type Fruit = Vec<(SegmentOrdinal, DocId, Score)>;
    type Child = SegmentMatches;

    fn for_segment(&self, segment: SegmentOrdinal, _reader: &SegmentReader) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches { segment, found: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(segments.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<(SegmentOrdinal, DocId, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.found.push((self.segment, doc, score));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
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
    fn a_word_typed_without_its_ring_or_dots_finds_the_swedish_spelling() {
        let index = index();
        assert_eq!(ords(&index.search_word("vard").unwrap(), EntityKind::Course), [2]);
        assert_eq!(ords(&index.search_word("vardens").unwrap(), EntityKind::Course), [2]);
        assert_eq!(ords(&index.search_word("andrasprak").unwrap(), EntityKind::Course), [0]);
    }

    #[test]
    fn the_swedish_spelling_scores_above_the_same_word_folded() {
        let index = TextIndex::build([(EntityKind::Course, 0, "Vård"), (EntityKind::Course, 1, "Vard")]).unwrap();
        let hits = index.search_word("vård").unwrap();
        let score = |ord| hits.iter().find(|h| h.ord == ord).map_or(0.0, |h| h.score);
        assert!(score(0) > score(1), "{hits:?}");
    }

    #[test]
    fn a_word_that_matches_nothing_finds_nothing() {
        assert!(index().search_word("xylofon").unwrap().is_empty());
    }
}
