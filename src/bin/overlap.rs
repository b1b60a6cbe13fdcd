//! The `overlap` command-line tool: the same core, and the same message bytes, as the browser.
//!
//! ```text
//! overlap quick --csv A.csv --out a.msg                     # my keyed list (quick mode)
//! overlap quick --csv A.csv --partner b.msg --report a.csv  # match against the partner's list
//! overlap normalize domain < websites.txt                   # one normalized value per line
//! ```
//! Secrets are never taken on the command line (other users can see it): quick mode reads the
//! shared secret from `--secret-file` or the `OVERLAP_SECRET` environment variable.

use std::ffi::OsString;

use lexopt::ValueExt;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use overlap::ingest::{self, Field};
use overlap::normalize;
use overlap::protocol::quick;

type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
overlap: private account mapping for B2B co-selling

USAGE:
  overlap quick --csv FILE --out FILE [--column FIELD=HEADER]...
      Write my list keyed under the shared secret (quick mode: weaker, the partner can test
      guesses against it).
  overlap quick --csv FILE --partner FILE --report FILE [--matrix FILE] [--column FIELD=HEADER]...
      Match my export against the partner's quick-mode list; write my overlapping rows.
  overlap normalize <domain|email|name|country|duns|linkedin>
      Read one value per line on stdin; write the normalized value, or an empty line when refused.

The quick-mode secret is read from --secret-file FILE or the OVERLAP_SECRET environment variable.
";

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("overlap: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<OsString>) -> Result<()> {
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v.string().map_err(|_| "the command must be UTF-8".to_string())?,
        Some(lexopt::Arg::Long("help")) | Some(lexopt::Arg::Short('h')) | None => {
            print!("{USAGE}");
            return Ok(());
        }
        Some(other) => return Err(format!("{}\n\n{USAGE}", other.unexpected())),
    };
    match command.as_str() {
        "quick" => cmd_quick(Args::parse(parser)?),
        "normalize" => cmd_normalize(parser),
        other => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    }
}

/// Options shared by the commands, validated but not yet acted on.
#[derive(Default)]
struct Args {
    csv: Option<PathBuf>,
    out: Option<PathBuf>,
    partner: Option<PathBuf>,
    report: Option<PathBuf>,
    matrix: Option<PathBuf>,
    secret_file: Option<PathBuf>,
    columns: Vec<(Field, String)>,
}

impl Args {
    fn parse(mut p: lexopt::Parser) -> Result<Args> {
        use lexopt::Arg::*;
        let mut a = Args::default();
        let path = |p: &mut lexopt::Parser| p.value().map(PathBuf::from).map_err(|e| e.to_string());
        while let Some(arg) = p.next().map_err(|e| e.to_string())? {
            match arg {
                Long("csv") => a.csv = Some(path(&mut p)?),
                Long("out") => a.out = Some(path(&mut p)?),
                Long("partner") => a.partner = Some(path(&mut p)?),
                Long("report") => a.report = Some(path(&mut p)?),
                Long("matrix") => a.matrix = Some(path(&mut p)?),
                Long("secret-file") => a.secret_file = Some(path(&mut p)?),
                Long("column") => {
                    let v = p.value().map_err(|e| e.to_string())?.string().map_err(|_| "--column must be UTF-8")?;
                    a.columns.push(parse_column(&v)?);
                }
                other => return Err(other.unexpected().to_string()),
            }
        }
        Ok(a)
    }

    fn ingest_options(&self) -> ingest::Options {
        ingest::Options { columns: self.columns.clone() }
    }
}

fn parse_column(v: &str) -> Result<(Field, String)> {
    let (field, header) = v.split_once('=').ok_or_else(|| format!("--column {v}: expected FIELD=HEADER"))?;
    let field = match field.trim() {
        "website" => Field::Website,
        f => return Err(format!("--column: unknown field \"{f}\" (known: website)")),
    };
    Ok((field, header.trim_matches('"').to_string()))
}

fn need<'a, T>(v: &'a Option<T>, flag: &str) -> Result<&'a T> {
    v.as_ref().ok_or_else(|| format!("missing {flag}"))
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_file(path: &PathBuf, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn load_dataset(args: &Args) -> Result<ingest::Dataset> {
    let path = need(&args.csv, "--csv FILE")?;
    ingest::read(&read_file(path)?, &args.ingest_options()).map_err(|e| format!("{}: {e}", path.display()))
}

fn secret(args: &Args) -> Result<quick::Secret> {
    let bytes = match &args.secret_file {
        Some(p) => {
            let mut b = read_file(p)?;
            while b.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
                b.pop();
            }
            b
        }
        None => std::env::var("OVERLAP_SECRET")
            .map_err(|_| "quick mode needs the shared secret: --secret-file FILE or OVERLAP_SECRET".to_string())?
            .into_bytes(),
    };
    quick::Secret::new(&bytes).map_err(|e| e.to_string())
}

fn cmd_quick(args: Args) -> Result<()> {
    let dataset = load_dataset(&args)?;
    let secret = secret(&args)?;
    for issue in dataset.issues().iter().take(5) {
        eprintln!("line {}: no key ({})", issue.line, issue.reason);
    }
    if dataset.issues().len() > 5 {
        eprintln!("… {} rows without a key in all", dataset.issues().len());
    }
    match (&args.partner, &args.out) {
        (None, Some(out)) => {
            write_file(out, &quick::make_list(&dataset, &secret))?;
            eprintln!("{}: {} rows, {} distinct keys", out.display(), dataset.row_count(), dataset.keys().len());
            Ok(())
        }
        (Some(partner), _) => {
            let msg = read_file(partner)?;
            let report = quick::match_list(&dataset, &secret, &msg, quick::DEFAULT_MAX_PARTNER_SET)
                .map_err(|e| format!("{}: {e}", partner.display()))?;
            write_file(need(&args.report, "--report FILE")?, &report.to_csv(&dataset))?;
            if let Some(m) = &args.matrix {
                write_file(m, &report.matrix_csv())?;
            }
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "{} of my {} rows overlap ({} shared keys; partner set: {} keys)",
                report.matches.len(),
                report.my_rows,
                report.matched_elements,
                report.partner_set_size
            );
            Ok(())
        }
        (None, None) => Err("quick needs --out FILE (make my list) or --partner FILE (match)".into()),
    }
}

fn cmd_normalize(mut p: lexopt::Parser) -> Result<()> {
    let kind = match p.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v.string().map_err(|_| "the kind must be UTF-8".to_string())?,
        _ => return Err("normalize needs a kind: domain|email|name|country|duns|linkedin".into()),
    };
    let f: fn(&str) -> std::result::Result<String, normalize::Refusal> = match kind.as_str() {
        "domain" => normalize::domain,
        "email" => normalize::email,
        "name" => normalize::name,
        "country" => |s| normalize::country(s).map(str::to_string),
        "duns" => normalize::duns,
        "linkedin" => normalize::linkedin,
        k => return Err(format!("unknown kind \"{k}\" (domain|email|name|country|duns|linkedin)")),
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let v = f(text).unwrap_or_default();
        writeln!(out, "{v}").map_err(|e| format!("stdout (line {}): {e}", n + 1))?;
    }
    out.flush().map_err(|e| format!("stdout: {e}"))
}
