//! DOCX: a Word document written directly as Office Open XML in a zip.
//!
//! Each table is a real Word table: a caption above it, a header row that
//! repeats on every page, rows that never split across pages, numbers aligned
//! right, and its notes below. Wide tables (the score matrix) get a landscape
//! section. Charts are embedded as SVG with a PNG fallback, the way Word
//! itself stores SVG pictures (the `asvg:svgBlip` extension): Word 2016 and
//! later draw the SVG; LibreOffice and older Word draw the PNG.
//!
//! The parts are written by hand rather than with a docx crate because the
//! crates available number their pictures and paragraphs with process-wide
//! counters, so the same report exported twice in one process would differ,
//! and none writes repeating header rows. The zip entries carry a fixed date.

use std::fmt::Write as _;
use std::io::{Cursor, Seek, Write};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::ExportError;
use super::doc::{
    Align, Block, Chart, FIGURE_LABEL, Numbering, Report, ReportTable, RowKind, TABLE_LABEL,
};
use super::png::svg_to_png;
use super::stream::ReportStream;
use super::svg::{PRINT_WIDTH, chart_svg_for_print};
use super::text::{push_xml, xml};

/// Page size and margins, in twentieths of a point (twips): A4 with 2 cm margins.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN: u32 = 1134;

/// English Metric Units per twip, for picture sizes.
const EMU_PER_TWIP: u64 = 635;

fn zerr(e: zip::result::ZipError) -> ExportError {
    ExportError::Docx(e)
}

/// Writes the report as a Word document.
pub fn write(report: &Report, out: &mut impl Write) -> Result<(), ExportError> {
    let bytes = document_bytes(report)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// A picture to store in the package.
struct Media {
    png: Vec<u8>,
    svg: Vec<u8>,
}

/// The document's bytes.
pub fn document_bytes(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut out = Cursor::new(Vec::new());
    write_stream(&ReportStream::from(report), &mut out)?;
    Ok(out.into_inner())
}

/// Writes `report` as a Word document to `out`, the annex's tables written
/// into the document part as the report streams them.
pub fn write_stream<W: Write + Seek>(
    report: &ReportStream<'_>,
    out: &mut W,
) -> Result<(), ExportError> {
    // Rasterising the charts is most of the work for a small report, and
    // each chart is independent: draw them all on every core, in order.
    let charts: Vec<&Chart> = report.charts().collect();
    let media = charts
        .par_iter()
        .map(|c| {
            let svg = chart_svg_for_print(c);
            Ok(Media {
                png: svg_to_png(&svg, super::png::CHART_SCALE)?,
                svg: svg.into_bytes(),
            })
        })
        .collect::<Result<Vec<Media>, ExportError>>()?;
    let mut zip = ZipWriter::new(out);
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Level 1: several times faster than the default on a large document,
        // for files a little larger; Word reads either.
        .compression_level(Some(1))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let part = |zip: &mut ZipWriter<&mut W>, name: &str, bytes: &[u8]| {
        zip.start_file(name, opts).map_err(zerr)?;
        zip.write_all(bytes)?;
        Ok::<(), ExportError>(())
    };
    part(&mut zip, "[Content_Types].xml", CONTENT_TYPES.as_bytes())?;
    part(&mut zip, "_rels/.rels", ROOT_RELS.as_bytes())?;
    part(
        &mut zip,
        "docProps/core.xml",
        core_xml(report.title()).as_bytes(),
    )?;
    part(&mut zip, "docProps/app.xml", APP_XML.as_bytes())?;
    // The document part goes to the package piece by piece as it is made,
    // never held whole: for a large appraisal it is over a gigabyte.
    zip.start_file("word/document.xml", opts).map_err(zerr)?;
    write_body(report, &media, &mut zip)?;
    part(&mut zip, "word/styles.xml", STYLES.as_bytes())?;
    part(&mut zip, "word/settings.xml", SETTINGS.as_bytes())?;
    part(&mut zip, "word/fontTable.xml", FONT_TABLE.as_bytes())?;
    part(&mut zip, "word/theme/theme1.xml", THEME.as_bytes())?;
    part(&mut zip, "word/footer1.xml", FOOTER.as_bytes())?;
    part(
        &mut zip,
        "word/_rels/document.xml.rels",
        document_rels(media.len()).as_bytes(),
    )?;
    for (i, m) in media.iter().enumerate() {
        part(&mut zip, &format!("word/media/chart{}.png", i + 1), &m.png)?;
        part(&mut zip, &format!("word/media/chart{}.svg", i + 1), &m.svg)?;
    }
    zip.finish().map_err(zerr)?;
    Ok(())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="svg" ContentType="image/svg+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const APP_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>appraise</Application></Properties>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// The fonts the styles name, so Word can substitute well where one is missing.
const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Arial"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

/// A plain Office theme: black text, Arial for headings and body.
const THEME: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="appraise"><a:themeElements><a:clrScheme name="appraise"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F3F6F"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="0072B2"/></a:accent1><a:accent2><a:srgbClr val="D55E00"/></a:accent2><a:accent3><a:srgbClr val="009E73"/></a:accent3><a:accent4><a:srgbClr val="CC79A7"/></a:accent4><a:accent5><a:srgbClr val="555555"/></a:accent5><a:accent6><a:srgbClr val="E69F00"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="appraise"><a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="appraise"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#;

/// The footer on every page: "Page N of M", as fields Word keeps up to date.
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:fldSimple w:instr=" PAGE \* ARABIC "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr=" NUMPAGES \* ARABIC "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"#;

/// Styles: Arial (Liberation Sans stands in for it where Arial is missing),
/// headings that keep with the next paragraph, and a caption style.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="100"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="25"/><w:szCs w:val="25"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/></w:pPr><w:rPr><w:b/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Byline"><w:name w:val="Byline"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60"/></w:pPr><w:rPr><w:color w:val="333333"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TableNote"><w:name w:val="Table Note"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:keepLines/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr></w:style></w:styles>"#;

fn core_xml(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>appraise</dc:creator></cp:coreProperties>"#,
        xml(title)
    )
}

fn document_rels(charts: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/><Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    );
    for i in 1..=charts {
        let _ = write!(
            s,
            r#"<Relationship Id="rIdPng{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart{i}.png"/><Relationship Id="rIdSvg{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart{i}.svg"/>"#
        );
    }
    s.push_str("</Relationships>");
    s
}

