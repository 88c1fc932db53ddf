//! The `[portal]` table: how a region brands the residents' portal and the admin pages. Every
//! key has a default, so a region without the table gets a working portal; docs/portal.md
//! shows the whole table.
//!
//! ```toml
//! [portal]
//! name = "Vuxenutbildning i Stockholms län"   # the service's name, in the header and titles
//! region = "Stockholms län"                   # where it serves, in running text
//! logo = "/etc/vuxnav/logo.svg"               # an SVG or PNG file, at most 256 KiB; a relative path is read beside this file
//! logo_alt = "Region Exempel"                 # the logo's text alternative; default none (decoration)
//! contact_email = "vuxnav@region.example"     # where residents write, and report accessibility problems
//! intro = "Sök bland kurserna hos länets alla kommuner."
//! about = "Tjänsten drivs av …"               # the "om tjänsten" page, paragraphs split by blank lines
//! accessibility_reviewed = "2026-11-27"       # when the accessibility statement was last reviewed
//!
//! [portal.colours]                            # "#rrggbb"; each must reach WCAG AA contrast (4.5:1)
//! primary = "#1d4f91"                         # the header and buttons, under white text
//! link = "#1d4f91"                            # links, on white
//! ```

use std::sync::Arc;

use chrono::NaiveDate;

use super::reader::{Reader, Table};

/// The largest logo file read, in bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The contrast ratio WCAG 2.1 AA asks of normal text (success criterion 1.4.3).
pub const MIN_CONTRAST: f64 = 4.5;

/// The `[portal]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalConfig {
    /// The service's name, in the header and in every page title (`name`).
    pub name: String,
    /// The region it serves, in running text (`region`).
    pub region: String,
    /// The logo shown in the header (`logo`, a file path; default vuxnav's own mark).
    pub logo: Option<Logo>,
    /// The logo's text alternative (`logo_alt`, default none: the logo then counts as
    /// decoration beside the name). Give one when the logo says more than the name, such as
    /// the region's own.
    pub logo_alt: String,
    /// Where residents write to, and report accessibility problems (`contact_email`).
    pub contact_email: String,
    /// The landing page's introduction (`intro`).
    pub intro: String,
    /// The "om tjänsten" page's text, paragraphs split by blank lines (`about`).
    pub about: String,
    /// When the accessibility statement was last reviewed (`accessibility_reviewed`).
    pub accessibility_reviewed: NaiveDate,
    /// The colours (`[portal.colours]`).
    pub colours: Colours,
}

/// A logo file, read at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub bytes: Arc<[u8]>,
    /// `image/svg+xml` or `image/png`.
    pub content_type: &'static str,
}

/// The brand colours, each `#rrggbb` and each reaching AA contrast where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colours {
    /// The header and buttons, under white text (`primary`).
    pub primary: Colour,
    /// Links, on white (`link`).
    pub link: Colour,
}

/// A colour written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour([u8; 3]);

impl Colour {
    /// Parses `#rrggbb`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let hex = text.trim().strip_prefix('#').filter(|hex| hex.len() == 6 && hex.is_ascii());
        let channel = |i: usize| hex.and_then(|hex| u8::from_str_radix(&hex[i..i + 2], 16).ok());
        match (channel(0), channel(2), channel(4)) {
            (Some(r), Some(g), Some(b)) => Ok(Self([r, g, b])),
            _ => Err(format!("`{text}` is not a colour: write it as \"#rrggbb\", such as \"#1d4f91\"")),
        }
    }

    /// The colour as CSS writes it.
    pub fn css(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The contrast ratio against white, 1 to 21 (WCAG 2.1's definition).
    pub fn contrast_with_white(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let [r, g, b] = self.0;
        let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
        1.05 / (luminance + 0.05)
    }
}

const DEFAULT_COLOUR: Colour = Colour([0x1d, 0x4f, 0x91]);

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            name: "Vuxenutbildning i Stockholms län".to_owned(),
            region: "Stockholms län".to_owned(),
            logo: None,
            logo_alt: String::new(),
            contact_email: "vuxnav@region.example".to_owned(),
            intro: "Sök bland kurserna i vuxenutbildningen hos länets alla kommuner, på en plats. \
                    Se var och när de går, hur du söker och var du kan få vägledning och validering."
                .to_owned(),
            about: "Tjänsten samlar kommunernas utbud av vuxenutbildning: komvux, sfi och \
                    särskild utbildning för vuxna. Uppgifterna hämtas varje natt från kommunernas \
                    egna system.\n\nDu söker alltid till en utbildning genom din hemkommun. Har du \
                    skyddad identitet finns en pappersblankett hos din kommun."
                .to_owned(),
            accessibility_reviewed: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
            colours: Colours { primary: DEFAULT_COLOUR, link: DEFAULT_COLOUR },
        }
    }
}

