//! The limits every GraphQL request is measured against, the measures, and the refusal
//! ([`LimitExceeded`], answered `QUERY_TOO_COMPLEX`).
//!
//! A request's work must be bounded before anything costly or recursive looks at it. Three
//! steps, each linear in the size of the request:
//!
//! 1. Before parsing, [`DocumentLimits::scan`] runs a small GraphQL lexer over the text: its
//!    size in bytes, its tokens (punctuators, names, numbers, strings; whitespace, commas and
//!    comments are not tokens) and how deep `{`, `[` and `(` nest. async-graphql's parser
//!    recurses on nested values without a limit (a value nested 800 levels deep overflows a
//!    thread's stack), so nothing reaches it that nests deeper than
//!    [`DocumentLimits::max_nesting`]. The references are GraphQL Armor's `maxTokens` and
//!    `maxDepth` and Hive Router's `limits`.
//! 2. After parsing, [`DocumentLimits::check_expansion`] computes how many selections the
//!    document has, and how deep its selection sets nest, once every fragment spread is
//!    expanded, without expanding anything: each fragment's figures are computed once, from
//!    the figures of the fragments it spreads (memoised, in dependency order), so a chain of
//!    fragments that each spread the previous one twice costs one step per fragment, not
//!    2^n. A fragment that spreads itself (directly or through others) is found on the way
//!    and refused ([`DocumentRefusal::FragmentCycle`]). Validation and execution follow
//!    spreads, so this bounds their work.
//! 3. The schema's own limits (aliases, depth, complexity) are checked by
//!    `graphql::errors::Protections` and refused with the same [`LimitExceeded`].
//!
//! Nothing here recurses: every walk over a document keeps its own stack.

use std::collections::{HashMap, HashSet};
use std::fmt;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensionValues, Positioned, ServerError};

use super::codes::Code;

/// The highest `max_nesting` allowed, and the schema's recursion limit (async-graphql's
/// check of selection sets nested through fragments, which the transport's own check keeps
/// from being reached). async-graphql's parser refuses selection sets nested deeper than 64
/// itself; a value nested this deep is far from what overflows a thread's stack.
pub const MAX_NESTING: usize = 64;

/// A limit a request is measured against. Its [`key`](Limit::key) is the name of the
/// `[graphql]` config key that sets it, sent as `extensions.limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The length of the document (the `query` text) in bytes.
    DocumentBytes,
    /// The number of lexical tokens in the document.
    Tokens,
    /// How deep `{`, `[` and `(` nest in the document's text.
    Nesting,
    /// How deep selection sets nest once every fragment spread is expanded (a field's
    /// selection set, an inline fragment and a fragment spread each count one level).
    ExpandedNesting,
    /// The number of selections (fields, fragment spreads, inline fragments) of every
    /// operation and fragment once every fragment spread is expanded.
    ExpandedSelections,
    /// The number of aliased fields in the document.
    Aliases,
    /// How deep fields nest in the operation (async-graphql's depth).
    Depth,
    /// The operation's complexity score (a connection counts `first` times its selection).
    Complexity,
}

impl Limit {
    /// The `[graphql]` config key of this limit.
    pub const fn key(self) -> &'static str {
        match self {
            Self::DocumentBytes => "max_document_bytes",
            Self::Tokens => "max_tokens",
            Self::Nesting | Self::ExpandedNesting => "max_nesting",
            Self::ExpandedSelections => "max_expanded_selections",
            Self::Aliases => "max_aliases",
            Self::Depth => "max_depth",
            Self::Complexity => "max_complexity",
        }
    }
}

/// A request refused because a measure of it is over a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitExceeded {
    pub limit: Limit,
    /// What the request measured.
    pub measured: u64,
    /// The most the limit allows.
    pub max: u64,
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (measured, max) = (Thousands(self.measured), Thousands(self.max));
        match self.limit {
            Limit::DocumentBytes => write!(f, "the document is {measured} bytes long; at most {max} are allowed"),
            Limit::Tokens => write!(f, "the document has {measured} tokens; at most {max} are allowed"),
            Limit::Nesting => {
                write!(f, "the document nests brackets ({{, [, () {measured} deep; at most {max} are allowed")
            }
            Limit::ExpandedNesting => write!(
                f,
                "the document nests selection sets {measured} deep once its fragments are expanded; at most {max} are allowed"
            ),
            Limit::ExpandedSelections => write!(
                f,
                "the document has {measured} selections once its fragments are expanded; at most {max} are allowed"
            ),
            Limit::Aliases => write!(f, "the document uses {measured} aliases; at most {max} are allowed"),
            Limit::Depth => write!(f, "the query nests fields {measured} deep; at most {max} are allowed"),
            Limit::Complexity => write!(
                f,
                "the query's complexity is {measured}; at most {max} is allowed (a list counts `first` times its \
                 selection: ask for fewer fields or smaller pages)"
            ),
        }
    }
}