/// Runs for text with newlines, as `<w:r>` elements joined by breaks.
fn runs(text: &str, bold: bool, italic: bool) -> String {
    let mut s = String::new();
    push_runs(&mut s, text, bold, italic);
    s
}

/// [`runs`], appended to `s`. Carriage returns are dropped by the escaping,
/// so `\r\n` breaks a line as `\n` does.
fn push_runs(s: &mut String, text: &str, bold: bool, italic: bool) {
    let rpr = match (bold, italic) {
        (false, false) => "",
        (true, false) => "<w:rPr><w:b/></w:rPr>",
        (false, true) => "<w:rPr><w:i/></w:rPr>",
        (true, true) => "<w:rPr><w:b/><w:i/></w:rPr>",
    };
    for (i, line) in text.split('\n').enumerate() {
        s.push_str("<w:r>");
        s.push_str(rpr);
        if i > 0 {
            s.push_str("<w:br/>");
        }
        s.push_str("<w:t xml:space=\"preserve\">");
        push_xml(s, line);
        s.push_str("</w:t></w:r>");
    }
}

fn paragraph(style: Option<&str>, text: &str) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
    });
    format!("<w:p>{ppr}{}</w:p>", runs(text, false, false))
}

fn sect_pr(landscape: bool) -> String {
    let (w, h, orient) = if landscape {
        (PAGE_H, PAGE_W, " w:orient=\"landscape\"")
    } else {
        (PAGE_W, PAGE_H, "")
    };
    format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/><w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    )
}

