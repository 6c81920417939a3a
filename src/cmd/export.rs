//! `appraise export FILE --format FORMAT [--out PATH] [--tables LIST] [--excel]`

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use appraise::export::{self, CaptionSetting, ExportError, ExportOptions, Format, Selection};
use clap::ValueEnum;

use super::{EXIT_FAILURE, load_or_example, print_warnings};

/// Score cells from which an export shows a spinner on a terminal.
const LARGE_EXPORT_CELLS: usize = 50_000;

/// Exit status for a usage mistake, matching clap's own.
const EXIT_USAGE: u8 = 2;

/// Arguments for `export`.
#[derive(clap::Args)]
#[command(after_help = "Tables (--tables, comma-separated; default all):\n  \
    criteria     criteria, weights, shares and descriptions\n  \
    options      options by group, with descriptions\n  \
    summary      strengths, weaknesses and score of each option\n  \
    ranking      rank, total and percent, with the totals chart\n  \
    matrix       the score matrix with weights, totals and ranks\n  \
    sensitivity  key findings, weight stability with a chart per criterion,\n               \
    score robustness, leave one criterion out; with --samples, rank\n               \
    acceptability under any weighting with a stacked bar chart\n  \
    annex        one table per option: criterion, evaluation, score, TOTAL\n  \
    One table or chart can also be named by its key, such as annex-shared-service\n  \
    or chart-totals; a misspelt name lists every key.\n\n\
    Examples:\n  \
    appraise export review.toml --format md > report.md\n  \
    appraise export review.toml --format html --out report.html\n  \
    appraise export review.toml --format docx --out report.docx\n  \
    appraise export review.toml --format xlsx --out scores.xlsx\n  \
    appraise export review.toml --format csv --tables ranking --excel --out ranking.csv\n  \
    appraise export review.toml --format csv --out tables/      (one file per table)\n  \
    appraise export review.toml --format svg --out charts/      (one file per chart)\n  \
    appraise export review.toml --format png --out charts/      (the same as PNG pictures)\n  \
    appraise export review.toml --format json > review.json\n  \
    appraise export review.toml --format html --samples 100000 --out report.html\n\n\
    Text formats (md, html, csv, json, svg) go to standard output when --out is not given;\n\
    xlsx, docx and png need --out (or --out - into a pipe). See docs/exporting.md.")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum)]
    pub format: FormatArg,
    /// Where to write: a file, `-` for standard output, or a folder (an
    /// existing one, or a path ending in `/`) to get one file per table (csv)
    /// or chart (svg, png).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Which tables to include, comma-separated (see below).
    #[arg(long, value_name = "LIST", default_value = "all")]
    pub tables: String,
    /// Start CSV files with a byte order mark so Excel reads £, accented
    /// letters and symbols correctly (the default; kept for old scripts).
    #[arg(long, conflicts_with = "no_bom")]
    pub excel: bool,
    /// Leave the byte order mark out of CSV files, for tools that do not expect one.
    #[arg(long)]
    pub no_bom: bool,
    /// Set a caption's number and/or title: KEY=NUMBER:TITLE, KEY=NUMBER or
    /// KEY=TITLE (repeatable). Numbering goes on from a number set this way.
    #[arg(long, value_name = "KEY=N:TITLE")]
    pub caption: Vec<String>,
    /// Run a Monte Carlo analysis with N random weightings and add rank
    /// acceptability to the sensitivity section (as `appraise sensitivity`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub samples: Option<u64>,
    /// Seed for the Monte Carlo analysis; the same seed gives the same figures.
    #[arg(long, value_name = "S", default_value_t = export::DEFAULT_SEED)]
    pub seed: u64,
}

/// The formats on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Markdown with pipe tables.
    Md,
    /// One self-contained HTML page with charts.
    Html,
    /// CSV, one table per file.
    Csv,
    /// Excel workbook, one sheet per table, live totals in the matrix.
    Xlsx,
    /// Word document with tables and charts.
    Docx,
    /// Everything in one JSON document.
    Json,
    /// SVG charts, one per file.
    Svg,
    /// PNG pictures of the charts, one per file.
    Png,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Docx => Format::Docx,
            FormatArg::Json => Format::Json,
            FormatArg::Svg => Format::Svg,
            FormatArg::Png => Format::Png,
        }
    }
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Exit code for an export error: naming mistakes are usage errors.
fn report_error(e: &ExportError) -> ExitCode {
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        appraise::sanitise::sanitise(&e.to_string())
    );
    match e {
        ExportError::EmptySelection
        | ExportError::BadCaption { .. }
        | ExportError::UnknownTable { .. }
        | ExportError::NeedsSamples { .. }
        | ExportError::NeedsOneItem { .. }
        | ExportError::NothingToWrite { .. } => ExitCode::from(EXIT_USAGE),
        _ => ExitCode::from(EXIT_FAILURE),
    }
}

