//! The command line, validated but not yet acted on (ripgrep's two stages): flags into [`Args`],
//! reading flags into the core's reading options — every option's text parsed by the core's own
//! parsers (`FromStr`), never a second time here.

use std::path::PathBuf;

use lexopt::ValueExt;
use overlap::csv_out::Flavour;
use overlap::ingest;
use overlap::protocol::Settings;

use crate::Result;

/// Where `--issues` writes the row notices, and in which flavour (`--csv-for`).
pub(crate) struct Issues {
    pub(crate) path: PathBuf,
    pub(crate) flavour: Flavour,
}

/// Options of the commands, validated but not yet acted on (ripgrep's two stages).
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) csv: Option<PathBuf>,
    pub(crate) out: Option<PathBuf>,
    pub(crate) partner: Option<PathBuf>,
    pub(crate) offer: Option<PathBuf>,
    pub(crate) reply: Option<PathBuf>,
    pub(crate) confirm: Option<PathBuf>,
    pub(crate) fields_msg: Option<PathBuf>,
    pub(crate) state: Option<PathBuf>,
    pub(crate) report: Option<PathBuf>,
    pub(crate) matrix: Option<PathBuf>,
    pub(crate) secret_file: Option<PathBuf>,
    pub(crate) issues: Option<Issues>,
    /// How the CSV files are written (`--csv-for`).
    pub(crate) csv_for: Flavour,
    pub(crate) settings: Settings,
    /// The reading options as given (`--column …`), kept verbatim in the state so that `finish`
    /// reads the CSV exactly as `offer`/`reply` did.
    pub(crate) reading: Vec<String>,
    /// The co-selling plan's options (`--plan`, `--ranked`, `--shape`…).
    pub(crate) plan: PlanArgs,
    /// `--sharing co-sell`: fields, with the owner and deal-stage columns the file has.
    pub(crate) co_sell: bool,
}

/// What `plan` (and `finish`) write of the co-selling plan.
#[derive(Default)]
pub(crate) struct PlanArgs {
    /// The plan as CSV (`--plan FILE`).
    pub(crate) plan: Option<PathBuf>,
    /// Every overlapping account ranked, as CSV (`--ranked FILE`).
    pub(crate) ranked: Option<PathBuf>,
    /// The partner's plan message to read (`--partner-plan FILE`).
    pub(crate) partner_plan: Option<PathBuf>,
    /// Accounts to suggest (`--plan-size N`, default 12).
    pub(crate) size: Option<usize>,
    /// Rule-table edits (`--shape MINE×THEIRS=SHAPE[/LEAD]`), checked when given.
    pub(crate) table: overlap::plan::RuleTable,
    /// The day recency counts from (`--today YYYY-MM-DD`), in days since 1970-01-01.
    pub(crate) today: Option<i64>,
    /// Also suggest name + city matches (`--likely`).
    pub(crate) likely: bool,
}

