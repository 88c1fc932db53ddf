//! `datasets/dcat`: the DCAT-AP-SE 3.0.1 catalogue in RDF/XML, which dataportal.se harvests.
//!
//! One catalogue, one dataset per table group ([`Group`]), one distribution per file format
//! of a group (each listing the group's files of the latest release as download URLs), and the
//! GraphQL API as a `dcat:DataService`. No blank nodes for catalogue, datasets, distributions,
//! publisher or contact (dataportal.se refuses them). The vocabulary terms used are typed in
//! the catalogue itself (`dcterms:LicenseDocument`, `dcterms:MediaType`, …): harmless to the
//! portal, and what lets the EU shapes check it offline, where they know nothing of those IRIs.

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdfxml::RdfXmlSerializer;
use uuid::Uuid;

use crate::v1::{Group, TABLES};

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const DCATAP: &str = "http://data.europa.eu/r5r/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const EU: &str = "http://publications.europa.eu/resource/authority/";
const IANA: &str = "http://www.iana.org/assignments/media-types/";
const CC0: &str = "http://creativecommons.org/publicdomain/zero/1.0/";

/// The namespace of the datasets' `dcterms:identifier` UUIDs.
const DATASET_NAMESPACE: Uuid = Uuid::from_u128(0x8d4e_0f3a_61c2_4b7e_9a15_2e8c_7d40_b3f1);

/// Who publishes the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The organisation's name, such as `Region Stockholm`.
    pub name: String,
    /// The ten-digit organisationsnummer without a hyphen: the publisher's dataportal.se URI.
    pub org_number: String,
    /// The ADMS publisher type, such as `RegionalAuthority` or `LocalAuthority`.
    pub kind: String,
    /// The open-data contact's functional e-mail address.
    pub contact_email: String,
}

/// A file of the latest release in a distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub group: Group,
    pub format: FileFormat,
    /// Relative to the release folder.
    pub path: String,
}

/// The file formats of a release, one distribution each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Excel,
    Jsonl,
    Jsonld,
}

impl FileFormat {
    fn slug(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Excel => "excel",
            FileFormat::Jsonl => "jsonl",
            FileFormat::Jsonld => "jsonld",
        }
    }

    fn title(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV (RFC 4180, UTF-8, gzip)",
            FileFormat::Excel => "CSV för kalkylprogram (semikolon, decimalkomma, UTF-8 med BOM)",
            FileFormat::Jsonl => "JSON Lines (gzip)",
            FileFormat::Jsonld => "schema.org JSON-LD, en nod per rad (gzip)",
        }
    }

    /// The EU file type and the IANA media type.
    fn types(self) -> (&'static str, &'static str) {
        match self {
            FileFormat::Csv | FileFormat::Excel => ("CSV", "text/csv"),
            FileFormat::Jsonl => ("JSON", "application/json"),
            FileFormat::Jsonld => ("JSON_LD", "application/ld+json"),
        }
    }

    fn gzipped(self) -> bool {
        !matches!(self, FileFormat::Excel)
    }
}

