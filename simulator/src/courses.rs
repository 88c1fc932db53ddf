//! The courses the demo municipalities offer: real Skolverket course codes, names and points,
//! with a weight saying how often komvux runs them.
//!
//! Sources of the facts:
//! - gymnasial courses (`VUXGY`): codes and names as in Skolverket's GY11 course list (see
//!   `reference/gy11-courses.csv`), points from the subject plans ("Kurser i ämnet");
//! - grundläggande (`VUXGR`) and anpassad utbildning (`VUXGRAN`, `VUXGYAN`): codes, names and
//!   points as a municipal komvux system exports them (Sundsvall, 2023);
//! - SFI (`VUXSFI`): courses A to D on study paths 1 to 3. Skolverket's own Syllabus API
//!   example lists `SFIKUD91`, `SFIKUD92`, `SFIKUD93` as the codes of course D per study
//!   path; the codes of courses A to C are written in the same pattern and are **unverified**
//!   (see FORMATS.md section 3). SFI has no national points, so its credits are left out;
//! - yrkesvux packages: no national code exists; the codes are local, as each municipality
//!   sets its own.
//!
//! The weights are invented to give a komvux-like mix: much SFI and Svenska som andraspråk,
//! many core gymnasial courses, vård och omsorg as the largest vocational area.

use vuxnav_schema::{CourseConfiguration, CreditsSystem, SchoolForm};

/// What a course is about, for choosing who teaches it and how it is usually given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// Svenska för invandrare.
    Sfi,
    /// Svenska, svenska som andraspråk and the other grundläggande languages.
    Swedish,
    /// Other theoretical (högskoleförberedande) courses.
    General,
    /// Anpassad utbildning, run by the municipality itself.
    Adapted,
    Care,
    Childcare,
    /// El, svets and other technology.
    Technology,
    /// Transport, lager and logistik.
    Transport,
    Restaurant,
    /// Bygg and fastighet.
    Construction,
    /// Handel, service and städ.
    Service,
    It,
    Business,
}

impl Field {
    /// Whether courses of the field lead to an occupation.
    pub(super) fn vocational(self) -> bool {
        !matches!(self, Field::Sfi | Field::Swedish | Field::General | Field::Adapted | Field::It | Field::Business)
    }
}

/// One course of the table.
#[derive(Debug)]
pub(super) struct CourseSpec {
    /// The Skolverket course code, or the local code of a yrkesvux package.
    pub code: &'static str,
    pub title: &'static str,
    pub subject: &'static str,
    pub form: SchoolForm,
    pub configuration: CourseConfiguration,
    /// Points in the form's credits system; `None` for SFI.
    pub points: Option<u16>,
    pub field: Field,
    /// How often the course is given, relative to the others.
    pub weight: u16,
    /// A short Swedish description of the content.
    pub about: &'static str,
}

impl CourseSpec {
    /// Whether the code is Skolverket's (true for everything except yrkesvux packages).
    pub(super) fn is_national(&self) -> bool {
        self.configuration == CourseConfiguration::Course
    }

    pub(super) fn credits_system(&self) -> CreditsSystem {
        match self.form {
            SchoolForm::VuxGr | SchoolForm::VuxGran => CreditsSystem::Vp,
            _ => CreditsSystem::Gy,
        }
    }

    pub(super) fn vocational(&self) -> bool {
        self.field.vocational() || self.configuration == CourseConfiguration::Package
    }