/// Writes the document part to `out` piece by piece: the start, each
/// block's XML (made on every core, a run of blocks at a time), and the
/// end; `media` holds the report's charts drawn, in order.
fn write_body(
    report: &ReportStream<'_>,
    media: &[Media],
    out: &mut impl Write,
) -> Result<(), ExportError> {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>"#,
    );
    s.push_str(&paragraph(Some("Title"), report.title()));
    for line in report.byline() {
        s.push_str(&paragraph(Some("Byline"), line));
    }
    out.write_all(s.as_bytes())?;
    // Sections break at headings, so a wide table and its heading share a
    // landscape page. First the layout, in order: where sections break,
    // each block's text width and each chart's number; then every block's
    // XML on every core, written in order.
    let wide = report.wide_sections();
    let mut section = 0;
    let mut landscape = false;
    let mut charts = 0;
    let mut first = true;
    report.runs(|blocks| {
        let mut plan: Vec<(Option<bool>, &Block, u32, usize)> = Vec::with_capacity(blocks.len());
        for b in blocks {
            let mut closes = None;
            if matches!(b, Block::Heading(_)) {
                section += 1;
            }
            let starts = first || matches!(b, Block::Heading(_));
            first = false;
            if starts {
                let w = wide.get(section).copied().unwrap_or(false);
                // The orientation of the section this block closes, if it starts a new one.
                if w != landscape {
                    closes = Some(landscape);
                    landscape = w;
                }
            }
            let text_width = if landscape {
                PAGE_H - 2 * MARGIN
            } else {
                PAGE_W - 2 * MARGIN
            };
            if matches!(b, Block::Chart(_)) {
                charts += 1;
            }
            plan.push((closes, b, text_width, charts));
        }
        // A very large table (a matrix of thousands of options) is written
        // on its own, a few rows at a time, rather than made whole first.
        let big = |b: &Block| {
            matches!(b, Block::Table(t) if t.rows.len() * t.columns.len() > BIG_TABLE_CELLS)
        };
        let block_xml = |s: &mut String,
                         (closes, b, text_width, chart): (Option<bool>, &Block, u32, usize),
                         flush: &mut dyn FnMut(&mut String) -> std::io::Result<()>|
         -> std::io::Result<()> {
            if let Some(orientation) = closes {
                // Close the current section with its own orientation.
                let _ = write!(s, "<w:p><w:pPr>{}</w:pPr></w:p>", sect_pr(orientation));
            }
            match b {
                Block::Heading(h) => s.push_str(&paragraph(Some("Heading1"), h)),
                Block::Subheading(h) => s.push_str(&paragraph(Some("Heading2"), h)),
                Block::Paragraph(p) => s.push_str(&paragraph(None, p)),
                Block::Table(t) => table_xml(s, t, text_width, flush)?,
                Block::Chart(c) => {
                    if let Some(m) = chart.checked_sub(1).and_then(|k| media.get(k)) {
                        chart_xml(s, c, m, chart, text_width);
                    }
                }
            }
            Ok(())
        };
        let parts: Vec<Option<String>> = plan
            .par_iter()
            .map(|&step| {
                if big(step.1) {
                    return None;
                }
                let mut s = String::new();
                let _ = block_xml(&mut s, step, &mut |_| Ok(()));
                Some(s)
            })
            .collect();
        for (&step, part) in plan.iter().zip(parts) {
            match part {
                Some(p) => out.write_all(p.as_bytes())?,
                None => {
                    let mut s = String::new();
                    block_xml(&mut s, step, &mut |s: &mut String| {
                        out.write_all(s.as_bytes())?;
                        s.clear();
                        Ok(())
                    })?;
                    out.write_all(s.as_bytes())?;
                }
            }
        }
        Ok::<(), ExportError>(())
    })?;
    out.write_all(format!("{}</w:body></w:document>", sect_pr(landscape)).as_bytes())?;
    Ok(())
}

/// Cells past which a table's XML is written a few rows at a time.
const BIG_TABLE_CELLS: usize = 200_000;

/// Bytes of a large table's XML made before they are written.
const FLUSH_BYTES: usize = 1 << 20;

/// About this many twips per character at the table's 10 pt, plus cell margins.
const TWIPS_PER_CHAR: f64 = 112.0;
const CELL_MARGINS: f64 = 230.0;
/// The narrowest a prose column may become.
const MIN_PROSE: f64 = 2800.0;