impl Group {
    fn slug(self) -> &'static str {
        match self {
            Group::Offering => "utbildningsutbud",
            Group::Reference => "kommuner",
            Group::Quality => "kallor",
            Group::Registry => "register",
        }
    }

    fn title(self) -> (&'static str, &'static str) {
        match self {
            Group::Offering => (
                "Kurstillfällen, kurser och utbildningsanordnare inom vuxenutbildningen",
                "Course occasions, courses and providers of adult education",
            ),
            Group::Reference => ("Sveriges kommuner", "Sweden's municipalities"),
            Group::Quality => ("Källor och datakvalitet", "Sources and data quality"),
            Group::Registry => (
                "Regionens register: yrken, validering, vägledning och prislista",
                "The region's registries: occupations, validation, guidance and prices",
            ),
        }
    }

    fn description(self) -> &'static str {
        match self {
            Group::Offering => {
                "Varje kurstillfälle inom kommunal vuxenutbildning (komvux, sfi, anpassad utbildning, yrkesvux) som \
                 regionens kommuner publicerar, med kurserna och utbildningsanordnarna. Uppdateras varje natt, med \
                 delta mot föregående version."
            }
            Group::Reference => "Sveriges 290 kommuner med kommunkod och län, och om kommunen ingår i regionen.",
            Group::Quality => {
                "Varje källa (en kommuns kurssystem) med status, senaste lyckade hämtning och andel avvisade poster."
            }
            Group::Registry => {
                "Det regionen själv för register över: yrken (en fastlåst version av JobTechs taxonomi) och vilka \
                 kurser och yrkespaket som leder till dem, valideringserbjudanden, vägledningar och lärcentra med \
                 öppettider, och prislistan för interkommunal ersättning."
            }
        }
    }

    fn formats(self) -> &'static [FileFormat] {
        match self {
            Group::Offering => &[FileFormat::Csv, FileFormat::Excel, FileFormat::Jsonl, FileFormat::Jsonld],
            Group::Reference | Group::Quality | Group::Registry => {
                &[FileFormat::Csv, FileFormat::Excel, FileFormat::Jsonl]
            }
        }
    }
}

/// Every file of a release by group and format.
pub fn downloads() -> Vec<Download> {
    let mut downloads = Vec::new();
    for table in TABLES {
        for (format, path) in [
            (FileFormat::Csv, table.csv_path()),
            (FileFormat::Excel, table.excel_path()),
            (FileFormat::Jsonl, table.jsonl_path()),
        ] {
            downloads.push(Download { group: table.group, format, path });
        }
    }
    downloads.push(Download {
        group: Group::Offering,
        format: FileFormat::Jsonld,
        path: crate::write::GRAPH_PATH.into(),
    });
    downloads
}

struct Graph {
    triples: Vec<Triple>,
}

fn iri(text: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(text)
}

impl Graph {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) {
        self.triples.push(Triple::new(NamedOrBlankNode::NamedNode(subject.clone()), predicate, object));
    }

    fn typed(&mut self, subject: &NamedNode, class: &str) {
        self.add(subject, rdf::TYPE.into_owned(), iri(class));
    }

    fn text(&mut self, subject: &NamedNode, predicate: NamedNode, text: &str, language: &str) {
        self.add(subject, predicate, Literal::new_language_tagged_literal_unchecked(text, language));
    }
}