    /// The description shown to students: the content and the size of the course.
    pub(super) fn description(&self) -> String {
        match (self.configuration, self.points) {
            (CourseConfiguration::Package, Some(points)) => {
                format!("{} Yrkespaketet omfattar {points} gymnasiepoäng.", self.about)
            }
            (_, Some(points)) => format!("{} Kursen omfattar {points} {}.", self.about, self.credits_system().label()),
            (_, None) => self.about.to_owned(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
const fn course(
    form: SchoolForm,
    code: &'static str,
    title: &'static str,
    subject: &'static str,
    points: Option<u16>,
    field: Field,
    weight: u16,
    about: &'static str,
) -> CourseSpec {
    CourseSpec { code, title, subject, form, configuration: CourseConfiguration::Course, points, field, weight, about }
}

/// A gymnasial course (`VUXGY`), in gymnasiepoäng.
const fn gy(
    code: &'static str,
    title: &'static str,
    subject: &'static str,
    points: u16,
    field: Field,
    weight: u16,
    about: &'static str,
) -> CourseSpec {
    course(SchoolForm::VuxGy, code, title, subject, Some(points), field, weight, about)
}

/// A grundläggande course (`VUXGR`), in verksamhetspoäng.
const fn gr(
    code: &'static str,
    title: &'static str,
    subject: &'static str,
    points: u16,
    field: Field,
    weight: u16,
    about: &'static str,
) -> CourseSpec {
    course(SchoolForm::VuxGr, code, title, subject, Some(points), field, weight, about)
}

/// An SFI course.
const fn sfi(code: &'static str, title: &'static str, weight: u16, about: &'static str) -> CourseSpec {
    course(SchoolForm::VuxSfi, code, title, "Svenska för invandrare", None, Field::Sfi, weight, about)
}

/// A course in anpassad utbildning, grundläggande (`VUXGRAN`, vp) or gymnasial (`VUXGYAN`, gy).
const fn adapted(
    form: SchoolForm,
    code: &'static str,
    title: &'static str,
    subject: &'static str,
    points: u16,
    weight: u16,
    about: &'static str,
) -> CourseSpec {
    course(form, code, title, subject, Some(points), Field::Adapted, weight, about)
}

/// A yrkesvux package: several vocational courses that together lead to an occupation.
const fn package(
    code: &'static str,
    title: &'static str,
    points: u16,
    field: Field,
    weight: u16,
    about: &'static str,
) -> CourseSpec {
    CourseSpec {
        code,
        title,
        subject: "Yrkesutbildning",
        form: SchoolForm::VuxGy,
        configuration: CourseConfiguration::Package,
        points: Some(points),
        field,
        weight,
        about,
    }
}

use Field::*;
use SchoolForm::{VuxGran, VuxGyan};

const SVE: &str = "Läsa, skriva och tala i olika sammanhang, språkets byggstenar och litteratur.";
const SVA: &str =
    "Svenska för dig med ett annat modersmål: läsa, skriva, samtala och förstå texter i studier, arbete och samhälle.";
const ENG: &str = "Engelska i tal och skrift: förstå, samtala och skriva om vardag, samhälle och arbetsliv.";
const MAT: &str = "Taluppfattning, algebra, geometri, funktioner, sannolikhet och statistik med problemlösning.";
const SAM: &str = "Demokrati, politik, ekonomi, mänskliga rättigheter och hur samhället är organiserat.";
const HIS: &str = "Historiska förändringar, perspektiv och källor från forntid till i dag.";
const NAK: &str =
    "Naturvetenskap i vardagen: hälsa, energi, klimat, hållbar utveckling och naturvetenskapliga arbetssätt.";
const BIO: &str = "Ekologi, evolution, genetik och människans fysiologi med laborationer och fältstudier.";
const FYS: &str = "Rörelse, krafter, energi, elektricitet och modern fysik med experiment och beräkningar.";
const KEM: &str = "Kemiska reaktioner, ämnens struktur och egenskaper, organisk kemi och laborativt arbete.";
const PSK: &str = "Hur människor tänker, känner och handlar: minne, inlärning, motivation, stress och hälsa.";
const REL: &str = "Världsreligioner, livsåskådningar och etik i ett samhälle med många traditioner.";
const FIO: &str = "Filosofiska frågor om kunskap, verklighet och moral och hur man argumenterar för dem.";
const GEO: &str = "Jordens landskap, resurser, befolkning och hur människa och miljö påverkar varandra.";
const FOR: &str = "Företagets ekonomi: affärsidé, marknadsföring, redovisning, kalkylering och budget.";
const ENT: &str = "Att utveckla idéer till projekt eller företag: planering, genomförande och utvärdering.";
const JUR: &str = "Juridik i vardagen: avtal, köp, familjerätt, arbetsrätt och rättssystemets uppbyggnad.";
const LED: &str = "Ledarskap, grupprocesser, kommunikation och hur organisationer fungerar.";
const ADM: &str = "Administrativa rutiner, dokumenthantering, digitala verktyg och service på en arbetsplats.";
const PRR: &str = "Grunderna i programmering: algoritmer, datastrukturer och att skriva, testa och felsöka kod.";
const WEU: &str = "Att bygga webbplatser med HTML, CSS och JavaScript med fokus på tillgänglighet och standarder.";
const DAO: &str = "Datorer och nätverk: installation, konfiguration, säkerhet och felsökning.";
const VAR: &str =
    "Vård- och omsorgsarbete nära patienter och brukare: bemötande, hygien, ergonomi, dokumentation och lagar.";
const MED: &str = "Människokroppen vid hälsa och ohälsa, vanliga sjukdomar, läkemedel och första hjälpen.";
const GER: &str = "Det normala åldrandet, demens och andra sjukdomar hos äldre och vård och omsorg om äldre.";
const SOA: &str = "Social omsorg inom socialtjänsten: levnadsvillkor, bemötande och arbete med brukare.";
const PSY: &str = "Psykisk hälsa och ohälsa, psykiatriska tillstånd och vård och stöd för den som drabbas.";
const ETI: &str = "Etik, människosyn och värderingar i vård och omsorg, i ett mångkulturellt samhälle.";
const HAL: &str = "Hälsa, livsstil och ergonomi och hur man planerar och leder hälsofrämjande aktiviteter.";
const SPC: &str = "Funktionsnedsättningar, stöd och hjälpmedel och ett förhållningssätt som ger delaktighet.";
const ANO: &str = "Människokroppens uppbyggnad och funktion, medicinsk terminologi och läkemedelsberäkning.";
const SJU: &str = "Omvårdnad och medicinska åtgärder i hälso- och sjukvård, i hemmet och i livets slutskede.";
const PED: &str = "Människors lärande och utveckling och pedagogiskt arbete med barn, unga och vuxna.";
const ELL: &str = "Elsäkerhet, elektriska storheter, mätning och felsökning i lik- och växelströmskretsar.";
const ELI: &str = "Att installera, kontrollera och felsöka elanläggningar enligt gällande föreskrifter och standarder.";
const SVT: &str = "Svetsning och sammanfogning av material, säkerhet och kvalitetsbedömning av resultatet.";
const TRP: &str = "Yrkesmässiga transporter: fordonskännedom, trafiksäkerhet, lastsäkring och kör- och vilotider.";
const LOG: &str = "Lager, godshantering och logistikflöden, truckkörning, plock och emballering.";
const RES: &str = "Matlagning och servering i restaurang och storkök: råvaror, metoder, hygien och gästbemötande.";
const BYG: &str = "Byggarbete från ritning till färdigt resultat: material, verktyg, säkerhet och arbetsmiljö.";
const FAS: &str = "Service och underhåll av fastigheter: byggnader, ytor, enklare el- och VVS-arbeten.";
const SEV: &str = "Service, bemötande och försäljning: kundmöten, kommunikation och butikens arbete.";
const STA: &str = "Städ- och rengöringsmetoder, kemikalier, ergonomi och kvalitet i lokalvård.";

const GRN_SVA: &str = "Svenska som andraspråk på grundläggande nivå: läsa, skriva och samtala i vardag och samhälle.";
const GRN_SVE: &str = "Svenska på grundläggande nivå: läsa, skriva, tala och lyssna.";
const GRN_ENG: &str = "Engelska på grundläggande nivå: förstå och använda engelska i vardagliga situationer.";
const GRN_MAT: &str = "Matematik på grundläggande nivå: tal, mätning, geometri, samband och vardagsekonomi.";
const GRN_SO: &str = "Samhällsorienterande kunskaper på grundläggande nivå.";
const GRN_NO: &str = "Naturorienterande kunskaper på grundläggande nivå.";
const GRN_ORI: &str = "Orienteringskurs som förbereder för fortsatta studier och arbetsliv.";
const SFI_1: &str = "Svenska för invandrare på studieväg 1, för dig som har gått kort tid i skolan: läsa, skriva, tala och förstå svenska i vardag, samhälle och arbetsliv.";
const SFI_2: &str = "Svenska för invandrare på studieväg 2, för dig med viss studievana: läsa, skriva, tala och förstå svenska i vardag, samhälle och arbetsliv.";
const SFI_3: &str = "Svenska för invandrare på studieväg 3, för dig som är van att studera: läsa, skriva, tala och förstå svenska i vardag, samhälle och arbetsliv.";
const ANP_GR: &str = "Anpassad utbildning på grundläggande nivå för vuxna med intellektuell funktionsnedsättning.";
const ANP_GY: &str = "Anpassad utbildning på gymnasial nivå för vuxna med intellektuell funktionsnedsättning.";

/// Every course of the demo, in the order catalogues list them.
#[rustfmt::skip]
pub(super) const COURSES: &[CourseSpec] = &[
    // Svenska, svenska som andraspråk, engelska
    gy("SVESVE01", "Svenska 1", "Svenska", 100, Swedish, 18, SVE),
    gy("SVESVE02", "Svenska 2", "Svenska", 100, Swedish, 14, SVE),
    gy("SVESVE03", "Svenska 3", "Svenska", 100, Swedish, 12, SVE),
    gy("SVASVA01", "Svenska som andraspråk 1", "Svenska som andraspråk", 100, Swedish, 28, SVA),
    gy("SVASVA02", "Svenska som andraspråk 2", "Svenska som andraspråk", 100, Swedish, 20, SVA),
    gy("SVASVA03", "Svenska som andraspråk 3", "Svenska som andraspråk", 100, Swedish, 15, SVA),
    gy("ENGENG05", "Engelska 5", "Engelska", 100, General, 24, ENG),
    gy("ENGENG06", "Engelska 6", "Engelska", 100, General, 16, ENG),
    gy("ENGENG07", "Engelska 7", "Engelska", 100, General, 6, ENG),
    // Matematik
    gy("MATMAT01a", "Matematik 1a", "Matematik", 100, General, 14, MAT),
    gy("MATMAT01b", "Matematik 1b", "Matematik", 100, General, 18, MAT),
    gy("MATMAT01c", "Matematik 1c", "Matematik", 100, General, 10, MAT),
    gy("MATMAT02a", "Matematik 2a", "Matematik", 100, General, 8, MAT),
    gy("MATMAT02b", "Matematik 2b", "Matematik", 100, General, 12, MAT),
    gy("MATMAT02c", "Matematik 2c", "Matematik", 100, General, 8, MAT),
    gy("MATMAT03b", "Matematik 3b", "Matematik", 100, General, 7, MAT),
    gy("MATMAT03c", "Matematik 3c", "Matematik", 100, General, 7, MAT),
    gy("MATMAT04", "Matematik 4", "Matematik", 100, General, 5, MAT),
    gy("MATMAT05", "Matematik 5", "Matematik", 100, General, 2, MAT),
    // Samhälle och humaniora
    gy("SAMSAM01a1", "Samhällskunskap 1a1", "Samhällskunskap", 50, General, 8, SAM),
    gy("SAMSAM01a2", "Samhällskunskap 1a2", "Samhällskunskap", 50, General, 6, SAM),
    gy("SAMSAM01b", "Samhällskunskap 1b", "Samhällskunskap", 100, General, 12, SAM),
    gy("SAMSAM02", "Samhällskunskap 2", "Samhällskunskap", 100, General, 4, SAM),
    gy("SAMSAM03", "Samhällskunskap 3", "Samhällskunskap", 100, General, 2, SAM),
    gy("HISHIS01a1", "Historia 1a1", "Historia", 50, General, 6, HIS),
    gy("HISHIS01a2", "Historia 1a2", "Historia", 50, General, 4, HIS),
    gy("HISHIS01b", "Historia 1b", "Historia", 100, General, 8, HIS),
    gy("HISHIS02a", "Historia 2a", "Historia", 100, General, 2, HIS),
    gy("PSKPSY01", "Psykologi 1", "Psykologi", 50, General, 6, PSK),
    gy("PSKPSY02a", "Psykologi 2a", "Psykologi", 50, General, 3, PSK),
    gy("RELREL01", "Religionskunskap 1", "Religionskunskap", 50, General, 6, REL),
    gy("FIOFIO01", "Filosofi 1", "Filosofi", 50, General, 2, FIO),
    gy("GEOGEO01", "Geografi 1", "Geografi", 100, General, 2, GEO),
    // Naturvetenskap
    gy("NAKNAK01a1", "Naturkunskap 1a1", "Naturkunskap", 50, General, 8, NAK),
    gy("NAKNAK01a2", "Naturkunskap 1a2", "Naturkunskap", 50, General, 6, NAK),
    gy("NAKNAK01b", "Naturkunskap 1b", "Naturkunskap", 100, General, 10, NAK),
    gy("NAKNAK02", "Naturkunskap 2", "Naturkunskap", 100, General, 3, NAK),
    gy("BIOBIO01", "Biologi 1", "Biologi", 100, General, 6, BIO),
    gy("BIOBIO02", "Biologi 2", "Biologi", 100, General, 3, BIO),
    gy("FYSFYS01a", "Fysik 1a", "Fysik", 150, General, 4, FYS),
    gy("FYSFYS02", "Fysik 2", "Fysik", 100, General, 2, FYS),
    gy("KEMKEM01", "Kemi 1", "Kemi", 100, General, 5, KEM),
    gy("KEMKEM02", "Kemi 2", "Kemi", 100, General, 3, KEM),
    // Ekonomi, juridik, ledarskap
    gy("FÖRFÖR01", "Företagsekonomi 1", "Företagsekonomi", 100, Business, 4, FOR),
    gy("FÖRRED01", "Redovisning 1", "Företagsekonomi", 100, Business, 2, FOR),
    gy("FÖRMAD0", "Marknadsföring", "Företagsekonomi", 100, Business, 2, FOR),
    gy("ENTENR0", "Entreprenörskap", "Entreprenörskap", 100, Business, 2, ENT),
    gy("JURPRI0", "Privatjuridik", "Juridik", 100, Business, 2, JUR),
    gy("JURRÄT0", "Rätten och samhället", "Juridik", 100, Business, 1, JUR),
    gy("LEDLED0", "Ledarskap och organisation", "Ledarskap och organisation", 100, Business, 2, LED),
    gy("ADMADM01", "Administration 1", "Administration", 100, Business, 2, ADM),
    // Programmering och IT
    gy("PRRPRR01", "Programmering 1", "Programmering", 100, It, 4, PRR),
    gy("PRRPRR02", "Programmering 2", "Programmering", 100, It, 2, PRR),
    gy("WEUWEB01", "Webbutveckling 1", "Webbutveckling", 100, It, 3, WEU),
    gy("WEUWEB02", "Webbutveckling 2", "Webbutveckling", 100, It, 1, WEU),
    gy("DAODAC0", "Dator- och nätverksteknik", "Dator- och kommunikationsteknik", 100, It, 2, DAO),
    gy("NAINAR0", "Nätverksteknik", "Nätverksteknik", 100, It, 1, DAO),
    // Vård och omsorg
    gy("VÅRVÅR01", "Vård- och omsorgsarbete 1", "Vård och omsorg", 200, Care, 14, VAR),
    gy("VÅRVÅR02", "Vård- och omsorgsarbete 2", "Vård och omsorg", 150, Care, 10, VAR),
    gy("MEDMED01", "Medicin 1", "Medicin", 150, Care, 10, MED),
    gy("GERGER0", "Gerontologi och geriatrik", "Gerontologi och geriatrik", 100, Care, 8, GER),
    gy("SOASOC01", "Social omsorg 1", "Social omsorg", 100, Care, 6, SOA),
    gy("SOASOC02", "Social omsorg 2", "Social omsorg", 100, Care, 2, SOA),
    gy("PSYPSY01", "Psykiatri 1", "Psykiatri", 100, Care, 6, PSY),
    gy("PSYPSK02", "Psykiatri 2", "Psykiatri", 100, Care, 2, PSY),
    gy("MÄNETI0", "Etik och människans livsvillkor", "Människan", 100, Care, 5, ETI),
    gy("HALHAL0", "Hälsopedagogik", "Hälsa", 100, Care, 4, HAL),
    gy("FUTFUN01", "Funktionsförmåga och funktionsnedsättning 1", "Funktionsförmåga och funktionsnedsättning", 100, Care, 4, SPC),
    gy("ANOANA01", "Anatomi och fysiologi 1", "Anatomi och fysiologi", 50, Care, 3, ANO),
    gy("SJUHEM0", "Hemsjukvård", "Sjukvård", 100, Care, 2, SJU),
    gy("SJULIN0", "Palliativ vård", "Sjukvård", 100, Care, 2, SJU),
    gy("SJUAKU0", "Akutsjukvård", "Sjukvård", 200, Care, 1, SJU),
    gy("PEAVÅD0", "Vårdpedagogik och handledning", "Pedagogik i vård och omsorg", 100, Care, 2, VAR),
    // Barn och fritid
    gy("SPCSPE01", "Specialpedagogik 1", "Specialpedagogik", 100, Childcare, 4, SPC),
    gy("PEDLÄR0", "Lärande och utveckling", "Pedagogik", 100, Childcare, 5, PED),
    gy("PEDMÄI0", "Människors miljöer", "Pedagogik", 100, Childcare, 3, PED),
    gy("PEDBAS0", "Barns lärande och växande", "Pedagogik", 100, Childcare, 4, PED),
    gy("PEDPEG0", "Pedagogiskt ledarskap", "Pedagogik", 100, Childcare, 4, PED),
    gy("PEDKOU0", "Kommunikation", "Pedagogik", 100, Childcare, 3, PED),
    gy("PEGPEA0", "Pedagogiskt arbete", "Pedagogiskt arbete", 200, Childcare, 3, PED),
    gy("PEGSKP0", "Skapande verksamhet", "Pedagogiskt arbete", 100, Childcare, 2, PED),
    // El och svets
    gy("ELLELL01", "Ellära 1", "Ellära", 100, Technology, 2, ELL),
    gy("ELLPRA0", "Praktisk ellära", "Ellära", 100, Technology, 2, ELL),
    gy("ELRELF0", "Elkraftteknik", "Elektroteknik", 100, Technology, 2, ELI),
    gy("ELRELK0", "Elektromekanik", "Elektroteknik", 100, Technology, 1, ELI),
    gy("INSELI0", "Elinstallationer", "Installationsteknik", 200, Technology, 2, ELI),
    gy("INSELS0", "Elmotorstyrning", "Installationsteknik", 100, Technology, 1, ELI),
    gy("SAASVT0", "Svets grund", "Sammanfogningsteknik", 100, Technology, 2, SVT),
    gy("SAASAA0", "Sammanfogning", "Sammanfogningsteknik", 100, Technology, 1, SVT),
    // Transport och logistik
    gy("GODGOD1", "Godshantering - vux", "Godshantering", 100, Transport, 3, LOG),
    gy("TRAYRK1", "Yrkestrafik - vux", "Transportteknik", 300, Transport, 2, TRP),
    gy("PESPER1", "Persontrafik - vux", "Persontransporter", 200, Transport, 1, TRP),
    gy("INKLOG01", "Logistik 1", "Inköp och logistik", 100, Transport, 2, LOG),
    gy("LAGLAP0", "Lagerprocesser", "Lager och terminal", 200, Transport, 2, LOG),
    gy("LAGPLO0", "Plocklagerhantering", "Lager och terminal", 100, Transport, 1, LOG),
    // Restaurang
    gy("MALMAL01", "Matlagning 1", "Matlagningskunskap", 100, Restaurant, 3, RES),
    gy("MALMAL02", "Matlagning 2", "Matlagningskunskap", 200, Restaurant, 1, RES),
    gy("SERSER01", "Servering 1", "Serveringskunskap", 100, Restaurant, 2, RES),
    gy("HYGHYG0", "Hygien", "Hygienkunskap", 100, Restaurant, 3, RES),
    gy("MALSPE0", "Specialkoster", "Matlagningskunskap", 100, Restaurant, 1, RES),
    // Bygg och fastighet
    gy("BYGBYG01", "Bygg och anläggning 1", "Bygg och anläggning", 200, Construction, 2, BYG),
    gy("HUSHUS01", "Husbyggnad 1", "Husbyggnad", 100, Construction, 1, BYG),
    gy("TRÄBYG0", "Bygga i trä", "Trä", 100, Construction, 1, BYG),
    gy("FASFAS0", "Fastighetsservice - byggnader", "Fastighetsservice", 100, Construction, 1, FAS),
    gy("FASFAH0", "Fastighetsservice - elarbeten", "Fastighetsservice", 100, Construction, 1, FAS),
    gy("FASFAE0", "Fastighetsservice - VVS", "Fastighetsservice", 100, Construction, 1, FAS),
    // Handel, service och städ
    gy("SEVSEV01", "Service och bemötande 1", "Service och bemötande", 100, Service, 4, SEV),
    gy("SEVSEV02", "Service och bemötande 2", "Service och bemötande", 100, Service, 1, SEV),
    gy("FÖSPER01", "Personlig försäljning 1", "Försäljning och kundservice", 100, Service, 3, SEV),
    gy("REGSTA0", "Städservice", "Rengöringsservice", 100, Service, 2, STA),
    // Grundläggande nivå: nationella delkurser and whole courses
    gr("GRNSVAA", "Svenska som andraspråk, nationell delkurs 1", "Svenska som andraspråk", 100, Swedish, 14, GRN_SVA),
    gr("GRNSVAB", "Svenska som andraspråk, nationell delkurs 2", "Svenska som andraspråk", 200, Swedish, 16, GRN_SVA),
    gr("GRNSVAC", "Svenska som andraspråk, nationell delkurs 3", "Svenska som andraspråk", 200, Swedish, 14, GRN_SVA),
    gr("GRNSVAD", "Svenska som andraspråk, nationell delkurs 4", "Svenska som andraspråk", 200, Swedish, 12, GRN_SVA),
    gr("GRNSVEA", "Svenska, nationell delkurs 1", "Svenska", 100, Swedish, 4, GRN_SVE),
    gr("GRNSVEB", "Svenska, nationell delkurs 2", "Svenska", 200, Swedish, 4, GRN_SVE),
    gr("GRNSVEC", "Svenska, nationell delkurs 3", "Svenska", 200, Swedish, 3, GRN_SVE),
    gr("GRNSVED", "Svenska, nationell delkurs 4", "Svenska", 200, Swedish, 3, GRN_SVE),
    gr("GRNENGA", "Engelska, nationell delkurs 1", "Engelska", 100, General, 6, GRN_ENG),
    gr("GRNENGB", "Engelska, nationell delkurs 2", "Engelska", 100, General, 6, GRN_ENG),
    gr("GRNENGC", "Engelska, nationell delkurs 3", "Engelska", 200, General, 5, GRN_ENG),
    gr("GRNENGD", "Engelska, nationell delkurs 4", "Engelska", 200, General, 5, GRN_ENG),
    gr("GRNMATA", "Matematik, nationell delkurs 1", "Matematik", 100, General, 6, GRN_MAT),
    gr("GRNMATB", "Matematik, nationell delkurs 2", "Matematik", 100, General, 6, GRN_MAT),
    gr("GRNMATC", "Matematik, nationell delkurs 3", "Matematik", 200, General, 5, GRN_MAT),
    gr("GRNMATD", "Matematik, nationell delkurs 4", "Matematik", 200, General, 5, GRN_MAT),
    gr("GRNSAM2", "Samhällskunskap", "Samhällskunskap", 150, General, 3, GRN_SO),
    gr("GRNHIS2", "Historia", "Historia", 150, General, 2, GRN_SO),
    gr("GRNGEO2", "Geografi", "Geografi", 150, General, 2, GRN_SO),
    gr("GRNREL2", "Religionskunskap", "Religionskunskap", 150, General, 2, GRN_SO),
    gr("GRNSOA2", "Grundläggande kurs i samhällsorienterande ämnen", "Samhällsorienterande ämnen", 100, General, 3, GRN_SO),
    gr("GRNBIO2", "Biologi", "Biologi", 150, General, 2, GRN_NO),
    gr("GRNFYS2", "Fysik", "Fysik", 150, General, 2, GRN_NO),
    gr("GRNKEM2", "Kemi", "Kemi", 150, General, 2, GRN_NO),
    gr("GRNNOA2", "Grundläggande kurs i naturorienterande ämnen", "Naturorienterande ämnen", 100, General, 3, GRN_NO),
    gr("GRNORI21B", "Orienteringskurs: studieteknik och digitala verktyg", "Orienteringskurs", 100, General, 2, GRN_ORI),
    gr("GRNORI21H", "Orienteringskurs: att arbeta i Sverige", "Orienteringskurs", 100, General, 2, GRN_ORI),
    // SFI: course A to D on study paths 1 to 3
    sfi("SFIKUA91", "Svenska för invandrare, kurs A, studieväg 1", 20, SFI_1),
    sfi("SFIKUB91", "Svenska för invandrare, kurs B, studieväg 1", 24, SFI_1),
    sfi("SFIKUB92", "Svenska för invandrare, kurs B, studieväg 2", 28, SFI_2),
    sfi("SFIKUC91", "Svenska för invandrare, kurs C, studieväg 1", 18, SFI_1),
    sfi("SFIKUC92", "Svenska för invandrare, kurs C, studieväg 2", 28, SFI_2),
    sfi("SFIKUC93", "Svenska för invandrare, kurs C, studieväg 3", 20, SFI_3),
    sfi("SFIKUD91", "Svenska för invandrare, kurs D, studieväg 1", 14, SFI_1),
    sfi("SFIKUD92", "Svenska för invandrare, kurs D, studieväg 2", 24, SFI_2),
    sfi("SFIKUD93", "Svenska för invandrare, kurs D, studieväg 3", 20, SFI_3),
    // Anpassad utbildning
    adapted(VuxGran, "SGRSVE7", "Svenska", "Svenska", 1000, 3, ANP_GR),
    adapted(VuxGran, "SGRSVA7", "Svenska som andraspråk", "Svenska som andraspråk", 1000, 2, ANP_GR),
    adapted(VuxGran, "SGRMAT7", "Matematik", "Matematik", 600, 3, ANP_GR),
    adapted(VuxGran, "SGRENG7", "Engelska", "Engelska", 450, 2, ANP_GR),
    adapted(VuxGran, "SGRSAM7", "Samhällskunskap", "Samhällskunskap", 150, 2, ANP_GR),
    adapted(VuxGran, "SGRSPR7", "Språk och kommunikation", "Språk och kommunikation", 1200, 2, ANP_GR),
    adapted(VuxGran, "SGRIND7", "Individ och samhälle", "Individ och samhälle", 1200, 2, ANP_GR),
    adapted(VuxGran, "SGRNAT7", "Natur och miljö", "Natur och miljö", 1200, 1, ANP_GR),
    adapted(VuxGyan, "SVBSVE51", "Svenska 1", "Svenska", 200, 2, ANP_GY),
    adapted(VuxGyan, "MAMMAT51", "Matematik 1", "Matematik", 100, 2, ANP_GY),
    adapted(VuxGyan, "ENSENG51", "Engelska 1", "Engelska", 100, 2, ANP_GY),
    adapted(VuxGyan, "HASHAL51", "Hälsa 1", "Hälsa", 100, 1, ANP_GY),
    adapted(VuxGyan, "HITHIS51", "Historia 1", "Historia", 50, 1, ANP_GY),
    adapted(VuxGyan, "NANNAT51", "Naturkunskap 1", "Naturkunskap", 50, 1, ANP_GY),
    adapted(VuxGyan, "REIREL51", "Religionskunskap 1", "Religionskunskap", 50, 1, ANP_GY),
    // Yrkesvux packages (local codes)
    package("YVUSK", "Undersköterska", 1500, Care, 10,
        "Yrkesutbildning till undersköterska med vård- och omsorgsarbete, medicin, gerontologi och geriatrik, psykiatri och arbetsplatsförlagt lärande."),
    package("YVBAR", "Barnskötare och elevassistent", 1200, Childcare, 6,
        "Yrkesutbildning för arbete i förskola, fritidshem och skola: lärande och utveckling, pedagogiskt ledarskap, specialpedagogik och praktik."),
    package("YVEL", "Elektriker", 1600, Technology, 3,
        "Yrkesutbildning till elektriker: ellära, elkraftteknik, elinstallationer och elmotorstyrning, med möjlighet till lärlingsplats."),
    package("YVLAST", "Lastbilsförare", 900, Transport, 3,
        "Yrkesutbildning till lastbilsförare med körkort C och CE, yrkeskompetensbevis (YKB), godshantering och lastsäkring."),
    package("YVBUSS", "Bussförare", 800, Transport, 2,
        "Yrkesutbildning till bussförare med körkort D, yrkeskompetensbevis (YKB), persontrafik och bemötande av resenärer."),
    package("YVKOCK", "Kock", 1400, Restaurant, 3,
        "Yrkesutbildning till kock: matlagning, hygien, specialkoster och branschkunskap, med arbetsplatsförlagt lärande i restaurangkök."),
    package("YVLAG", "Lager och logistik", 800, Transport, 3,
        "Yrkesutbildning för arbete på lager och terminal: godshantering, truckkörning, plocklager och logistik."),
    package("YVFAST", "Fastighetsskötare", 1000, Construction, 2,
        "Yrkesutbildning till fastighetsskötare: fastighetsservice för byggnader, ytor, el och VVS samt kundbemötande."),
    package("YVVBI", "Vårdbiträde", 800, Care, 4,
        "Yrkesutbildning till vårdbiträde inom äldreomsorg och hemtjänst: vård- och omsorgsarbete, etik och bemötande."),
    package("YVPA", "Personlig assistent", 800, Care, 3,
        "Yrkesutbildning till personlig assistent: funktionsförmåga och funktionsnedsättning, social omsorg och hälsa."),
    package("YVSNI", "Träarbetare / snickare", 1400, Construction, 2,
        "Yrkesutbildning till träarbetare och snickare: bygg och anläggning, husbyggnad och trä, ofta som lärling."),
    package("YVSVE", "Svetsare", 1200, Technology, 2,
        "Yrkesutbildning till svetsare: svets grund, kälsvets och stumsvets med svetsprov för certifikat."),
    package("YVREST", "Restaurangbiträde", 800, Restaurant, 2,
        "Yrkesutbildning till restaurangbiträde: matlagning, servering, hygien och service i restaurang och storkök."),
    package("YVSTAD", "Lokalvård och städservice", 800, Service, 2,
        "Yrkesutbildning för arbete inom lokalvård: städservice, rengöringsmetoder, ergonomi och kundbemötande."),
    package("YVHAN", "Handel och service", 900, Service, 3,
        "Yrkesutbildning för arbete i butik och handel: service och bemötande, personlig försäljning och branschkunskap."),
    package("YVMJT", "Mjukvarutestare", 1200, It, 2,
        "Yrkesutbildning till mjukvarutestare: programmering, webbutveckling, testmetoder och kvalitetssäkring av system."),
];
