//! `appraise import FILE [--sheet NAME] [--out review.toml]`: a score matrix
//! from a spreadsheet, shown as found, then written as a commented appraisal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use appraise::atomic::WriteError;
use appraise::import::layout::Orientation;
use appraise::import::{self, ImportError, Question, Settings};
use appraise::load;

use super::{EXIT_FAILURE, print_warnings, write_stdout};

/// Arguments for `import`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise import scores.xlsx                       writes scores.toml beside it\n  \
    appraise import review.ods --sheet Matrix --out review.toml\n  \
    appraise import matrix.csv --options columns --scale 1-10\n  \
    appraise import matrix.csv --delimiter ';'        fields separated by semicolons\n  \
    appraise import scores.xlsx --dry-run             show what was found, write nothing\n  \
    appraise import report.docx --sheet \"Table 3\"     the scoring table of a Word report\n\n\
    The layout found (options as rows or columns, the criteria, weights, totals and\n\
    notes) is shown before anything is written. A workbook written by `appraise export\n\
    --format xlsx` gives back its ids, details and notes. Totals become each option's\n\
    published_total, so `appraise check` compares them with the scores. Nothing is\n\
    written while any cell has a problem. docs/importing.md has the details.")]
pub struct Args {
    /// The spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv, or a Word document
    /// (.docx) whose tables are read as sheets named "Table 1", "Table 2", ...
    pub file: PathBuf,
    /// The sheet holding the score matrix (needed when several do); for a
    /// Word document, "Table N".
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Where to write the appraisal (default: FILE with .toml, beside it;
    /// `-` for standard output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Whether the options are the rows or the columns (needed when nothing
    /// in the sheet says).
    #[arg(long, value_enum, value_name = "rows|columns")]
    pub options: Option<OptionsAre>,
    /// The scale as MIN-MAX or MIN-MAX/STEP (such as 0-5 or 1-10/0.5),
    /// instead of inferring it from the scores.
    #[arg(long, value_name = "MIN-MAX[/STEP]", value_parser = parse_scale)]
    pub scale: Option<(f64, f64, f64)>,
    /// How a CSV file separates its fields: `,`, `;`, `tab` or another
    /// single character (default: found from the file, which works for the
    /// comma, the semicolon and the tab).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The appraisal's title (default: the text above the matrix).
    #[arg(long)]
    pub title: Option<String>,
    /// Show what was found and the file that would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Which edge of the matrix holds the options.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OptionsAre {
    /// One row per option.
    Rows,
    /// One column per option.
    Columns,
}

fn parse_scale(s: &str) -> Result<(f64, f64, f64), String> {
    let (range, step) = match s.split_once('/') {
        Some((r, st)) => (
            r,
            st.trim().parse::<f64>().map_err(|e| format!("step: {e}"))?,
        ),
        None => (s, 1.0),
    };
    // A leading minus belongs to the minimum: "-2-2" is -2 to 2.
    let cut = range
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '-')
        .map(|(i, _)| i)
        .ok_or_else(|| "write the scale as MIN-MAX, such as 0-5".to_string())?;
    let min = range[..cut]
        .trim()
        .parse::<f64>()
        .map_err(|e| format!("min: {e}"))?;
    let max = range[cut + 1..]
        .trim()
        .parse::<f64>()
        .map_err(|e| format!("max: {e}"))?;
    Ok((min, max, step))
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b'"' && *b != b'\n' => {
                Ok(*b)
            }
            _ => Err("give one character, such as ';' or ',', or the word tab".into()),
        },
    }
}