/// Most columns a table may have for Word to open the file: it refuses a
/// document with a wider one.
pub const WORD_MAX_COLUMNS: usize = 63;

/// What a column wants and needs across the page, in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Want {
    /// Room for its longest line (up to a limit).
    wanted: f64,
    /// The least it can take.
    least: f64,
    /// Prose, which shares whatever the other columns leave.
    prose: bool,
    /// Text (not figures), which takes any room left over when no prose
    /// column does, so that a figure's column stays as wide as its figures.
    text: bool,
}

/// Longest line a prose column is kept wide enough for, in characters: a
/// list of short lines ("Shared Service 2 → 3") then reads one item a line.
const PROSE_LINE: usize = 40;

/// What column `c` of `t`, under `header`, wants and needs.
fn column_want(t: &ReportTable, c: usize, header: &str) -> Want {
    let chars = |n: usize| n as f64 * TWIPS_PER_CHAR + CELL_MARGINS;
    let col = t.columns.get(c);
    let longest = t
        .rows
        .iter()
        .filter_map(|r| r.cells.get(c))
        .flat_map(|cell| {
            cell.display()
                .lines()
                .map(|l| l.chars().count())
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or(0);
    if col.is_none_or(|col| col.wide) {
        // A prose column of short lines needs its longest line.
        let least = if longest <= PROSE_LINE {
            chars(longest).max(MIN_PROSE)
        } else {
            MIN_PROSE
        };
        return Want {
            wanted: least,
            least,
            prose: true,
            text: true,
        };
    }
    let header_word = header
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let wanted = chars(longest.max(header_word).clamp(3, 34));
    let least = chars(header_word.max(longest.min(8)).clamp(3, 16)).min(wanted);
    Want {
        wanted,
        least,
        prose: false,
        text: col.is_some_and(|col| col.align == super::doc::Align::Left),
    }
}

/// Column widths in twips that fill `total`. Each ordinary column wants room
/// for its longest line (up to a limit) and needs room for the longest word
/// of its header; prose columns share whatever is left.
pub fn column_widths(t: &ReportTable, total: u32) -> Vec<u32> {
    let wants: Vec<Want> = t
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| column_want(t, c, &col.header))
        .collect();
    widths_from(&wants, total)
}

/// [`column_widths`] from each column's want.
fn widths_from(wants: &[Want], total: u32) -> Vec<u32> {
    let total_f = f64::from(total);
    let prose = wants.iter().filter(|w| w.prose).count() as f64;
    let ordinary = || wants.iter().filter(|w| !w.prose);
    let want_sum: f64 = ordinary().map(|w| w.wanted).sum();
    let least_sum: f64 = ordinary().map(|w| w.least).sum();
    let prose_least: f64 = wants.iter().filter(|w| w.prose).map(|w| w.least).sum();
    // Room the ordinary columns may take, leaving prose columns their minimum.
    let room = (total_f - prose_least).max(0.0);
    // Without prose, text columns share the slack (all columns when none is text).
    let text_want: f64 = ordinary().filter(|w| w.text).map(|w| w.wanted).sum();
    let widths: Vec<f64> = wants
        .iter()
        .map(|w| {
            if w.prose {
                0.0
            } else if want_sum <= room {
                if prose > 0.0 {
                    w.wanted
                } else if text_want > 0.0 {
                    if w.text {
                        w.wanted + (total_f - want_sum) * w.wanted / text_want
                    } else {
                        w.wanted
                    }
                } else {
                    // No prose column to absorb the slack: spread it.
                    w.wanted * total_f / want_sum.max(1.0)
                }
            } else if least_sum <= room && want_sum > least_sum {
                w.least + (w.wanted - w.least) * (room - least_sum) / (want_sum - least_sum)
            } else {
                w.least * room / least_sum.max(1.0)
            }
        })
        .collect();
    let used: f64 = widths.iter().sum();
    // Prose columns share what is left.
    let left = (total_f - used).max(0.0);
    let mut widths: Vec<u32> = wants
        .iter()
        .zip(&widths)
        .map(|(w, o)| {
            if w.prose {
                // Each its least and an equal share of the rest, or a
                // share of its least when there is less room.
                let share = if left >= prose_least {
                    w.least + (left - prose_least) / prose
                } else {
                    left * w.least / prose_least
                };
                share.floor() as u32
            } else {
                o.floor() as u32
            }
        })
        .collect();
    if widths.is_empty() {
        return vec![total];
    }
    // Give any rounding remainder to the widest column so the grid fills the width.
    let used: u32 = widths.iter().sum();
    if let Some(widest) = widths.iter_mut().max() {
        *widest += total.saturating_sub(used);
    }
    widths
}

/// The columns of each Word table that shows `t`, whose columns want
/// `wants`: one table when it fits the page at its columns' least widths
/// and has no more than [`WORD_MAX_COLUMNS`]; otherwise consecutive runs of
/// the columns after the row header, each part repeating the columns up to
/// and including the row header (a matrix's rank and option name).
fn word_parts(t: &ReportTable, wants: &[Want], text_width: u32) -> Vec<Vec<usize>> {
    let n = wants.len();
    let least = |c: usize| wants.get(c).map_or(MIN_PROSE, |w| w.least);
    let width = f64::from(text_width);
    let all: f64 = (0..n).map(least).sum();
    let lead = t.row_header.map_or(0, |c| c + 1).min(n);
    if (n <= WORD_MAX_COLUMNS && all <= width) || lead >= n || lead >= WORD_MAX_COLUMNS {
        return vec![(0..n).collect()];
    }
    let room = width - (0..lead).map(least).sum::<f64>();
    let most = WORD_MAX_COLUMNS - lead;
    let mut parts = Vec::new();
    let mut part: Vec<usize> = (0..lead).collect();
    let mut used = 0.0;
    for c in lead..n {
        let w = least(c);
        if part.len() > lead && (part.len() - lead == most || used + w > room) {
            parts.push(std::mem::replace(&mut part, (0..lead).collect()));
            used = 0.0;
        }
        part.push(c);
        used += w;
    }
    parts.push(part);
    // As many parts again, but even: a last part of a few columns stretched
    // across the page reads worse than parts of about the same width.
    let k = parts.len();
    let per = (n - lead).div_ceil(k);
    let even: Vec<Vec<usize>> = (lead..n)
        .collect::<Vec<_>>()
        .chunks(per)
        .map(|chunk| (0..lead).chain(chunk.iter().copied()).collect())
        .collect();
    let fits = |p: &Vec<usize>| {
        p.len() - lead <= most && p.iter().skip(lead).map(|&c| least(c)).sum::<f64>() <= room
    };
    if even.len() == k && even.iter().all(fits) {
        even
    } else {
        parts
    }
}

/// The sentence before a table shown in `parts` Word tables.
fn parts_note(t: &ReportTable, headers: &[String], parts: usize) -> String {
    let n = t.columns.len();
    let why = if n > WORD_MAX_COLUMNS {
        format!("its {n} columns are more than the {WORD_MAX_COLUMNS} a Word table can have")
    } else {
        format!("its {n} columns do not fit across the page at a readable size")
    };
    let lead = t.row_header.map_or(0, |c| c + 1).min(n);
    let repeated: Vec<&str> = headers.iter().take(lead).map(String::as_str).collect();
    let repeated = match repeated.as_slice() {
        [] => String::new(),
        [one] => format!(", each repeating the {one} column"),
        [init @ .., last] => format!(
            ", each repeating the {} and {last} columns",
            init.join(", ")
        ),
    };
    format!("This table is shown in {parts} parts{repeated}: {why}.")
}

/// Adds a table (in parts when it is too wide for one Word table) to `s`,
/// handing `s` to `flush` now and then so a large table need not be held
/// whole.
fn table_xml(
    s: &mut String,
    t: &ReportTable,
    text_width: u32,
    flush: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // A score matrix names its criteria by code, with a key, so its score
    // columns fit the page without breaking words.
    let coded = t.coded_headers();
    let headers: Vec<String> = match &coded {
        Some((headers, _)) => headers.clone(),
        None => t.columns.iter().map(|c| c.header.clone()).collect(),
    };
    let mut notes: Vec<&str> = Vec::with_capacity(t.notes.len() + 1);
    if let Some((_, key)) = &coded {
        notes.push(key);
    }
    notes.extend(t.notes.iter().map(String::as_str));
    let wants: Vec<Want> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| column_want(t, c, h))
        .collect();
    let parts = word_parts(t, &wants, text_width);
    let intro = match (&t.intro, parts.len()) {
        (intro, 1) => intro.clone(),
        (Some(intro), k) => Some(format!("{intro} {}", parts_note(t, &headers, k))),
        (None, k) => Some(parts_note(t, &headers, k)),
    };
    if let Some(intro) = &intro {
        let _ = write!(
            s,
            "<w:p><w:pPr><w:keepNext/></w:pPr>{}</w:p>",
            runs(intro, false, false)
        );
    }
    let count = parts.len();
    for (k, cols) in parts.iter().enumerate() {
        let (title, caption) = if count == 1 {
            (t.title.clone(), t.caption())
        } else {
            let of = format!(" (part {} of {count})", k + 1);
            (format!("{}{of}", t.title), format!("{}{of}", t.caption()))
        };
        caption_xml(s, TABLE_LABEL, t.number, &title, k > 0);
        let part_wants: Vec<Want> = cols.iter().filter_map(|&c| wants.get(c).copied()).collect();
        let widths = widths_from(&part_wants, text_width);
        grid_xml(s, t, cols, &headers, &widths, text_width, &caption, flush)?;
        if k + 1 < count {
            // Word joins two tables that touch; an empty paragraph keeps them apart.
            s.push_str("<w:p><w:pPr><w:pStyle w:val=\"TableNote\"/></w:pPr></w:p>");
        }
    }
    for note in &notes {
        s.push_str(&paragraph(Some("TableNote"), &format!("Note: {note}")));
    }
    if notes.is_empty() {
        // Word joins two tables that touch; an empty paragraph keeps them apart.
        s.push_str("<w:p><w:pPr><w:pStyle w:val=\"TableNote\"/></w:pPr></w:p>");
    }
    Ok(())
}