/// Says which characters of the names the PNG pictures of the charts cannot
/// draw (emoji, scripts the bundled font lacks), since they come out there as
/// empty boxes.
fn warn_undrawable(appraisal: &appraise::model::Appraisal, format: Format) {
    let missing = appraise::export::png::undrawable_in(appraisal);
    if missing.is_empty() {
        return;
    }
    let shown: String = missing
        .iter()
        .take(12)
        .collect::<Vec<_>>()
        .iter()
        .map(|c| format!("{c} "))
        .collect();
    let more = missing.len().saturating_sub(12);
    let where_ = if format == Format::Docx {
        "the chart pictures LibreOffice and Word before 2016 show (Word 2016 and later draw the charts with your own fonts)"
    } else {
        "the PNG pictures"
    };
    let _ = writeln!(
        std::io::stderr(),
        "warning: {where_} cannot draw {}{}: the bundled font has no such characters, so they show as empty boxes; the tables and the SVG charts show them as typed",
        appraise::sanitise::sanitise(shown.trim_end()),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
}

/// Exports the appraisal.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = Format::from(args.format);
    if (args.excel || args.no_bom) && format != Format::Csv {
        return Ok(usage(format!(
            "{} applies only to --format csv",
            if args.excel { "--excel" } else { "--no-bom" }
        )));
    }
    let mut captions = Vec::new();
    for c in &args.caption {
        match CaptionSetting::parse(c) {
            Ok(c) => captions.push(c),
            Err(e) => return Ok(report_error(&e)),
        }
    }
    let tables = match Selection::parse(&args.tables) {
        Ok(t) => t,
        Err(e) => return Ok(report_error(&e)),
    };
    // `--out -` is standard output, as for most command-line tools; a binary
    // format may go there only when it is not a terminal.
    let named_stdout = args.out.as_deref().is_some_and(export::save::is_stdout);
    let out_path = args.out.clone().filter(|_| !named_stdout);
    if out_path.is_none()
        && format.is_binary()
        && (!named_stdout || std::io::stdout().is_terminal())
    {
        return Ok(usage(format!(
            "{format} is a binary format and cannot go to the terminal; give a file with --out, for example --out report.{}",
            format.extension()
        )));
    }
    let loaded = match load_or_example(args.file.as_deref()) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    print_warnings(&loaded);
    // The file's text and the map into it are needed only for the warnings:
    // let them go before the export, which for a large file is most of the
    // memory it takes (80 MB for 10,000 options of 100 criteria with notes).
    let appraisal = &loaded.appraisal;
    drop(loaded.source);
    drop(loaded.map);
    if matches!(format, Format::Png | Format::Docx) {
        warn_undrawable(appraisal, format);
    }
    let results = appraise::compute(appraisal);
    let options = ExportOptions {
        tables,
        excel_bom: !args.no_bom,
        captions,
        samples: args.samples,
        seed: args.seed,
    };
    // A large appraisal or a Monte Carlo run takes a while to export: say so
    // on a terminal (a spinner, since a writer cannot count its steps).
    let cells = appraisal.options().len() * appraisal.criteria().len();
    let bar = if cells >= LARGE_EXPORT_CELLS || args.samples.is_some() {
        super::progress::spinner(format!("exporting {format}"))
    } else {
        indicatif::ProgressBar::hidden()
    };
    let Some(out) = out_path else {
        let mut buf = Vec::new();
        let exported = export::export(appraisal, &results, &options, format, &mut buf);
        bar.finish_and_clear();
        if let Err(e) = exported {
            return Ok(report_error(&e));
        }
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(&buf).and_then(|()| stdout.flush()) {
            // A reader that stopped early (`| head`) is not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.context("writing to standard output")?,
        }
        return Ok(ExitCode::SUCCESS);
    };
    let stem = args.file.as_deref().and_then(Path::file_stem).map_or_else(
        || "children-services-ama-2017".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let folder = export::save::is_folder(&out);
    let saved = export::save(appraisal, &results, &options, format, &out, &stem);
    bar.finish_and_clear();
    let written = match saved {
        Ok(w) => w,
        Err(e) => return Ok(report_error(&e)),
    };
    let mut err = std::io::stderr().lock();
    if folder {
        let _ = writeln!(
            err,
            "wrote {} {} to {}",
            written.len(),
            if written.len() == 1 { "file" } else { "files" },
            appraise::sanitise::shown(&out)
        );
    } else {
        let _ = writeln!(err, "wrote {}", appraise::sanitise::shown(&out));
    }
    Ok(ExitCode::SUCCESS)
}