impl From<LimitExceeded> for ServerError {
    /// `QUERY_TOO_COMPLEX`, with `extensions.limit` (the config key), `measured` and `max`.
    fn from(refusal: LimitExceeded) -> Self {
        let mut error = ServerError::new(refusal.to_string(), None);
        let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
        extensions.set("code", Code::QueryTooComplex.as_str());
        extensions.set("limit", refusal.limit.key());
        extensions.set("measured", refusal.measured);
        extensions.set("max", refusal.max);
        error
    }
}

/// Why a document is refused after parsing, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentRefusal {
    TooBig(LimitExceeded),
    /// A fragment spreads itself, directly or through other fragments; `path` is the chain
    /// of fragment names from the first to the repeated one.
    FragmentCycle {
        path: Vec<String>,
    },
}

impl From<DocumentRefusal> for ServerError {
    fn from(refusal: DocumentRefusal) -> Self {
        match refusal {
            DocumentRefusal::TooBig(limit) => limit.into(),
            DocumentRefusal::FragmentCycle { path } => Code::GraphqlValidationFailed.error(format!(
                "fragment `{}` spreads itself: {}",
                path.first().map(String::as_str).unwrap_or_default(),
                path.join(" → ")
            )),
        }
    }
}

/// The limits on a document, checked by the transport before it is parsed ([`scan`]) and
/// after ([`check_expansion`]).
///
/// [`scan`]: DocumentLimits::scan
/// [`check_expansion`]: DocumentLimits::check_expansion
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// The longest document (the `query` text), in bytes. Default 32 KiB.
    pub max_document_bytes: usize,
    /// The most lexical tokens a document may have. Default 2,000.
    pub max_tokens: usize,
    /// How deep `{`, `[` and `(` may nest in the text, and selection sets once fragments
    /// are expanded. Default 32.
    pub max_nesting: usize,
    /// The most selections a document may have once its fragments are expanded, summed over
    /// its operations and fragments. Default 2,000.
    pub max_expanded_selections: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self { max_document_bytes: 32 * 1024, max_tokens: 2_000, max_nesting: 32, max_expanded_selections: 2_000 }
    }
}

/// What the lexer measured of a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextMeasure {
    pub tokens: u64,
    /// The deepest nesting of `{`, `[` and `(`.
    pub nesting: u64,
}

/// What a parsed document measures with every fragment spread expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Expansion {
    /// Selections of every operation and fragment, summed (saturating).
    pub selections: u64,
    /// The deepest nesting of selection sets.
    pub nesting: u64,
}

impl DocumentLimits {
    /// Checks the text of a document before it is parsed: its size, then its tokens and
    /// nesting (one pass of the lexer, only when the size is within the limit). Returns
    /// every limit it is over.
    pub fn scan(&self, document: &str) -> Result<TextMeasure, Vec<LimitExceeded>> {
        if document.len() > self.max_document_bytes {
            return Err(vec![over(Limit::DocumentBytes, document.len() as u64, self.max_document_bytes)]);
        }
        let measure = measure_text(document);
        let refusals: Vec<LimitExceeded> =
            [(Limit::Tokens, measure.tokens, self.max_tokens), (Limit::Nesting, measure.nesting, self.max_nesting)]
                .into_iter()
                .filter(|&(_, measured, max)| measured > max as u64)
                .map(|(limit, measured, max)| over(limit, measured, max))
                .collect();
        if refusals.is_empty() { Ok(measure) } else { Err(refusals) }
    }

    /// Checks a parsed document with its fragments expanded: a fragment cycle, then the
    /// number of selections and the nesting of selection sets.
    pub fn check_expansion(&self, document: &ExecutableDocument) -> Result<Expansion, Vec<DocumentRefusal>> {
        let expansion = expansion(document).map_err(|cycle| vec![cycle])?;
        let refusals: Vec<DocumentRefusal> = [
            (Limit::ExpandedSelections, expansion.selections, self.max_expanded_selections),
            (Limit::ExpandedNesting, expansion.nesting, self.max_nesting),
        ]
        .into_iter()
        .filter(|&(_, measured, max)| measured > max as u64)
        .map(|(limit, measured, max)| DocumentRefusal::TooBig(over(limit, measured, max)))
        .collect();
        if refusals.is_empty() { Ok(expansion) } else { Err(refusals) }
    }
}