/// One Word table: the columns `cols` of `t`, headed by `headers` (indexed
/// by `t`'s columns), `widths` wide, with `caption` as its accessible name;
/// `s` goes to `flush` whenever it holds a megabyte.
#[allow(clippy::too_many_arguments)]
fn grid_xml(
    s: &mut String,
    t: &ReportTable,
    cols: &[usize],
    headers: &[String],
    widths: &[u32],
    text_width: u32,
    caption: &str,
    flush: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let border = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>")
    };
    let _ = write!(
        s,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{text_width}\" w:type=\"dxa\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/><w:tblCaption w:val=\"{}\"/></w:tblPr><w:tblGrid>",
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV"),
        xml(caption),
    );
    for w in widths {
        let _ = write!(s, "<w:gridCol w:w=\"{w}\"/>");
    }
    s.push_str("</w:tblGrid>");
    // The header row repeats on every page and never splits.
    s.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (k, &c) in cols.iter().enumerate() {
        let w = widths.get(k).copied().unwrap_or(0);
        let align = t.columns.get(c).map_or(Align::Left, |col| col.align);
        let header = headers.get(c).map_or("", String::as_str);
        cell_xml(s, w, Some("D9D9D9"), align, header, true, false, true);
    }
    s.push_str("</w:tr>");
    for row in &t.rows {
        s.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let (bold, italic, fill) = match row.kind {
            RowKind::Body => (false, false, None),
            RowKind::Total => (true, false, Some("F2F2F2")),
            RowKind::Parameters => (false, true, Some("F2F2F2")),
            RowKind::Heading => (true, false, Some("DEEAF6")),
        };
        for (k, &c) in cols.iter().enumerate() {
            let w = widths.get(k).copied().unwrap_or(0);
            let align = t.columns.get(c).map_or(Align::Left, |col| col.align);
            let text = row
                .cells
                .get(c)
                .map(|cell| cell.display())
                .unwrap_or_default();
            cell_xml(s, w, fill, align, &text, bold, italic, false);
        }
        s.push_str("</w:tr>");
        if s.len() >= FLUSH_BYTES {
            flush(s)?;
        }
    }
    s.push_str("</w:tbl>");
    Ok(())
}