/// Asks a question on the terminal; `None` when the answer is no use.
fn ask(prompt: &str) -> Option<String> {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{prompt} ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    Some(line.trim().to_string())
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Settles a question by asking; false when it cannot be.
fn settle(question: &Question, settings: &mut Settings) -> bool {
    match question {
        Question::Sheet { candidates } => {
            eprintln!("More than one sheet holds a score matrix:");
            for (i, c) in candidates.iter().enumerate() {
                eprintln!("  {}. {c}", i + 1);
            }
            let Some(answer) = ask(&format!("Which one? [1-{}]", candidates.len())) else {
                return false;
            };
            match answer.parse::<usize>() {
                Ok(k) if (1..=candidates.len()).contains(&k) => {
                    settings.sheet = Some(candidates[k - 1].clone());
                    true
                }
                _ => false,
            }
        }
        Question::Orientation {
            sheet,
            rows,
            columns,
            ..
        } => {
            eprintln!("On sheet \"{sheet}\":");
            eprintln!("  the rows are named {}", rows.join(", "));
            eprintln!("  the columns are named {}", columns.join(", "));
            let Some(answer) = ask("Are the options the rows or the columns? [r/c]") else {
                return false;
            };
            settings.orientation = match answer.to_lowercase().as_str() {
                "r" | "rows" | "row" => Some(Orientation::OptionsAsRows),
                "c" | "columns" | "column" | "cols" => Some(Orientation::OptionsAsColumns),
                _ => return false,
            };
            true
        }
    }
}

/// Runs `import`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut settings = Settings {
        sheet: args.sheet.clone(),
        orientation: args.options.map(|o| match o {
            OptionsAre::Rows => Orientation::OptionsAsRows,
            OptionsAre::Columns => Orientation::OptionsAsColumns,
        }),
        scale: args.scale,
        title: args.title.clone(),
    };
    let bar = super::progress::spinner(format!("reading {}", args.file.display()));
    let book = import::read_file_with(&args.file, args.delimiter);
    bar.finish_and_clear();
    let book = match book {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let file = args.file.display().to_string();
    let draft = loop {
        match import::find(&file, &book, &settings, &args.file) {
            Ok(d) => break d,
            Err(ImportError::Ambiguous { question, .. })
                if interactive() && settle(&question, &mut settings) => {}
            Err(e @ ImportError::Ambiguous { .. }) => {
                eprintln!("error: {e}; nothing was written");
                return Ok(ExitCode::from(2));
            }
            Err(ImportError::Problems { file, problems }) => {
                let mut err = std::io::stderr().lock();
                for p in &problems {
                    let _ = writeln!(err, "error: {file}: {}: {}", p.place, p.message);
                    let _ = writeln!(err, "  help: {}", p.help);
                }
                let _ = writeln!(
                    err,
                    "{file}: {} found; nothing was written",
                    appraise::numbers::count(problems.len() as f64, "problem", "problems")
                );
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        }
    };
    {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "Found in {file}, sheet \"{}\":", draft.sheet);
        for line in &draft.found {
            let _ = writeln!(err, "  {line}");
        }
        let (min, max, step) = draft.scale;
        let _ = writeln!(
            err,
            "  scale: {} to {} in steps of {}{}",
            appraise::numbers::score(min),
            appraise::numbers::score(max),
            appraise::numbers::score(step),
            match draft.scale_source {
                import::ScaleSource::Inferred { .. } =>
                    ", inferred from the scores: check it (or give --scale)",
                import::ScaleSource::Default => ", assumed (no scores): check it",
                import::ScaleSource::Given => ", as given",
                import::ScaleSource::Headed =>
                    ", from the criterion headings (the step from the scores)",
                import::ScaleSource::Read => ", from the workbook",
            }
        );
    }
    let text = match import::write::to_toml(&draft) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.file.with_extension("toml"));
    if args.dry_run || out == Path::new("-") {
        if args.dry_run {
            eprintln!("(a dry run: nothing was written)");
        }
        return write_stdout(text.as_bytes());
    }
    match super::write_file(&out, text.as_bytes(), args.force) {
        Ok(()) => {}
        Err(WriteError::Exists { path }) => {
            eprintln!(
                "error: {} already exists, so nothing was written; choose another name with --out, or replace it with --force",
                path.display()
            );
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
        Err(e) => {
            eprintln!("error: {e}; nothing was written");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    }
    // The first check: totals that differ from the scores are flagged now.
    if let Ok(loaded) = load::load_str(&out.display().to_string(), &text) {
        print_warnings(&loaded);
    }
    eprintln!(
        "wrote {} with {} criteria and {} options; next: `appraise check {}`",
        out.display(),
        draft.criteria.len(),
        draft.options.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
