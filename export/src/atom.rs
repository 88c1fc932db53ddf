//! `releases.atom`: an Atom feed with one entry per published release, newest first.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// One published release, as the feed lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub release: String,
    pub sequence: u64,
    /// RFC 3339.
    pub created: String,
    /// Rows per table, for the summary.
    pub rows: Vec<(String, u64)>,
}

/// The feed for `entries` (newest first), served at `<base_url>releases.atom`.
pub fn feed(base_url: &str, entries: &[Entry]) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a `Vec` cannot fail.
    let _ = write_feed(&mut writer, base_url, entries);
    writer.into_inner()
}

fn write_feed(writer: &mut Writer<Vec<u8>>, base_url: &str, entries: &[Entry]) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut feed = BytesStart::new("feed");
    feed.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    writer.write_event(Event::Start(feed))?;
    element(writer, "title", "vuxnav: öppna data om vuxenutbildning")?;
    element(writer, "id", &format!("{base_url}releases.atom"))?;
    link(writer, &format!("{base_url}releases.atom"), Some("self"))?;
    link(writer, base_url, None)?;
    let updated = entries.first().map_or("1970-01-01T00:00:00Z", |e| e.created.as_str());
    element(writer, "updated", updated)?;
    writer.write_event(Event::Start(BytesStart::new("author")))?;
    element(writer, "name", "vuxnav")?;
    writer.write_event(Event::End(BytesEnd::new("author")))?;
    for entry in entries {
        let folder = format!("{base_url}releases/{}/", entry.release);
        writer.write_event(Event::Start(BytesStart::new("entry")))?;
        element(writer, "title", &format!("Release {} (sequence {})", entry.release, entry.sequence))?;
        element(writer, "id", &folder)?;
        link(writer, &format!("{folder}manifest.json"), None)?;
        element(writer, "updated", &entry.created)?;
        let rows: Vec<String> = entry.rows.iter().map(|(table, n)| format!("{table}: {n}")).collect();
        element(writer, "summary", &rows.join(", "))?;
        writer.write_event(Event::End(BytesEnd::new("entry")))?;
    }
    writer.write_event(Event::End(BytesEnd::new("feed")))?;
    Ok(())
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    writer.write_event(Event::Start(BytesStart::new(name)))?;
    writer.write_event(Event::Text(BytesText::new(text)))?;
    writer.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn link(writer: &mut Writer<Vec<u8>>, href: &str, rel: Option<&str>) -> std::io::Result<()> {
    let mut link = BytesStart::new("link");
    link.push_attribute(("href", href));
    if let Some(rel) = rel {
        link.push_attribute(("rel", rel));
    }
    writer.write_event(Event::Empty(link))?;
    Ok(())
}
