//! `appraise sensitivity FILE [--samples N] [--seed S] [--threads T] [--weight-spread P] [--score-spread D] [--order O] [--share C=LO..HI] [--fix C=S] [--hierarchy level|flat] [--format table|json]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use appraise::sensitivity::{self, SmaaConfig, WeightConstraints, WeightModel, output};
use appraise::{export, sanitise, terminal};
use clap::ValueEnum;

use super::{load_or_example, print_warnings, stdout_style};

/// Arguments for `sensitivity`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    appraise sensitivity                             the bundled example\n  \
    appraise sensitivity review.toml\n  \
    appraise sensitivity review.toml --weight-spread 20 --score-spread 1\n  \
    appraise sensitivity review.toml --samples 100000 --seed 7 --format json > sensitivity.json\n  \
    appraise sensitivity --order \"child>rest\"      if the panel agrees only that child matters most\n  \
    appraise sensitivity --order \"child>workforce>rest\" --share risk=10%..30% --fix cost=20%\n\n\
    Criteria are named by id or name. --order, --share and --fix may be given more than once;\n\
    the Monte Carlo then samples only the weightings that meet all of them, and those the\n\
    file records under [agreed_weights] (add --record to record them there).\n\
    With criteria groups, --hierarchy level (the default) draws each group's share, then each\n\
    criterion's share within its group; --hierarchy flat draws the criteria's shares directly.\n\
    The same seed and sample count give the same numbers whatever --threads is.")]
pub struct Args {
    /// Appraisal file (default: the bundled example).
    pub file: Option<PathBuf>,
    /// Monte Carlo samples (1 to 1,000,000,000).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub samples: u64,
    /// Seed for the random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=super::MAX_THREADS as u64))]
    pub threads: Option<u64>,
    /// Vary each weight within plus or minus P% of its value, instead of over every possible weighting.
    #[arg(long, value_name = "P", value_parser = parse_percent)]
    pub weight_spread: Option<f64>,
    /// Vary every score uniformly within plus or minus D scale steps, clamped to the scale.
    #[arg(long, value_name = "D", default_value_t = 0.0, value_parser = parse_steps)]
    pub score_spread: f64,
    /// What the panel agrees on: an order of importance, most important first ("child>workforce>rest"; commas join criteria of equal standing; rest is every weighted criterion not named).
    #[arg(long, value_name = "ORDER")]
    pub order: Vec<String>,
    /// What the panel agrees on: bounds on a criterion's share of the weight ("risk=10%..30%", "risk=..30%").
    #[arg(long, value_name = "C=LO..HI")]
    pub share: Vec<String>,
    /// What the panel agrees on: a criterion's share fixed ("cost=20%").
    #[arg(long, value_name = "C=S")]
    pub fix: Vec<String>,
    /// Leave out what the file records under [agreed_weights].
    #[arg(long)]
    pub ignore_agreed: bool,
    /// Record --order, --share and --fix in the file's [agreed_weights] (replacing what it records; none of them clears it), keeping the rest of the file as it is.
    #[arg(long, conflicts_with = "ignore_agreed")]
    pub record: bool,
    /// With criteria groups, how the Monte Carlo draws weightings: "level" (uniform shares at each level of the groups; the default) or "flat" (uniform over the criteria's effective weights, the groups set aside; the default with --order, --share, --fix or --weight-spread).
    #[arg(long, value_enum, value_name = "H")]
    pub hierarchy: Option<HierarchyArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `--hierarchy` values.
#[derive(Clone, Copy, ValueEnum)]
pub enum HierarchyArg {
    /// Uniform shares at each level: each group's share, then each criterion's share within its group.
    Level,
    /// Uniform over the criteria's effective weights, as if there were no groups.
    Flat,
}

/// Output formats for `sensitivity`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Statements and tables for the terminal.
    Table,
    /// The full results as JSON (schema in docs/methods.md).
    Json,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{s} is not a percentage from 0 to 100"))
    }
}