fn over(limit: Limit, measured: u64, max: usize) -> LimitExceeded {
    LimitExceeded { limit, measured, max: max as u64 }
}

/// One pass of a GraphQL lexer (the spec's lexical grammar) over `text`, counting tokens and
/// the nesting of brackets. It does not judge the text: an unknown character is one token, an
/// unterminated string runs to the end, a stray closing bracket is one token; the parser
/// reports such mistakes afterwards.
pub fn measure_text(text: &str) -> TextMeasure {
    let bytes = text.as_bytes();
    let mut measure = TextMeasure::default();
    let mut depth: u64 = 0;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            // Ignored: whitespace, line terminators, commas.
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = skip_while(bytes, i + 1, |b| b != b'\n' && b != b'\r');
                continue;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                measure.nesting = measure.nesting.max(depth);
                i += 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'"' if bytes.get(i..i + 3) == Some(b"\"\"\"") => i = block_string_end(bytes, i + 3),
            b'"' => i = string_end(bytes, i + 1),
            b'.' if bytes.get(i..i + 3) == Some(b"...") => i += 3,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                i = skip_while(bytes, i + 1, |b| b == b'_' || b.is_ascii_alphanumeric())
            }
            b'-' | b'0'..=b'9' => i = number_end(bytes, i),
            // Any other character, ASCII punctuator or not, is one token (the UTF-8 byte
            // order mark is one too: the parser rejects it anyway).
            _ => i += utf8_len(byte),
        }
        measure.tokens += 1;
    }
    measure
}

fn skip_while(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while bytes.get(i).is_some_and(|&b| keep(b)) {
        i += 1;
    }
    i
}

/// The end of a `"…"` string whose body starts at `i`: after the closing quote, or at a line
/// terminator or the end of the text when it is unterminated.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => return i + 1,
            b'\\' => i += 2,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a `"""…"""` block string whose body starts at `i` (`\"""` is an escaped quote).
