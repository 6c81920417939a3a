//! PNG copies of the SVG charts, for the Word document and `--format png`.
//!
//! Word 2016 and later show SVG pictures but require a PNG beside them for
//! older readers, and LibreOffice uses the PNG; see `docs/exporting.md`.
//! Rendering uses resvg with only the bundled DejaVu Sans fonts, never the
//! system's, so the same chart gives the same pixels on every machine, and it
//! refuses every external image reference.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, ImageHrefResolver, fontdb};

use super::ExportError;

/// The bundled fonts, loaded once.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// The characters of `text` that the bundled font has no glyph for, in the
/// order first met, each once. They come out as empty boxes in the PNG
/// pictures (the SVG charts leave them to the reader's fonts, and the
/// tables show them as typed), so an export that draws PNGs says so.
pub fn undrawable(text: &str) -> Vec<char> {
    use skrifa::MetadataProvider;
    static MAP: OnceLock<Option<Vec<(u32, u32)>>> = OnceLock::new();
    // The font's characters as sorted ranges, read once.
    let ranges = MAP.get_or_init(|| {
        let font = skrifa::FontRef::new(dejavu::sans::regular()).ok()?;
        let mut out: Vec<(u32, u32)> = Vec::new();
        for (ch, _) in font.charmap().mappings() {
            match out.last_mut() {
                Some((_, hi)) if *hi + 1 == ch => *hi = ch,
                _ => out.push((ch, ch)),
            }
        }
        Some(out)
    });
    let Some(ranges) = ranges else {
        return Vec::new();
    };
    let covered = |c: char| {
        let c = u32::from(c);
        let i = ranges.partition_point(|&(lo, _)| lo <= c);
        i > 0 && ranges[i - 1].1 >= c
    };
    let mut out = Vec::new();
    for c in text.chars() {
        // Spaces, controls and joiners draw nothing in any font.
        if c.is_whitespace() || c.is_control() || matches!(c, '\u{200d}' | '\u{fe0f}') {
            continue;
        }
        if !covered(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The characters of the names a chart can show (the title, options,
/// criteria and their groups) that the PNG pictures cannot draw.
pub fn undrawable_in(a: &crate::model::Appraisal) -> Vec<char> {
    let mut text = a.meta.title.clone();
    for name in a
        .options()
        .iter()
        .map(|o| o.name())
        .chain(a.criteria().iter().map(|c| c.name()))
        .chain(a.groups().iter().map(|g| g.name()))
    {
        text.push(' ');
        text.push_str(name);
    }
    undrawable(&text)
}

/// How much larger than its SVG size a chart is drawn as a PNG: 1520 pixels
/// wide, sharp in print and on high-density screens.
pub const CHART_SCALE: f32 = 2.0;

/// Writes a chart as a PNG picture ([`CHART_SCALE`] times its SVG size).
pub fn write_chart(chart: &super::Chart, out: &mut impl std::io::Write) -> Result<(), ExportError> {
    let png = svg_to_png(&super::svg::chart_svg(chart), CHART_SCALE)?;
    out.write_all(&png)?;
    Ok(())
}

/// Renders SVG text to PNG bytes at `scale` times its own size.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    let opt = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fonts(),
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ExportError::Chart(Box::new(e)))?;
    let size = tree.size();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let w = (size.width() * scale).ceil().clamp(1.0, 8192.0) as u32;
    let h = (size.height() * scale).ceil().clamp(1.0, 8192.0) as u32;
    let mut pixmap = Pixmap::new(w, h).ok_or(ExportError::ChartSize {
        width: w,
        height: h,
    })?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Chart(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_the_bundled_font_cannot_draw_are_named_once() {
        assert_eq!(
            undrawable("Peer Practice Partner £5m → 10% • Ωmega Привет"),
            Vec::<char>::new()
        );
        assert_eq!(undrawable("Hub 🚀 日本語 🚀"), vec!['🚀', '日', '本', '語']);
        assert_eq!(undrawable("👍\u{fe0f} a\u{200d}b"), vec!['👍']);
    }

    #[test]
    fn renders_text_with_the_bundled_font() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">\
                   <text x=\"2\" y=\"15\" font-family=\"Nonexistent\" font-size=\"14\">Ab</text></svg>";
        let png = svg_to_png(svg, 1.0).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let blank = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"></svg>";
        assert_ne!(png, svg_to_png(blank, 1.0).unwrap(), "the text was drawn");
        assert_eq!(
            png,
            svg_to_png(svg, 1.0).unwrap(),
            "rendering is repeatable"
        );
    }

    #[test]
    fn external_images_are_not_loaded() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">\
                   <image href=\"/etc/passwd\" width=\"10\" height=\"10\"/></svg>";
        assert!(svg_to_png(svg, 1.0).is_ok());
        assert!(svg_to_png("not svg", 1.0).is_err());
    }
}