fn parse_steps(s: &str) -> Result<f64, String> {
    let d: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if d.is_finite() && (0.0..=10_000.0).contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "{s} is not a number of scale steps from 0 to 10000"
        ))
    }
}

/// Runs every sensitivity analysis and prints the results.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = match load_or_example(args.file.as_deref()) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let config = SmaaConfig {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        weights: match args.weight_spread {
            None => WeightModel::Uniform,
            Some(percent) => WeightModel::Spread { percent },
        },
        score_spread: args.score_spread,
    };
    // The shortlist at effective weights, every score as points on one scale.
    let appraisal = loaded.appraisal.for_analysis();
    let a = &appraisal;
    if args.record {
        return record(&args, &loaded);
    }
    let mut constraints = if args.ignore_agreed {
        WeightConstraints::new()
    } else {
        // Checked when the file was loaded, so this reads.
        WeightConstraints::agreed(a, loaded.appraisal.agreed_weights())
            .map_err(|(_, e)| anyhow::anyhow!("[agreed_weights]: {e}"))?
    };
    for text in &args.order {
        constraints.parse_order(a, text).context("--order")?;
    }
    for text in &args.share {
        constraints.parse_share(a, text).context("--share")?;
    }
    for text in &args.fix {
        constraints.parse_fixed(a, text).context("--fix")?;
    }
    // A million samples on a large appraisal take a while: show how far it is.
    let bar = super::progress::counted(config.samples, "Monte Carlo", "samples");
    let hierarchy = args.hierarchy.map(|h| match h {
        HierarchyArg::Level => sensitivity::Hierarchy::Level,
        HierarchyArg::Flat => sensitivity::Hierarchy::Flat,
    });
    let result = sensitivity::analyse_written(
        &loaded.appraisal,
        a,
        &config,
        &constraints,
        hierarchy,
        &|p| {
            bar.set_length(p.total);
            bar.set_position(p.done);
        },
    );
    bar.finish_and_clear();
    let result = result?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            print_warnings(&loaded);
            let report = export::sensitivity::terminal_report(&appraisal, &result);
            terminal::write_report(&mut out, &report, stdout_style(), true)?;
        }
        Format::Json => {
            let doc = output::document(&appraisal, &result);
            serde_json::to_writer_pretty(&mut out, &doc).context("writing JSON")?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--record`: writes the flags' constraints into the file's
/// `[agreed_weights]`, after checking that they read and that the file
/// still loads with them.
fn record(args: &Args, loaded: &appraise::Loaded) -> anyhow::Result<ExitCode> {
    let Some(path) = args.file.as_deref() else {
        anyhow::bail!("--record writes to an appraisal file: name the file");
    };
    let agreed = appraise::model::AgreedWeights {
        order: args.order.clone(),
        share: args.share.clone(),
        fixed: args.fix.clone(),
    };
    let analysed = loaded.appraisal.for_analysis();
    WeightConstraints::agreed(&analysed, &agreed).map_err(|(entry, e)| {
        let flag = match entry {
            sensitivity::AgreedEntry::Order(_) => "--order",
            sensitivity::AgreedEntry::Share(_) => "--share",
            sensitivity::AgreedEntry::Fixed(_) => "--fix",
        };
        anyhow::anyhow!("{flag}: {e}")
    })?;
    let original =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let text = appraise::document::set_agreed_weights(&original, &agreed)?;
    if let Err(e) = appraise::load_str(&path.display().to_string(), &text) {
        anyhow::bail!(
            "the file would not load with the agreed weights recorded, so nothing was written:\n{}",
            e.render(false)
        );
    }
    appraise::atomic::write(path, text.as_bytes())?;
    let what = if agreed.is_empty() {
        "cleared the agreed weights in".to_string()
    } else {
        let n = agreed.order.len() + agreed.share.len() + agreed.fixed.len();
        format!(
            "recorded {} under [agreed_weights] in",
            appraise::numbers::count(n as f64, "constraint", "constraints")
        )
    };
    eprintln!("{what} {}", sanitise::sanitise(&path.display().to_string()));
    Ok(ExitCode::SUCCESS)
}