impl Args {
    pub(crate) fn parse(mut p: lexopt::Parser) -> Result<Args> {
        use lexopt::Arg::*;
        let mut a = Args::default();
        let path = |p: &mut lexopt::Parser| p.value().map(PathBuf::from).map_err(|e| e.to_string());
        let text = |p: &mut lexopt::Parser, flag: &str| -> Result<String> {
            p.value().map_err(|e| e.to_string())?.string().map_err(|_| format!("{flag} must be UTF-8"))
        };
        let number = |p: &mut lexopt::Parser, flag: &str| -> Result<u64> {
            p.value().map_err(|e| e.to_string())?.parse::<u64>().map_err(|_| format!("{flag} expects a number"))
        };
        while let Some(arg) = p.next().map_err(|e| e.to_string())? {
            match arg {
                Long("csv") => a.csv = Some(path(&mut p)?),
                Long("out") => a.out = Some(path(&mut p)?),
                Long("partner") => a.partner = Some(path(&mut p)?),
                Long("offer") => a.offer = Some(path(&mut p)?),
                Long("reply") => a.reply = Some(path(&mut p)?),
                Long("confirm") => a.confirm = Some(path(&mut p)?),
                Long("fields") => a.fields_msg = Some(path(&mut p)?),
                Long("state") => a.state = Some(path(&mut p)?),
                Long("report") => a.report = Some(path(&mut p)?),
                Long("matrix") => a.matrix = Some(path(&mut p)?),
                Long("secret-file") => a.secret_file = Some(path(&mut p)?),
                Long("sharing") => {
                    let v = text(&mut p, "--sharing")?;
                    a.co_sell = v == "co-sell";
                    a.settings.sharing = if a.co_sell {
                        overlap::model::Sharing::Fields
                    } else {
                        v.parse().map_err(|e| format!("--sharing {v}: {e} (or co-sell)"))?
                    };
                }
                Long("share") => {
                    let v = text(&mut p, "--share")?;
                    a.settings.fields = v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                }
                Long("max-partner-set") => a.settings.max_partner_set = number(&mut p, "--max-partner-set")? as usize,
                Long("min-population") => a.settings.min_population = number(&mut p, "--min-population")? as u32,
                Long("max-populations") => a.settings.max_populations = number(&mut p, "--max-populations")? as usize,
                Long(flag @ ("column" | "delimiter" | "encoding" | "names" | "population")) => {
                    let flag = format!("--{flag}");
                    let v = text(&mut p, &flag)?;
                    a.reading.extend([flag, v]);
                    ingest_options(&a.reading)?;
                }
                Long("no-header") => a.reading.extend(["--header".to_string(), "no".to_string()]),
                Long("issues") => a.issues = Some(Issues { path: path(&mut p)?, flavour: Flavour::default() }),
                Long("plan") => a.plan.plan = Some(path(&mut p)?),
                Long("ranked") => a.plan.ranked = Some(path(&mut p)?),
                Long("partner-plan") => a.plan.partner_plan = Some(path(&mut p)?),
                Long("plan-size") => {
                    let n = number(&mut p, "--plan-size")? as usize;
                    if n == 0 || n > overlap::plan::LIMIT {
                        return Err(format!("--plan-size: between 1 and {} accounts", overlap::plan::LIMIT));
                    }
                    a.plan.size = Some(n);
                }
                Long("shape") => {
                    let v = text(&mut p, "--shape")?;
                    a.plan.table.edit(&v).map_err(|e| format!("--shape {v}: {e}"))?;
                }
                Long("today") => {
                    let v = text(&mut p, "--today")?;
                    a.plan.today = Some(overlap::model::parse_date(&v).ok_or(format!("--today {v}: not a date (YYYY-MM-DD)"))?);
                }
                Long("likely") => a.plan.likely = true,
                Long("csv-for") => {
                    let v = text(&mut p, "--csv-for")?;
                    a.csv_for = v.parse().map_err(|e| format!("--csv-for {v}: {e}"))?;
                }
                other => return Err(other.unexpected().to_string()),
            }
        }
        if let Some(i) = &mut a.issues {
            i.flavour = a.csv_for;
        }
        Ok(a)
    }
}

/// Builds the reading options from the verbatim reading flags.
pub(crate) fn ingest_options(reading: &[String]) -> Result<ingest::Options> {
    let mut o = ingest::Options::new();
    let mut rules: Vec<ingest::PopulationRule> = Vec::new();
    let mut it = reading.iter();
    while let Some(flag) = it.next() {
        let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--column" => {
                let (field, header) = ingest::columns::parse_override(v).map_err(|_| {
                    format!("--column {v}: expected FIELD=HEADER, FIELD one of website, domain, email, name, country, duns, linkedin, population")
                })?;
                o.column(field, header);
            }
            "--delimiter" => {
                o.delimiter(Some(ingest::parse_delimiter(v).map_err(|e| format!("--delimiter {v}: {e}"))?));
            }
            "--encoding" => {
                let e = v
                    .parse::<ingest::Encoding>()
                    .map_err(|_| format!("--encoding {v}: expected utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252"))?;
                o.encoding(Some(e));
            }
            "--names" => {
                o.name_keys(v.parse().map_err(|e| format!("--names {v}: {e}"))?);
            }
            "--header" => {
                o.header(Some(false));
            }
            "--population" => rules.push(v.parse().map_err(|e| format!("--population {v}: {e}"))?),
            f => return Err(format!("unknown reading option {f}")),
        }
    }
    if !rules.is_empty() {
        o.populations(Some(rules));
    }
    Ok(o)
}