/// A caption paragraph: "Table 5: title", the number as a Word `SEQ` field
/// so that Word renumbers captions when tables are added or moved (F9), and
/// the title as ordinary text an officer can edit. A number the officer set
/// restarts the count there (`\r`), as it does in every other format.
fn caption_xml(
    s: &mut String,
    label: &str,
    number: Option<Numbering>,
    title: &str,
    continued: bool,
) {
    s.push_str("<w:p><w:pPr><w:pStyle w:val=\"Caption\"/></w:pPr>");
    match number {
        Some(n) => {
            // A later part of a table split across several repeats the
            // number before it (`\c`) rather than taking the next.
            let restart = if continued {
                " \\c".to_string()
            } else if n.restart {
                format!(" \\r {}", n.number)
            } else {
                String::new()
            };
            let _ = write!(
                s,
                "<w:r><w:t xml:space=\"preserve\">{label} </w:t></w:r><w:fldSimple w:instr=\" SEQ {label} \\* ARABIC{restart} \"><w:r><w:t>{}</w:t></w:r></w:fldSimple>",
                n.number
            );
            s.push_str("<w:r><w:t xml:space=\"preserve\">: </w:t></w:r>");
            push_runs(s, title, false, false);
        }
        None => push_runs(s, title, false, false),
    }
    s.push_str("</w:p>");
}