fn block_string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes.get(i..i + 4) == Some(b"\\\"\"\"") {
            i += 4;
        } else if bytes.get(i..i + 3) == Some(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The end of a number starting at `i`: `-?digits(.digits)?([eE][+-]?digits)?`.
fn number_end(bytes: &[u8], i: usize) -> usize {
    let digits = |i| skip_while(bytes, i, |b| b.is_ascii_digit());
    let mut end = digits(i + 1);
    if bytes.get(end) == Some(&b'.') {
        end = digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        end = digits(end + 1 + sign);
    }
    end
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A selection set's own figures: its selections and nesting, with each fragment spread
/// counted as one selection at its depth and listed to be added.
struct Local<'a> {
    selections: u64,
    nesting: u64,
    /// The fragments spread, each with the depth of the spread (the fragment's selection set
    /// sits one level below it).
    spreads: Vec<(&'a str, u64)>,
}

/// Walks one selection set (an operation's or a fragment's) without following spreads.
fn local(root: &Positioned<SelectionSet>) -> Local<'_> {
    let mut figures = Local { selections: 0, nesting: 0, spreads: Vec::new() };
    let mut stack: Vec<(&SelectionSet, u64)> = vec![(&root.node, 0)];
    while let Some((set, depth)) = stack.pop() {
        figures.nesting = figures.nesting.max(depth);
        for item in &set.items {
            figures.selections += 1;
            match &item.node {
                Selection::Field(field) => {
                    if !field.node.selection_set.node.items.is_empty() {
                        stack.push((&field.node.selection_set.node, depth + 1));
                    }
                }
                Selection::InlineFragment(fragment) => stack.push((&fragment.node.selection_set.node, depth + 1)),
                Selection::FragmentSpread(spread) => {
                    figures.spreads.push((spread.node.fragment_name.node.as_str(), depth + 1));
                }
            }
        }
    }
    figures
}

/// The document's figures with every spread expanded, each fragment computed once.
pub fn expansion(document: &ExecutableDocument) -> Result<Expansion, DocumentRefusal> {
    let locals: HashMap<&str, Local<'_>> = document
        .fragments
        .iter()
        .map(|(name, fragment)| (name.as_str(), local(&fragment.node.selection_set)))
        .collect();
    // Expanded figures per fragment, filled in dependency order by a depth-first walk with
    // its own stack; a fragment on the stack that is met again closes a cycle.
    let mut expanded: HashMap<&str, Expansion> = HashMap::with_capacity(locals.len());
    let mut on_stack: HashSet<&str> = HashSet::new();
    for &start in locals.keys() {
        if expanded.contains_key(start) {
            continue;
        }
        // (fragment, index of the next spread to look at)
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        on_stack.insert(start);
        while let Some(&mut (name, ref mut next)) = stack.last_mut() {
            let spreads = &locals[name].spreads;
            if let Some(&(spread, _)) = spreads.get(*next) {
                *next += 1;
                if expanded.contains_key(spread) || !locals.contains_key(spread) {
                    continue; // done, or unknown (validation names it)
                }
                if on_stack.contains(spread) {
                    let at = stack.iter().position(|&(open, _)| open == spread).unwrap_or_default();
                    let mut path: Vec<String> = stack[at..].iter().map(|&(open, _)| open.to_owned()).collect();
                    path.push(spread.to_owned());
                    return Err(DocumentRefusal::FragmentCycle { path });
                }
                stack.push((spread, 0));
                on_stack.insert(spread);
                continue;
            }
            expanded.insert(name, add_spreads(&locals[name], &expanded));
            stack.pop();
            on_stack.remove(name);
        }
    }
    let mut total = Expansion::default();
    let definitions = document
        .operations
        .iter()
        .map(|(_, operation)| add_spreads(&local(&operation.node.selection_set), &expanded))
        .chain(expanded.values().copied());
    for figures in definitions {
        total.selections = total.selections.saturating_add(figures.selections);
        total.nesting = total.nesting.max(figures.nesting);
    }
    Ok(total)
}

/// A selection set's figures with its spreads replaced by the expanded figures of their
/// fragments (all in `expanded` already, or unknown and counted as empty).
fn add_spreads(local: &Local<'_>, expanded: &HashMap<&str, Expansion>) -> Expansion {
    let mut figures = Expansion { selections: local.selections, nesting: local.nesting };
    for (spread, depth) in &local.spreads {
        if let Some(fragment) = expanded.get(spread) {
            figures.selections = figures.selections.saturating_add(fragment.selections);
            figures.nesting = figures.nesting.max(depth.saturating_add(fragment.nesting));
        }
    }
    figures
}

/// A number with thousands separators: `33,554,432`.
struct Thousands(u64);

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        f.write_str(&grouped)
    }
}