/// The catalogue for the latest release `release`, created at `created` (RFC 3339), served
/// under `base_url` (ending in `/`).
pub fn catalogue(base_url: &str, publisher: &Publisher, release: &str, created: &str) -> Vec<u8> {
    let mut g = Graph { triples: Vec::new() };
    let dcat = |local: &str| iri(format!("{DCAT}{local}"));
    let dcterms = |local: &str| iri(format!("{DCTERMS}{local}"));
    let foaf = |local: &str| iri(format!("{FOAF}{local}"));
    let vcard = |local: &str| iri(format!("{VCARD}{local}"));
    let skos = |local: &str| iri(format!("{SKOS}{local}"));

    let catalog = iri(format!("{base_url}datasets/dcat"));
    let agent = iri(format!("http://dataportal.se/organisation/SE{}", publisher.org_number));
    let contact = iri(format!("{base_url}datasets/dcat#contact"));
    let homepage = iri(base_url);
    let license = iri(CC0);
    let swedish = iri(format!("{EU}language/SWE"));
    let daily = iri(format!("{EU}frequency/DAILY"));
    let education = iri(format!("{EU}data-theme/EDUC"));
    let themes = iri(format!("{EU}data-theme"));
    let stable = iri(format!("{EU}planned-availability/STABLE"));
    let gzip = iri(format!("{IANA}application/gzip"));
    let folder = format!("{base_url}releases/{release}/");
    let modified = Literal::new_typed_literal(created, xsd::DATE_TIME);
    let standard = iri(format!("{folder}datapackage.json"));

    g.typed(&catalog, &format!("{DCAT}Catalog"));
    g.text(&catalog, dcterms("title"), "Vuxenutbildning – öppna data", "sv");
    g.text(&catalog, dcterms("title"), "Adult education – open data", "en");
    g.text(
        &catalog,
        dcterms("description"),
        "Nattliga versioner av regionens kurstillfällen inom vuxenutbildningen, med kurser, \
         utbildningsanordnare, kommuner och källornas datakvalitet, och regionens register över yrken, \
         validering, vägledning och prislistan för interkommunal ersättning.",
        "sv",
    );
    g.text(
        &catalog,
        dcterms("description"),
        "Nightly releases of the region's adult-education course occasions, with courses, providers, \
         municipalities and the data quality of their sources, and the region's registries of \
         occupations, validation, guidance and the price list for interkommunal ersättning.",
        "en",
    );
    g.add(&catalog, dcterms("publisher"), agent.clone());
    g.add(&catalog, dcterms("license"), license.clone());
    g.add(&catalog, dcterms("language"), swedish.clone());
    g.add(&catalog, dcterms("modified"), modified.clone());
    g.add(&catalog, foaf("homepage"), homepage.clone());
    g.add(&catalog, dcat("themeTaxonomy"), themes.clone());

    g.typed(&agent, &format!("{FOAF}Agent"));
    g.text(&agent, foaf("name"), &publisher.name, "sv");
    let agent_type = iri(format!("http://purl.org/adms/publishertype/{}", publisher.kind));
    g.add(&agent, dcterms("type"), agent_type.clone());

    g.typed(&contact, &format!("{VCARD}Organization"));
    g.typed(&contact, &format!("{VCARD}Kind"));
    g.text(&contact, vcard("fn"), &publisher.name, "sv");
    g.add(&contact, vcard("hasEmail"), iri(format!("mailto:{}", publisher.contact_email)));

    let downloads = downloads();
    let mut groups: Vec<Group> = TABLES.iter().map(|t| t.group).collect();
    groups.sort();
    groups.dedup();
    let mut datasets = Vec::new();
    for group in groups {
        let dataset = iri(format!("{base_url}datasets/{}", group.slug()));
        datasets.push(dataset.clone());
        g.add(&catalog, dcat("dataset"), dataset.clone());
        g.typed(&dataset, &format!("{DCAT}Dataset"));
        let identifier = Uuid::new_v5(&DATASET_NAMESPACE, format!("{base_url}{}", group.slug()).as_bytes());
        g.add(&dataset, dcterms("identifier"), Literal::new_simple_literal(identifier.hyphenated().to_string()));
        let (sv, en) = group.title();
        g.text(&dataset, dcterms("title"), sv, "sv");
        g.text(&dataset, dcterms("title"), en, "en");
        g.text(&dataset, dcterms("description"), group.description(), "sv");
        g.add(&dataset, dcterms("publisher"), agent.clone());
        g.add(&dataset, dcat("contactPoint"), contact.clone());
        for keyword in ["vuxenutbildning", "komvux", "öppna data"] {
            g.text(&dataset, dcat("keyword"), keyword, "sv");
        }
        g.add(&dataset, dcat("theme"), education.clone());
        g.add(&dataset, dcterms("accrualPeriodicity"), daily.clone());
        g.add(&dataset, dcterms("modified"), modified.clone());
        g.add(&dataset, dcterms("conformsTo"), standard.clone());
        g.add(&dataset, dcat("landingPage"), homepage.clone());

        for &format in group.formats() {
            let distribution = iri(format!("{base_url}datasets/{}/{}", group.slug(), format.slug()));
            g.add(&dataset, dcat("distribution"), distribution.clone());
            g.typed(&distribution, &format!("{DCAT}Distribution"));
            g.text(&distribution, dcterms("title"), format.title(), "sv");
            g.text(
                &distribution,
                dcterms("description"),
                "Filerna i den senaste versionen; manifest.json och SHA256SUMS i samma mapp anger storlek och \
                 SHA-256 för varje fil.",
                "sv",
            );
            g.add(&distribution, dcat("accessURL"), iri(folder.clone()));
            for download in downloads.iter().filter(|d| d.group == group && d.format == format) {
                g.add(&distribution, dcat("downloadURL"), iri(format!("{folder}{}", download.path)));
            }
            let (file_type, media_type) = format.types();
            g.add(&distribution, dcterms("format"), iri(format!("{EU}file-type/{file_type}")));
            g.add(&distribution, dcat("mediaType"), iri(format!("{IANA}{media_type}")));
            if format.gzipped() {
                g.add(&distribution, dcat("compressFormat"), gzip.clone());
            }
            g.add(&distribution, dcterms("license"), license.clone());
            g.add(&distribution, dcatap_availability(), stable.clone());
            g.add(&distribution, dcterms("modified"), modified.clone());
        }
    }

    let service = iri(format!("{base_url}datasets/graphql-api"));
    g.add(&catalog, dcat("service"), service.clone());
    g.typed(&service, &format!("{DCAT}DataService"));
    g.text(&service, dcterms("title"), "GraphQL-API för vuxenutbildningens utbud", "sv");
    g.text(&service, dcterms("title"), "GraphQL API of the adult-education offering", "en");
    g.add(&service, dcat("endpointURL"), iri(format!("{base_url}graphql")));
    g.add(&service, dcterms("format"), iri(format!("{EU}file-type/JSON")));
    g.add(&service, dcterms("license"), license.clone());
    g.add(&service, dcat("contactPoint"), contact.clone());
    if let Some(offering) = datasets.first() {
        g.add(&service, dcat("servesDataset"), offering.clone());
    }

    // The vocabulary terms used, typed (see the module docs).
    g.typed(&license, &format!("{DCTERMS}LicenseDocument"));
    let public_domain = iri("http://purl.org/adms/licencetype/PublicDomain");
    g.add(&license, dcterms("type"), public_domain.clone());
    g.typed(&public_domain, &format!("{SKOS}Concept"));
    g.text(&public_domain, skos("prefLabel"), "Public domain", "en");
    g.typed(&swedish, &format!("{DCTERMS}LinguisticSystem"));
    g.typed(&daily, &format!("{DCTERMS}Frequency"));
    g.typed(&homepage, &format!("{FOAF}Document"));
    g.typed(&themes, &format!("{SKOS}ConceptScheme"));
    g.text(&themes, dcterms("title"), "Data theme", "en");
    g.typed(&education, &format!("{SKOS}Concept"));
    g.text(&education, skos("prefLabel"), "Utbildning, kultur och sport", "sv");
    g.typed(&agent_type, &format!("{SKOS}Concept"));
    g.text(&agent_type, skos("prefLabel"), &publisher.kind, "en");
    g.typed(&stable, &format!("{SKOS}Concept"));
    g.text(&stable, skos("prefLabel"), "stable", "en");
    g.typed(&standard, &format!("{DCTERMS}Standard"));
    g.typed(&gzip, &format!("{DCTERMS}MediaType"));
    for format in [FileFormat::Csv, FileFormat::Jsonl, FileFormat::Jsonld] {
        let (file_type, media_type) = format.types();
        g.typed(&iri(format!("{EU}file-type/{file_type}")), &format!("{DCTERMS}MediaTypeOrExtent"));
        g.typed(&iri(format!("{IANA}{media_type}")), &format!("{DCTERMS}MediaType"));
    }

    let mut serializer = RdfXmlSerializer::new();
    for (prefix, namespace) in
        [("dcat", DCAT), ("dcterms", DCTERMS), ("dcatap", DCATAP), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)]
    {
        // The namespaces are valid IRIs.
        serializer = serializer.clone().with_prefix(prefix, namespace).unwrap_or(serializer);
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in &g.triples {
        // Serialising into a `Vec` cannot fail for IRIs and literals like these.
        let _ = writer.serialize_triple(triple);
    }
    writer.finish().unwrap_or_default()
}

fn dcatap_availability() -> NamedNode {
    iri(format!("{DCATAP}availability"))
}