#[allow(clippy::too_many_arguments)]
fn cell_xml(
    s: &mut String,
    width: u32,
    fill: Option<&str>,
    align: Align,
    text: &str,
    bold: bool,
    italic: bool,
    header: bool,
) {
    let _ = write!(s, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if let Some(f) = fill {
        let _ = write!(
            s,
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"
        );
    }
    s.push_str(if header {
        "<w:vAlign w:val=\"bottom\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:keepNext/>"
    } else {
        "<w:vAlign w:val=\"top\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>"
    });
    s.push_str(match align {
        Align::Left => "",
        Align::Right => "<w:jc w:val=\"right\"/>",
        Align::Centre => "<w:jc w:val=\"center\"/>",
    });
    s.push_str("</w:pPr>");
    push_runs(s, text, bold, italic);
    s.push_str("</w:p></w:tc>");
}

/// The drawing for chart number `i` (from 1), drawn as `m`.
fn chart_xml(s: &mut String, chart: &Chart, m: &Media, i: usize, text_width: u32) {
    let (w_px, h_px) = std::str::from_utf8(&m.svg)
        .ok()
        .and_then(svg_size)
        .unwrap_or((PRINT_WIDTH, PRINT_WIDTH * 0.6));
    // Fit the chart to the text width, keeping its proportions.
    let cx = u64::from(text_width) * EMU_PER_TWIP;
    let cy = (cx as f64 * h_px / w_px).round() as u64;
    caption_xml(s, FIGURE_LABEL, chart.number, &chart.title, false);
    let title = xml(&chart.title);
    // The alternative text carries the figures, as the SVG's description does.
    let descr = xml(&format!(
        "{} {}",
        chart.description,
        super::svg::values_text(chart)
    ));
    let _ = write!(
        s,
        "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{i}\" name=\"Chart {i}\" title=\"{title}\" descr=\"{descr}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{i}\" name=\"chart{i}.png\" descr=\"{descr}\"/><pic:cNvPicPr><a:picLocks noChangeAspect=\"1\"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdPng{i}\"><a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"rIdSvg{i}\"/></a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    );
}

/// The width and height attributes of an SVG we drew.
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let attr = |name: &str| -> Option<f64> {
        let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + svg.get(start..)?.find('"')?;
        svg.get(start..end)?.parse().ok()
    };
    let (w, h) = (attr("width")?, attr("height")?);
    (w > 0.0 && h > 0.0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{Cell, Column, Row};

    #[test]
    fn widths_fill_the_text_width() {
        let mut t = ReportTable::new(
            "t",
            "T",
            vec![
                Column::text("Criterion"),
                Column::prose("Evaluation"),
                Column::number("Score"),
            ],
        );
        t.rows.push(Row::body(vec![
            Cell::text("Child focused"),
            Cell::text("long text ".repeat(30)),
            Cell::text("5"),
        ]));
        let w = column_widths(&t, 9638);
        assert_eq!(w.iter().sum::<u32>(), 9638);
        assert!(w[1] > w[0] && w[0] > w[2], "{w:?}");
        // The score column keeps room for its header.
        assert!(
            f64::from(w[2]) >= 5.0 * TWIPS_PER_CHAR + CELL_MARGINS,
            "{w:?}"
        );
        // Without a prose column the ordinary columns stretch to fill the width.
        t.columns[1] = Column::text("Evaluation");
        let w = column_widths(&t, 9638);
        assert_eq!(w.iter().sum::<u32>(), 9638);
    }

    #[test]
    fn figures_keep_their_width_and_short_prose_lines_do_not_wrap() {
        let chars = |n: usize| n as f64 * TWIPS_PER_CHAR + CELL_MARGINS;
        // An annex part without prose: the criterion takes the slack, the
        // score columns stay as wide as their headers and figures.
        let mut t = ReportTable::new(
            "t",
            "T",
            vec![
                Column::text("Criterion"),
                Column::number("Score"),
                Column::number("Weighted score"),
            ],
        );
        t.rows.push(Row::body(vec![
            Cell::text("Change in real value, April 2020 to April 2024"),
            Cell::text("3.76"),
            Cell::text("0"),
        ]));
        let w = column_widths(&t, 9638);
        assert_eq!(w.iter().sum::<u32>(), 9638);
        assert!(f64::from(w[1]) < chars(7), "{w:?}");
        assert!(f64::from(w[2]) < chars(10), "{w:?}");
        // A list of moves ("Community Interest Company 2 → 3") keeps each
        // move on one line beside two text columns that can wrap.
        let mut t = ReportTable::new(
            "t",
            "T",
            vec![
                Column::text("Criterion left out"),
                Column::text("First"),
                Column::prose("Options whose rank changes"),
            ],
        );
        let longest = "Wholly owned company (Trust) 4 → 3";
        t.rows.push(Row::body(vec![
            Cell::text("Political oversight and governance arrangements"),
            Cell::text("Peer Practice Partner"),
            Cell::text(format!("{longest}\nCommunity Interest Company 2 → 3")),
        ]));
        let w = column_widths(&t, 9638);
        assert_eq!(w.iter().sum::<u32>(), 9638);
        assert!(f64::from(w[2]) >= chars(longest.chars().count()), "{w:?}");
    }

    #[test]
    fn a_table_written_in_pieces_is_the_table_written_whole() {
        let mut t = ReportTable::new(
            "t",
            "T",
            vec![Column::text("Option"), Column::prose("Note")],
        );
        for i in 0..4_000 {
            t.rows.push(Row::body(vec![
                Cell::text(format!("Option {i}")),
                Cell::text("a note of some length & <markup> ".repeat(4)),
            ]));
        }
        let mut whole = String::new();
        table_xml(&mut whole, &t, 9638, &mut |_| Ok(())).unwrap();
        assert!(whole.len() > 2 * FLUSH_BYTES, "{}", whole.len());
        let mut pieces = String::new();
        let mut flushes = 0;
        let mut s = String::new();
        table_xml(&mut s, &t, 9638, &mut |s: &mut String| {
            pieces.push_str(s);
            s.clear();
            flushes += 1;
            Ok(())
        })
        .unwrap();
        pieces.push_str(&s);
        assert!(flushes >= 2, "{flushes}");
        assert_eq!(pieces, whole);
    }

    #[test]
    fn runs_escape_and_break_lines() {
        let r = runs("a<b>\nc & d", true, false);
        assert_eq!(
            r,
            "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">a&lt;b&gt;</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:br/><w:t xml:space=\"preserve\">c &amp; d</w:t></w:r>"
        );
    }

    #[test]
    fn svg_size_reads_our_attributes() {
        assert_eq!(
            svg_size("<svg xmlns=\"x\" width=\"760\" height=\"321.5\">"),
            Some((760.0, 321.5))
        );
        assert_eq!(svg_size("<svg>"), None);
    }
}