/// The number of aliased fields in the operations and fragments, without expanding spreads.
pub fn count_aliases(document: &ExecutableDocument) -> u64 {
    let roots = document
        .operations
        .iter()
        .map(|(_, operation)| &operation.node.selection_set.node)
        .chain(document.fragments.values().map(|fragment| &fragment.node.selection_set.node));
    let mut stack: Vec<&SelectionSet> = roots.collect();
    let mut aliases = 0;
    while let Some(set) = stack.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    aliases += u64::from(field.node.alias.is_some());
                    stack.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => stack.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn parsed(query: &str) -> ExecutableDocument {
        parse_query(query).unwrap_or_else(|error| panic!("{query}: {error}"))
    }

    #[test]
    fn the_lexer_counts_tokens_without_whitespace_commas_or_comments() {
        let measure = measure_text("query Q($a: [Int!] = [1, 2]) { # comment\n f(a: $a) { ...F } }");
        // query Q ( $ a : [ Int ! ] = [ 1 2 ] ) { f ( a : $ a ) { ... F } }
        assert_eq!(measure.tokens, 29);
        assert_eq!(measure.nesting, 2);
    }

    #[test]
    fn strings_numbers_and_spreads_are_one_token_each() {
        let text = r#"{ f(s: "a { [ ( \" b", b: """x "" { \""" y""", n: -1.5e+3) }"#;
        let measure = measure_text(text);
        // { f ( s : "…" b : """…""" n : -1.5e+3 ) }
        assert_eq!(measure.tokens, 14);
        assert_eq!(measure.nesting, 2, "brackets inside strings do not nest");
        assert_eq!(measure_text("{ ...F ... on Q { a } }").tokens, 10);
    }

    #[test]
    fn an_unterminated_string_or_odd_unicode_still_ends_the_scan() {
        assert_eq!(measure_text("{ f(s: \"open").tokens, 6);
        assert_eq!(measure_text("\u{feff}{ å ☃ 🦀 }").tokens, 6);
        assert_eq!(measure_text("}}}]]))").nesting, 0);
    }

    #[test]
    fn a_value_nested_800_levels_deep_is_measured_without_recursion() {
        let text = format!("{{ __typename(x: {}1{}) }}", "{a: ".repeat(800), "}".repeat(800));
        let limits = DocumentLimits { max_document_bytes: usize::MAX, ..DocumentLimits::default() };
        let refusals = limits.scan(&text).expect_err("too deep");
        assert!(refusals.contains(&LimitExceeded { limit: Limit::Nesting, measured: 802, max: 32 }), "{refusals:?}");
    }

    #[test]
    fn every_limit_the_text_is_over_is_reported_with_its_figure() {
        let limits = DocumentLimits { max_document_bytes: 100, max_tokens: 5, max_nesting: 1, ..Default::default() };
        let refusals = limits.scan("{ a { b } }").expect_err("over");
        assert_eq!(
            refusals,
            [
                LimitExceeded { limit: Limit::Tokens, measured: 6, max: 5 },
                LimitExceeded { limit: Limit::Nesting, measured: 2, max: 1 }
            ]
        );
        let refusals = limits.scan(&"x".repeat(101)).expect_err("too long");
        assert_eq!(refusals, [LimitExceeded { limit: Limit::DocumentBytes, measured: 101, max: 100 }]);
        assert_eq!(
            refusals[0].to_string(),
            "the document is 101 bytes long; at most 100 are allowed",
            "the message names the figure and the limit"
        );
    }

    /// `fragment F1 on Query { ...F0 ...F0 }` and so on: 2^links leaves.
    fn fragment_chain(links: usize) -> String {
        let mut query = String::from("{ ...F0 } fragment F0 on Query { __typename }");
        for i in 1..=links {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i - 1, i - 1));
        }
        query.replace("{ ...F0 }", &format!("{{ ...F{links} }}"))
    }

    #[test]
    fn a_fragment_chain_is_measured_per_fragment_not_by_expanding_it() {
        let document = parsed(&fragment_chain(60));
        let started = std::time::Instant::now();
        let figures = expansion(&document).expect("no cycle");
        assert!(started.elapsed() < std::time::Duration::from_millis(100), "took {:?}", started.elapsed());
        assert!(figures.selections > 1 << 61, "{} selections", figures.selections);
        assert_eq!(figures.nesting, 61);
        let refusals = DocumentLimits::default().check_expansion(&document).expect_err("too big");
        assert!(matches!(&refusals[0], DocumentRefusal::TooBig(e) if e.limit == Limit::ExpandedSelections));
    }

    #[test]
    fn expanded_figures_count_each_spread_and_its_fragment_where_it_is_used() {
        // The operation: a, b, spread (1 + 2), c { spread (1 + 2) } = 9; F: x, y = 2; total 11.
        let document = parsed("{ a b ...F c { ...F } } fragment F on Query { x y }");
        assert_eq!(expansion(&document), Ok(Expansion { selections: 11, nesting: 2 }));
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_a_cycle_naming_the_chain() {
        let document = parsed("{ ...A } fragment A on Query { ...B } fragment B on Query { a { ...A } }");
        match expansion(&document) {
            Err(DocumentRefusal::FragmentCycle { path }) => {
                assert!(path == ["A", "B", "A"] || path == ["B", "A", "B"], "{path:?}");
            }
            other => panic!("expected a cycle, got {other:?}"),
        }
        let document = parsed("{ ...A } fragment A on Query { ...A }");
        assert_eq!(expansion(&document), Err(DocumentRefusal::FragmentCycle { path: vec!["A".into(), "A".into()] }));
    }

    #[test]
    fn an_unknown_fragment_counts_as_its_spread_alone() {
        let document = parsed("{ a ...Missing }");
        assert_eq!(expansion(&document), Ok(Expansion { selections: 2, nesting: 0 }));
    }

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let document = parsed("{ a: x b: y { c: z } ...F } fragment F on Query { d: w }");
        assert_eq!(count_aliases(&document), 4);
    }

    #[test]
    fn large_figures_are_written_with_thousands_separators() {
        assert_eq!(Thousands(0).to_string(), "0");
        assert_eq!(Thousands(999).to_string(), "999");
        assert_eq!(Thousands(1_000).to_string(), "1,000");
        assert_eq!(Thousands(33_554_432).to_string(), "33,554,432");
    }
}