pub(super) fn read_portal(r: &mut Reader, table: &mut Table) -> PortalConfig {
    let defaults = PortalConfig::default();
    let text = |r: &mut Reader, table: &mut Table, key: &'static str| {
        r.parsed(table, key, |value: String| {
            if value.trim().is_empty() { Err("must not be empty".to_owned()) } else { Ok(value.trim().to_owned()) }
        })
    };
    let name = text(r, table, "name");
    let region = text(r, table, "region");
    let logo_alt = r.field::<String>(table, "logo_alt").map(|alt| alt.trim().to_owned());
    let intro = text(r, table, "intro");
    let about = text(r, table, "about");
    let contact_email = r.parsed(table, "contact_email", |email: String| {
        let email = email.trim().to_owned();
        if email.contains('@') && !email.contains(char::is_whitespace) {
            Ok(email)
        } else {
            Err(format!("`{email}` is not an e-mail address"))
        }
    });
    let logo = r.file(table, "logo", read_logo);
    let accessibility_reviewed = r.parsed(table, "accessibility_reviewed", |date: String| {
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| format!("`{date}` is not a date: write it as \"YYYY-MM-DD\""))
    });
    let mut colours_table = r.table(table, "colours");
    let mut colour = |key: &'static str, under: &str| {
        r.parsed(&mut colours_table, key, |text: String| {
            let colour = Colour::parse(&text)?;
            let contrast = colour.contrast_with_white();
            if contrast < MIN_CONTRAST {
                return Err(format!(
                    "`{text}` has a contrast of {contrast:.1}:1 with white {under}; WCAG 2.1 AA asks for at least {MIN_CONTRAST}:1: pick a darker colour"
                ));
            }
            Ok(colour)
        })
    };
    let primary = colour("primary", "text");
    let link = colour("link", "");
    r.finish(colours_table);
    let name = name.unwrap_or(defaults.name);
    PortalConfig {
        logo_alt: logo_alt.unwrap_or(defaults.logo_alt),
        name,
        region: region.unwrap_or(defaults.region),
        logo,
        contact_email: contact_email.unwrap_or(defaults.contact_email),
        intro: intro.unwrap_or(defaults.intro),
        about: about.unwrap_or(defaults.about),
        accessibility_reviewed: accessibility_reviewed.unwrap_or(defaults.accessibility_reviewed),
        colours: Colours {
            primary: primary.unwrap_or(defaults.colours.primary),
            link: link.unwrap_or(defaults.colours.link),
        },
    }
}

fn read_logo(path: &std::path::Path) -> Result<Logo, String> {
    let content_type = match path.extension().and_then(|extension| extension.to_str()) {
        Some(extension) if extension.eq_ignore_ascii_case("svg") => "image/svg+xml",
        Some(extension) if extension.eq_ignore_ascii_case("png") => "image/png",
        _ => return Err(format!("`{}` is neither an .svg nor a .png file", path.display())),
    };
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "`{}` is {} bytes; a logo may have at most {MAX_LOGO_BYTES} (256 KiB)",
            path.display(),
            bytes.len()
        ));
    }
    Ok(Logo { bytes: bytes.into(), content_type })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_colour_reaches_aa_contrast_with_white() {
        assert!(DEFAULT_COLOUR.contrast_with_white() >= MIN_CONTRAST);
        assert_eq!(DEFAULT_COLOUR.css(), "#1d4f91");
    }

    #[test]
    fn contrast_is_wcag_s_ratio() {
        let black = Colour::parse("#000000").expect("a colour");
        let white = Colour::parse("#FFFFFF").expect("a colour");
        assert!((black.contrast_with_white() - 21.0).abs() < 0.01);
        assert!((white.contrast_with_white() - 1.0).abs() < 0.01);
        // #767676 is the lightest grey that passes on white.
        let grey = Colour::parse("#767676").expect("a colour");
        assert!(grey.contrast_with_white() >= MIN_CONTRAST && grey.contrast_with_white() < 4.6);
    }

    #[test]
    fn a_colour_not_written_rrggbb_is_refused_with_an_example() {
        for text in ["1d4f91", "#1d4f9", "#1d4f91ff", "#ggg000", "blue", "#åäöåäö"] {
            let error = Colour::parse(text).expect_err(text);
            assert!(error.contains("#rrggbb"), "{text}: {error}");
        }
    }
}
