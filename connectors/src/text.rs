//! Upstream text reduced to plain text: CDATA markers, HTML tags and entities removed, white
//! space collapsed. Every kind cleans its text fields through here, so they all read alike.
//! Also the subject named by a course title, which every kind without a subject field derives
//! the same way.

use vuxnav_schema::{CourseConfiguration, SchoolForm};

/// Plain text of a field: CDATA markers, HTML tags and entities removed, white space collapsed
/// to single spaces. Empty when nothing but markup and space is left.
pub(crate) fn plain(value: &str) -> String {
    collapse(&strip_markup(value, false))
}

/// Plain text of a field that may be absent: [`plain`], and `None` when nothing is left.
pub(crate) fn plain_present(value: Option<&str>) -> Option<String> {
    value.map(plain).filter(|text| !text.is_empty())
}

/// Plain text of a description: like [`plain`], but paragraphs and line breaks of the HTML
/// become `\n`, so the text keeps its shape.
pub(crate) fn paragraphs(value: &str) -> String {
    let text = strip_markup(value, true);
    let lines: Vec<String> = text.lines().map(collapse).filter(|line| !line.is_empty()).collect();
    lines.join("\n")
}

fn collapse(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags that end a line of text; other tags (`a`, `strong`, `span`, …) vanish without a trace.
const BREAKING_TAGS: &[&str] =
    &["br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"];

fn strip_markup(value: &str, keep_breaks: bool) -> String {
    let without_cdata = value.replace("<![CDATA[", " ").replace("]]>", " ");
    let mut out = String::with_capacity(without_cdata.len());
    let mut rest = without_cdata.as_str();
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        if let Some(after) = tail.strip_prefix('<') {
            let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
            match (is_tag, after.find('>')) {
                (true, Some(end)) => {
                    let name: String = after[..end]
                        .trim_start_matches('/')
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if BREAKING_TAGS.contains(&name.as_str()) {
                        out.push(if keep_breaks { '\n' } else { ' ' });
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('<');
                    rest = after;
                }
            }
        } else {
            match decode_entity(tail) {
                Some((text, len)) => {
                    out.push(text);
                    rest = &tail[len..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity at the start of `text` (`&nbsp;`, `&#228;`, `&#xE4;`), returning the
/// character and the entity's length.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    let end = text.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i)?;
    let name = &text[1..end];
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "aring" => 'å',
            "auml" => 'ä',
            "ouml" => 'ö',
            "Aring" => 'Å',
            "Auml" => 'Ä',
            "Ouml" => 'Ö',
            "eacute" => 'é',
            "Eacute" => 'É',
            "uuml" => 'ü',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "rsquo" | "lsquo" => '\'',
            "rdquo" | "ldquo" => '"',
            "bull" => '•',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The subject's name: the title without its level (`Matematik` of `Matematik 1c`, `Engelska`
/// of `Engelska, grundläggande nivå`). Packages and programmes have none.
pub(crate) fn subject(title: &str, form: SchoolForm, configuration: CourseConfiguration) -> Option<String> {
    if form == SchoolForm::VuxSfi {
        return Some("Svenska för invandrare".to_owned());
    }
    if configuration != CourseConfiguration::Course {
        return None;
    }
    let head = title.split([',', '(', '–']).next().unwrap_or(title).split(" - ").next().unwrap_or(title).trim();
    let mut words: Vec<&str> = head.split_whitespace().collect();
    // A level is short and starts with a digit: `1`, `1c`, `1a1`, `05`.
    let is_level = |word: &str| {
        word.len() <= 4 && word.starts_with(|c: char| c.is_ascii_digit()) && word.chars().all(char::is_alphanumeric)
    };
    if words.len() > 1 && words.last().is_some_and(|w| is_level(w)) {
        words.pop();
    }
    let subject = words.join(" ");
    (!subject.is_empty()).then_some(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_tags_and_entities_are_stripped() {
        let cell =
            "<![CDATA[ <p><a href=https://kommun.example/x target=_blank>Läs&nbsp;om våra studieformer</a></p> ]]>";
        assert_eq!(plain(cell), "Läs om våra studieformer");
        assert_eq!(plain("<![CDATA[Matematik 1a]]>"), "Matematik 1a");
        assert_eq!(plain("Svenska &amp; samhälle &#228;r &#xE5;terkommande"), "Svenska & samhälle är återkommande");
        assert_eq!(plain("  \t "), "");
        assert_eq!(plain("<![CDATA[ <p>&nbsp;</p> ]]>"), "");
        assert_eq!(
            plain("<p>Följ din ansökan via <a href=https://x.example/>Mina sidor</a>.</p><p>Välkommen!</p>"),
            "Följ din ansökan via Mina sidor. Välkommen!"
        );
        assert_eq!(plain("<strong>Kurs</strong>start"), "Kursstart");
    }

    #[test]
    fn text_that_only_looks_like_markup_is_kept() {
        assert_eq!(plain("pace < 50 % & more"), "pace < 50 % & more");
        assert_eq!(plain("AT&T"), "AT&T");
        assert_eq!(plain("a &unknown; b"), "a &unknown; b");
    }

    #[test]
    fn a_description_keeps_its_paragraphs() {
        let cell =
            "<![CDATA[ <p>Lärarledda lektioner</p><p><br />Ditt&nbsp;antagningsbesked<br />&nbsp;<br />skickas</p> ]]>";
        assert_eq!(paragraphs(cell), "Lärarledda lektioner\nDitt antagningsbesked\nskickas");
    }

    #[test]
    fn an_html_description_is_reduced_to_lines_of_text() {
        let html = "<p>Kursen ger dig <strong>grunderna</strong> i matematik &amp; statistik.</p>\n<ul><li>Algebra</li><li>Funktioner&nbsp;och grafer</li></ul><br/>&#229;&#xE4;&ouml; &unknown; a < b";
        assert_eq!(
            paragraphs(html),
            "Kursen ger dig grunderna i matematik & statistik.\nAlgebra\nFunktioner och grafer\nåäö &unknown; a < b"
        );
    }

    #[test]
    fn the_subject_is_the_title_without_its_level() {
        let kurs = CourseConfiguration::Course;
        assert_eq!(subject("Matematik 1c", SchoolForm::VuxGy, kurs).as_deref(), Some("Matematik"));
        assert_eq!(
            subject("Svenska som andraspråk 3", SchoolForm::VuxGy, kurs).as_deref(),
            Some("Svenska som andraspråk")
        );
        assert_eq!(subject("Historia 1a1", SchoolForm::VuxGy, kurs).as_deref(), Some("Historia"));
        assert_eq!(subject("Engelska, grundläggande nivå", SchoolForm::VuxGr, kurs).as_deref(), Some("Engelska"));
        assert_eq!(subject("SFI kurs B", SchoolForm::VuxSfi, kurs).as_deref(), Some("Svenska för invandrare"));
        assert_eq!(subject("Undersköterska", SchoolForm::VuxGy, CourseConfiguration::Package), None);
    }
}
