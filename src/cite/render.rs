//! Rendering in-text citations and reference-list entries through hayagriva's
//! bundled CSL styles and locales. kutip writes no formatting rules of its own.

use super::library::Record;
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    LocatorPayload, SpecificLocator,
};

/// The citation styles kutip offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum StyleName {
    /// APA 7th edition (author-date).
    #[default]
    Apa,
    /// Chicago Manual of Style, author-date.
    Chicago,
    /// MLA 9th edition.
    Mla,
    /// IEEE (numeric).
    Ieee,
    /// Harvard (Cite Them Right).
    Harvard,
}

impl StyleName {
    fn archived(self) -> ArchivedStyle {
        match self {
            StyleName::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
            StyleName::Chicago => ArchivedStyle::ChicagoAuthorDate,
            StyleName::Mla => ArchivedStyle::ModernLanguageAssociation,
            StyleName::Ieee => ArchivedStyle::InstituteOfElectricalAndElectronicsEngineers,
            StyleName::Harvard => ArchivedStyle::HarvardCiteThemRight,
        }
    }
}

/// The locales kutip offers for citation terms (`p.`/`hlm.`, `and`/`dan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LocaleName {
    /// English (US).
    #[default]
    En,
    /// Indonesian.
    Id,
}

impl LocaleName {
    fn code(self) -> &'static str {
        match self {
            LocaleName::En => "en-US",
            LocaleName::Id => "id-ID",
        }
    }
}

/// A citation and its reference-list entry, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// In-text citation, e.g. `(Zelinsky, 1991, p. 3)`.
    pub citation: String,
    /// Reference-list entry.
    pub reference: String,
}

/// Renders records in one style and locale; build once, use for every hit.
pub struct Renderer {
    style: IndependentStyle,
    locales: Vec<Locale>,
    locale: LocaleCode,
}

impl Renderer {
    /// Loads the bundled style and locales.
    pub fn new(style: StyleName, locale: LocaleName) -> crate::Result<Self> {
        let Style::Independent(style) = style.archived().get() else {
            return Err(crate::Error::Cite(
                "bundled style is not independent".into(),
            ));
        };
        let locale = LocaleCode(locale.code().to_string());
        Ok(Renderer {
            style,
            locales: hayagriva::archive::locales(),
            locale,
        })
    }

    /// Renders `record` with an optional page locator (`12` or `12–13`).
    pub fn render(&self, record: &Record, page: Option<&str>) -> Rendered {
        // hayagriva's `EntryLike` trait is not public, so the driver call is
        // written once in a macro and instantiated for both record types.
        macro_rules! drive {
            ($entry:expr) => {{
                let mut driver = BibliographyDriver::new();
                let locator = page.map(|p| SpecificLocator(Locator::Page, LocatorPayload::Str(p)));
                driver.citation(CitationRequest::new(
                    vec![CitationItem::with_locator($entry, locator)],
                    &self.style,
                    Some(self.locale.clone()),
                    &self.locales,
                    None,
                ));
                driver.finish(BibliographyRequest::new(
                    &self.style,
                    Some(self.locale.clone()),
                    &self.locales,
                ))
            }};
        }
        let result = match record {
            Record::Bib { entry, .. } => drive!(entry.as_ref()),
            Record::Csl { item, .. } => drive!(item),
        };
        let citation = result
            .citations
            .first()
            .map(|c| plain(&c.citation))
            .unwrap_or_default();
        let reference = result
            .bibliography
            .and_then(|b| b.items.into_iter().next())
            .map(|item| {
                let mut s = String::new();
                if let Some(first) = item.first_field {
                    let _ = first.write_buf(&mut s, BufWriteFormat::Plain);
                    s.push(' ');
                }
                s.push_str(&plain(&item.content));
                s
            })
            .unwrap_or_default();
        Rendered {
            citation: tidy(&citation),
            reference: tidy(&reference),
        }
    }
}

fn plain(children: &hayagriva::ElemChildren) -> String {
    let mut s = String::new();
    let _ = children.write_buf(&mut s, BufWriteFormat::Plain);
    s
}

fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::library::read_bibtex;
    use std::path::Path;

    fn record(bib: &str) -> Record {
        read_bibtex(Path::new("t.bib"), bib).0.remove(0).record
    }

    const ZELINSKY: &str = "@article{zelinsky1991, author = {Zelinsky, Wilbur}, title = {The Twinning of the World: Sister Cities in Geographic and Historical Perspective}, journal = {Annals of the Association of American Geographers}, year = {1991}, volume = {81}, number = {1}, pages = {1--31}}";

    #[test]
    fn apa_citation_with_page_and_reference() {
        let r = Renderer::new(StyleName::Apa, LocaleName::En).unwrap();
        let out = r.render(&record(ZELINSKY), Some("3"));
        assert_eq!(out.citation, "(Zelinsky, 1991, p. 3)");
        assert_eq!(
            out.reference,
            "Zelinsky, W. (1991). The Twinning of the World: Sister Cities in Geographic and \
             Historical Perspective. Annals of the Association of American Geographers, 81(1), 1–31."
        );
    }

    #[test]
    fn indonesian_locale_uses_hlm() {
        let r = Renderer::new(StyleName::Apa, LocaleName::Id).unwrap();
        let out = r.render(&record(ZELINSKY), Some("3"));
        assert_eq!(out.citation, "(Zelinsky, 1991, hlm. 3)");
    }
}
