//! The `overlap` command-line tool: the same core, and the same message bytes, as the browser.
//!
//! ```text
//! overlap offer  --csv A.csv --state a.state --out 1.msg [--sharing counts|overlaps|fields]
//! overlap reply  --csv B.csv --offer 1.msg --state b.state --out 2.msg [--sharing …]
//! overlap finish --state a.state --reply 2.msg --out 3.msg --report a.csv [--matrix a-matrix.csv]
//! overlap finish --state b.state --confirm 3.msg --report b.csv [--matrix …] [--out 4.msg]
//! overlap finish --state a.state --fields 4.msg --report a.csv     (when B shares fields)
//! overlap quick start  --csv A.csv --state a.quick --out 1.msg
//! overlap quick answer --csv B.csv --partner 1.msg --out 2.msg --report b.csv
//! overlap quick finish --csv A.csv --state a.quick --partner 2.msg --report a.csv
//! overlap quick suggest-secret
//! overlap normalize domain < websites.txt
//! overlap inspect 1.msg
//! ```
//! Secrets are never taken on the command line (other users can see it): quick mode reads the
//! shared secret from `--secret-file` or the `OVERLAP_SECRET` environment variable; the private
//! protocol's secret scalar lives in the state file (keep it private; delete it when done).

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lexopt::ValueExt;
use overlap::csv_out::Flavour;
use overlap::ingest;
use overlap::normalize;
use overlap::protocol::wire::{self, Kind, Reader, Writer};
use overlap::protocol::job::run_threads;
use overlap::protocol::{quick, Advance, Party, Pending, ProtocolError, Settings, Sharing, Step};
use overlap::report::{MatrixUnit, Report};
use overlap::text::printable;
use zeroize::Zeroizing;

type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
overlap: private account mapping for B2B co-selling

PRIVATE PROTOCOL (ECDH over ristretto255; the partner learns only what you share):
  overlap offer  --csv FILE --state FILE --out FILE [SHARING] [READING]
      Partner A starts: writes the offer for B and A's session state.
  overlap reply  --csv FILE --offer FILE --state FILE --out FILE [SHARING] [READING]
      Partner B answers A's offer: writes the reply for A and B's session state.
  overlap finish --state FILE (--reply | --confirm | --fields) FILE --report FILE
                 [--matrix FILE] [--out FILE] [--csv FILE]
      Takes the partner's next message, writes my report (my overlapping rows with all their
      columns plus overlap_partner_populations, overlap_matched_on, overlap_confidence) and, when
      the exchange goes on, the next message (--out).

  SHARING: --sharing counts|overlaps|fields   what the partner may learn (default: counts)
           --share \"COL1,COL2\"               columns shared for overlapping accounts (fields)
           --max-partner-set N                refuse a larger partner set (default 5000000)
           --min-population N                 counts: smallest partner population group (default 5)
           --max-populations N                counts: most partner populations (default 8)
  READING: --column FIELD=HEADER      use this column for FIELD: website, domain, email (repeat for
                                      several), name, country, duns, linkedin, population
           --population NAME=COLUMN:V1|V2   a population of the rows whose COLUMN is V1 or V2
                                      (repeat; NAME=* every row, NAME=rest the others);
                                      default: Customers, Open Opportunities, Prospects, Other
                                      from the type/stage column
           --names paired|always|fallback|never   company-name keys (default paired: names match
                                      only when one of the two rows has no other key)
           --delimiter comma|semicolon|tab|pipe   --encoding utf-8|utf-16le|windows-1252|…
           --no-header   --issues FILE (row notices as CSV: line, kind, reason)
  CSV FILES: --csv-for excel|crm    how --report, --matrix and --issues are written: excel (the
                                      default: UTF-8 with BOM, cells that start like a formula
                                      prefixed with ') or crm (for a CRM import: no BOM, phone
                                      numbers and signed numbers such as +46 70 123 45 67 or
                                      -12.5 left as they are, formulas still prefixed)

QUICK MODE (keyed hashes under a shared secret: weaker, the partner can test guesses):
  overlap quick suggest-secret
      Prints a strong secret (six short words from the system's CSPRNG) to read to the partner.
  overlap quick start  --csv FILE --state FILE --out FILE [READING]
      The first partner: a new session and its list for the partner. The state file keeps only
      the session id (not the secret) until the answer comes.
  overlap quick answer --csv FILE --partner FILE --out FILE --report FILE [--matrix FILE]
      The second partner: checks the first partner's list, writes its own list for that
      session (--out) and its report at once.
  overlap quick finish --csv FILE --state FILE --partner FILE --report FILE [--matrix FILE]
      The first partner: matches the answer, which must belong to the session it started.
  The secret is read from --secret-file FILE or the OVERLAP_SECRET environment variable: at
  least 12 characters and not easy to guess (common words, keyboard runs, sequences, repeats
  and years are refused, with the reason). Deriving the key takes about half a second (Argon2id).

OTHER:
  overlap normalize <domain|email|name|country|duns|linkedin>
      One value per line on stdin; writes the normalized value, or an empty line when refused.
  overlap inspect FILE
      What a message holds: kind, session, sharing, populations, sizes (never a key).
  overlap columns --csv FILE [READING]
      How the file would be read: encoding, delimiter, columns with confidences, populations.
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
        "offer" => cmd_offer(Args::parse(parser)?),
        "reply" => cmd_reply(Args::parse(parser)?),
        "finish" => cmd_finish(Args::parse(parser)?),
        "quick" => cmd_quick(parser),
        "normalize" => cmd_normalize(parser),
        "inspect" => cmd_inspect(parser),
        "columns" => cmd_columns(Args::parse(parser)?),
        "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
    }
}

/// Where `--issues` writes the row notices, and in which flavour (`--csv-for`).
struct Issues {
    path: PathBuf,
    flavour: Flavour,
}

/// Options of the commands, validated but not yet acted on (ripgrep's two stages).
#[derive(Default)]
struct Args {
    csv: Option<PathBuf>,
    out: Option<PathBuf>,
    partner: Option<PathBuf>,
    offer: Option<PathBuf>,
    reply: Option<PathBuf>,
    confirm: Option<PathBuf>,
    fields_msg: Option<PathBuf>,
    state: Option<PathBuf>,
    report: Option<PathBuf>,
    matrix: Option<PathBuf>,
    secret_file: Option<PathBuf>,
    issues: Option<Issues>,
    /// How the CSV files are written (`--csv-for`).
    csv_for: Flavour,
    settings: Settings,
    /// The reading options as given (`--column …`), kept verbatim in the state so that `finish`
    /// reads the CSV exactly as `offer`/`reply` did.
    reading: Vec<String>,
}

impl Args {
    fn parse(mut p: lexopt::Parser) -> Result<Args> {
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
                    a.settings.sharing = Sharing::parse(&v)
                        .ok_or_else(|| format!("--sharing {v}: expected counts, overlaps or fields"))?;
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
fn ingest_options(reading: &[String]) -> Result<ingest::Options> {
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
                let d = match v.as_str() {
                    "," | "comma" => b',',
                    ";" | "semicolon" => b';',
                    "\t" | "\\t" | "tab" => b'\t',
                    "|" | "pipe" => b'|',
                    _ => return Err(format!("--delimiter {v}: expected comma, semicolon, tab or pipe")),
                };
                o.delimiter(Some(d));
            }
            "--encoding" => {
                let e = v.parse::<ingest::Encoding>().map_err(|_| {
                    format!("--encoding {v}: expected utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252")
                })?;
                o.encoding(Some(e));
            }
            "--names" => {
                o.name_keys(v.parse().map_err(|e| format!("--names {v}: {e}"))?);
            }
            "--header" => {
                o.header(Some(false));
            }
            "--population" => rules.push(parse_population(v)?),
            f => return Err(format!("unknown reading option {f}")),
        }
    }
    if !rules.is_empty() {
        o.populations(Some(rules));
    }
    Ok(o)
}

/// `NAME=COLUMN:value|value…`, `NAME=*` (every row) or `NAME=rest` (rows no other rule took).
fn parse_population(spec: &str) -> Result<ingest::PopulationRule> {
    let bad = || format!("--population {spec}: expected NAME=COLUMN:VALUE|VALUE…, NAME=* or NAME=rest");
    let (name, sel) = spec.split_once('=').ok_or_else(bad)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(bad());
    }
    Ok(match sel.trim() {
        "*" => ingest::PopulationRule::all(name),
        "rest" => ingest::PopulationRule::rest(name),
        sel => {
            let (column, values) = sel.rsplit_once(':').ok_or_else(bad)?;
            ingest::PopulationRule::values(name, column.trim(), values.split('|').map(str::trim).filter(|v| !v.is_empty()))
        }
    })
}

fn need<'a, T>(v: &'a Option<T>, flag: &str) -> Result<&'a T> {
    v.as_ref().ok_or_else(|| format!("missing {flag}"))
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a state file readable by its owner only: it holds the session's secret scalar.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn load_csv(path: &Path, reading: &[String]) -> Result<ingest::Dataset> {
    let mut options = ingest_options(reading)?;
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    options.size_hint(file.metadata().ok().map(|m| m.len()));
    ingest::read_from(std::io::BufReader::with_capacity(1 << 20, file), &options)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Tells what reading found (numbers and column names only) and writes the row notices.
fn report_reading(path: &Path, dataset: &ingest::Dataset, issues: Option<&Issues>) -> Result<()> {
    let s = dataset.summary();
    eprintln!(
        "{}: {} rows ({}, {}): {} used, {} not usable, {} outside every population, {} duplicates folded; {} distinct keys",
        path.display(),
        s.rows,
        s.encoding.label(),
        ingest::delimiter_name(s.delimiter),
        s.usable_rows,
        s.bad_rows,
        s.outside_populations,
        s.duplicates_folded,
        s.elements
    );
    let cols: Vec<String> = s.mapping.choices.iter().map(|c| format!("{}=\"{}\"", c.field.as_str(), printable(&c.header))).collect();
    eprintln!("  columns: {}", cols.join(", "));
    let pops: Vec<String> = s.populations.iter().map(|p| format!("{} ({} rows)", printable(&p.name), p.rows)).collect();
    eprintln!("  populations: {}", pops.join(", "));
    match issues {
        Some(f) => write_file(&f.path, &dataset.issues_csv_for(f.flavour))?,
        None if s.bad_rows > 0 => eprintln!("  (--issues FILE writes every row notice with its line and reason)"),
        None => {}
    }
    Ok(())
}

/// The CLI's state file: the CSV's path and reading options, then the party's state bytes.
const CLI_STATE: [u8; 4] = *b"OVLC";

fn save_state(path: &Path, csv: &Path, reading: &[String], party: &Party) -> Result<()> {
    let csv = std::fs::canonicalize(csv).unwrap_or_else(|_| csv.to_path_buf());
    let mut w = Writer::record(&CLI_STATE, 1);
    w.str16(&csv.to_string_lossy());
    w.u8(reading.len() as u8);
    for r in reading {
        w.str16(r);
    }
    let bytes = party.to_bytes();
    w.u32(bytes.len() as u32);
    w.bytes(&bytes);
    write_private(path, &w.finish())
}

fn load_state(path: &Path) -> Result<(PathBuf, Vec<String>, Party)> {
    let bytes = read_file(path)?;
    let fail = |why: String| format!("{}: {why}", path.display());
    let mut r: Reader<'_> = wire::open_record(&bytes, &CLI_STATE, 1)
        .map_err(|_| fail("not an overlap state file (or damaged)".into()))?;
    let inner = (|| -> std::result::Result<_, overlap::protocol::MessageError> {
        let csv = PathBuf::from(r.str16("csv path")?);
        let n = r.u8("reading options")?;
        let reading = (0..n).map(|_| r.str16("reading option")).collect::<std::result::Result<Vec<_>, _>>()?;
        let len = r.u32("party state")? as usize;
        let party = r.bytes(len, "party state")?.to_vec();
        r.end()?;
        Ok((csv, reading, party))
    })()
    .map_err(|e| fail(format!("damaged state file ({e})")))?;
    let party = Party::from_bytes(&inner.2).map_err(|e| fail(e.to_string()))?;
    Ok((inner.0, inner.1, party))
}

/// Keys or points per piece of curve work: small enough to keep every core busy to the end and to
/// report progress often, large enough to amortise the batched encoding.
const PIECE: usize = 4096;

/// Runs a step's curve work on every core ([`overlap::protocol::job::run_threads`]), with a
/// progress line on stderr when it is a terminal. Counts only: no key or point is ever printed.
fn run_parallel(pending: Pending, dataset: &ingest::Dataset) -> std::result::Result<Advance, ProtocolError> {
    let job = pending.job();
    if job.size() < 256 {
        return pending.run(dataset);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let show = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let started = std::time::Instant::now();
    let out = run_threads(pending.scalar(), job, threads, PIECE, |done, total| {
        if show {
            eprint!("\r  blinding: {done} of {total} ({}%), {:.0} s", done * 100 / total.max(1), started.elapsed().as_secs_f64());
        }
    })?;
    if show {
        eprint!("\r\x1b[K");
    }
    pending.complete(dataset, out)
}

/// What the step learned that the user should know now: notes about the partner's list, and the
/// session code to compare by phone.
fn tell_step(party: &Party, notes: bool) {
    for n in party.notes().iter().filter(|_| notes) {
        eprintln!("note: {}", printable(n));
    }
    if let Some(code) = party.session_code() {
        eprintln!(
            "session code: {code}\n  Read it to your partner by phone: theirs must be the same. If it differs, someone else took part in this exchange: discard the results."
        );
    }
}

fn cmd_offer(args: Args) -> Result<()> {
    let csv = need(&args.csv, "--csv FILE")?;
    let state = need(&args.state, "--state FILE")?;
    let out = need(&args.out, "--out FILE")?;
    let dataset = load_csv(csv, &args.reading)?;
    report_reading(csv, &dataset, args.issues.as_ref())?;
    let step = Party::start(&dataset, args.settings.clone()).and_then(|p| run_parallel(p, &dataset)).map_err(|e| e.to_string())?;
    let msg = step.message.ok_or("no offer was produced")?;
    save_state(state, csv, &args.reading, &step.party)?;
    write_file(out, &msg)?;
    eprintln!(
        "offer: {} ({} elements from {} rows, sharing {}); send it to your partner",
        out.display(),
        dataset.keys().len(),
        dataset.row_count(),
        args.settings.sharing.as_str()
    );
    Ok(())
}

fn cmd_reply(args: Args) -> Result<()> {
    let csv = need(&args.csv, "--csv FILE")?;
    let offer_path = need(&args.offer, "--offer FILE")?;
    let state = need(&args.state, "--state FILE")?;
    let out = need(&args.out, "--out FILE")?;
    let dataset = load_csv(csv, &args.reading)?;
    report_reading(csv, &dataset, args.issues.as_ref())?;
    let offer = read_file(offer_path)?;
    let step = Party::respond(&dataset, args.settings.clone(), &offer)
        .and_then(|p| run_parallel(p, &dataset))
        .map_err(|e| format!("{}: {e}", offer_path.display()))?;
    let msg = step.message.ok_or("no reply was produced")?;
    save_state(state, csv, &args.reading, &step.party)?;
    tell_step(&step.party, true);
    write_file(out, &msg)?;
    eprintln!(
        "reply: {} ({} elements, sharing {}); send it to your partner",
        out.display(),
        dataset.keys().len(),
        args.settings.sharing.as_str()
    );
    Ok(())
}

fn cmd_finish(args: Args) -> Result<()> {
    let state_path = need(&args.state, "--state FILE")?;
    let (saved_csv, reading, party) = load_state(state_path)?;
    let csv = args.csv.clone().unwrap_or(saved_csv);
    let (msg_path, expected) = match (&args.reply, &args.confirm, &args.fields_msg) {
        (Some(p), None, None) => (p, Step::AwaitReply),
        (None, Some(p), None) => (p, Step::AwaitConfirm),
        (None, None, Some(p)) => (p, Step::AwaitFields),
        _ => return Err("finish takes exactly one of --reply, --confirm, --fields FILE".into()),
    };
    if party.step() != expected {
        return Err(format!("{}: the session is {}", state_path.display(), party.step().describe()));
    }
    let dataset = load_csv(&csv, &reading)?;
    let msg = read_file(msg_path)?;
    let step = party
        .receive(&dataset, &msg)
        .and_then(|p| run_parallel(p, &dataset))
        .map_err(|e| format!("{}: {e}", msg_path.display()))?;
    save_state(state_path, &csv, &reading, &step.party)?;
    // Notes reach the report's warnings, printed with it.
    tell_step(&step.party, false);
    if let Some(next) = &step.message {
        let out = need(&args.out, "--out FILE (the next message for the partner)")?;
        write_file(out, next)?;
        let kind = wire::open(next).map(|(h, _)| h.kind.name()).unwrap_or("message");
        eprintln!("{kind}: {}; send it to your partner", out.display());
    }
    let report = step.party.report(&dataset).map_err(|e| e.to_string())?.ok_or("no result yet")?;
    write_outputs(&args, &dataset, &report)?;
    if step.party.step() == Step::AwaitFields {
        eprintln!("the partner will send its shared fields: finish again with --fields FILE to add them");
    }
    Ok(())
}

fn write_outputs(args: &Args, dataset: &ingest::Dataset, report: &Report) -> Result<()> {
    if let Some(r) = &args.report {
        write_file(r, &report.to_csv_for(dataset, args.csv_for))?;
    }
    if let Some(m) = &args.matrix {
        write_file(m, &report.matrix_csv_for(args.csv_for))?;
    }
    for w in &report.warnings {
        eprintln!("warning: {}", printable(w));
    }
    print_summary(report);
    Ok(())
}

fn print_summary(report: &Report) {
    match report.matrix_unit {
        MatrixUnit::Rows => println!(
            "{} of my {} rows overlap ({} shared keys; partner set: {} keys)",
            report.matches.len(),
            report.my_rows,
            report.matched_elements,
            report.partner_set_size
        ),
        MatrixUnit::Elements => println!(
            "{} shared keys (the partner shares counts only: no row is named; partner set: {} keys)",
            report.matched_elements, report.partner_set_size
        ),
    }
    // Population names are printed through `printable`: the partner's are the partner's strings.
    let width = report.my_populations.iter().map(|p| printable(&p.name).chars().count()).max().unwrap_or(0).max(6);
    print!("{:width$}", "");
    for p in &report.partner_populations {
        print!("  {:>12}", printable(&p.name));
    }
    println!();
    for (i, p) in report.my_populations.iter().enumerate() {
        print!("{:width$}", printable(&p.name));
        for c in &report.matrix[i] {
            print!("  {c:>12}");
        }
        println!();
    }
}

fn cmd_columns(args: Args) -> Result<()> {
    let path = need(&args.csv, "--csv FILE")?;
    let bytes = read_file(path)?;
    let head = &bytes[..bytes.len().min(ingest::SNIFF_BYTES)];
    let p = ingest::sniff(head, &ingest_options(&args.reading)?).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("encoding: {}", p.encoding.label());
    println!("delimiter: {}", ingest::delimiter_name(p.delimiter));
    println!("columns:");
    for c in &p.mapping.choices {
        println!("  {:<10} \"{}\" (column {}, confidence {:.2}, from {})", c.field.as_str(), printable(&c.header), c.column + 1, c.confidence, c.basis.as_str());
    }
    for n in &p.mapping.notes {
        println!("  note: {}", printable(n));
    }
    println!("population rules:");
    for r in &p.rules {
        let name = printable(&r.name);
        match &r.select {
            ingest::Select::All => println!("  {name} = every row"),
            ingest::Select::Rest => println!("  {name} = rows no other rule took"),
            ingest::Select::Values { column, values } => {
                let values: Vec<_> = values.iter().map(|v| printable(v)).collect();
                println!("  {name} = {}: {}", printable(column), values.join(" | "))
            }
        }
    }
    for c in &p.population_columns {
        let vals: Vec<String> = c.values.iter().map(|(v, n)| format!("{} ({n})", printable(v))).collect();
        println!("values of \"{}\" in the first rows: {}{}", printable(&c.header), vals.join(", "), if c.more > 0 { ", …" } else { "" });
    }
    Ok(())
}

fn cmd_inspect(mut p: lexopt::Parser) -> Result<()> {
    let path = match p.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => PathBuf::from(v),
        _ => return Err("inspect needs a message file".into()),
    };
    let bytes = read_file(&path)?;
    let (h, _) = wire::open(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("kind: {}", h.kind.name());
    println!("session: {}", h.session.iter().map(|b| format!("{b:02x}")).collect::<String>());
    // Everything below but the counts is the sender's text: printed through `printable`.
    println!("normalization: {}", printable(&h.normalization));
    println!("bytes: {}", bytes.len());
    if h.kind == Kind::QuickList {
        if let Ok(q) = quick::peek(&bytes) {
            println!("quick-mode list of the {} partner", q.role.name());
            println!("elements: {}", q.elements);
        }
    }
    if h.kind == Kind::Offer {
        if let Ok(o) = overlap::protocol::messages::Offer::decode(&bytes, usize::MAX) {
            println!("sharing: {}", o.from.sharing.as_str());
            if !o.from.fields.is_empty() {
                let fields: Vec<_> = o.from.fields.iter().map(|f| printable(f)).collect();
                println!("shared columns: {}", fields.join(", "));
            }
            for pop in &o.from.populations {
                println!("population: {} ({} elements, {})", printable(&pop.name), pop.size, pop.role);
            }
            println!("elements: {}", o.queries.len());
        }
    }
    Ok(())
}

fn secret(args: &Args) -> Result<quick::Secret> {
    let bytes = match &args.secret_file {
        Some(p) => {
            let mut b = Zeroizing::new(read_file(p)?);
            while b.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
                b.pop();
            }
            b
        }
        None => Zeroizing::new(
            std::env::var("OVERLAP_SECRET")
                .map_err(|_| "quick mode needs the shared secret: --secret-file FILE or OVERLAP_SECRET".to_string())?
                .into_bytes(),
        ),
    };
    quick::Secret::from_bytes(&bytes).map_err(|e| format!("{e} (overlap quick suggest-secret prints one)"))
}

/// The quick-mode state file of the first partner: the session id, nothing else.
const QUICK_STATE: [u8; 4] = *b"OVLQ";

fn save_quick_state(path: &Path, session: &quick::SessionId) -> Result<()> {
    let mut w = Writer::record(&QUICK_STATE, 1);
    w.bytes(session);
    write_private(path, &w.finish())
}

fn load_quick_state(path: &Path) -> Result<quick::SessionId> {
    let bytes = read_file(path)?;
    let fail = || format!("{}: not a quick-mode state file of overlap quick start (or damaged)", path.display());
    let mut r = wire::open_record(&bytes, &QUICK_STATE, 1).map_err(|_| fail())?;
    let session = r.array::<16>("session id").map_err(|_| fail())?;
    r.end().map_err(|_| fail())?;
    Ok(session)
}

fn cmd_quick(mut p: lexopt::Parser) -> Result<()> {
    let verb = match p.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v.string().map_err(|_| "quick: the step must be UTF-8".to_string())?,
        _ => return Err("quick needs a step: start, answer, finish or suggest-secret (overlap --help)".into()),
    };
    if verb == "suggest-secret" {
        let s = Zeroizing::new(quick::suggest_secret().map_err(|e| e.to_string())?);
        println!("{}", s.as_str());
        return Ok(());
    }
    let args = Args::parse(p)?;
    let csv = need(&args.csv, "--csv FILE")?;
    // The secret first: a weak one is refused before the file is read.
    let secret = secret(&args)?;
    let max = args.settings.max_partner_set;
    match verb.as_str() {
        "start" => {
            let (state, out) = (need(&args.state, "--state FILE")?, need(&args.out, "--out FILE")?);
            let dataset = load_csv(csv, &args.reading)?;
            report_reading(csv, &dataset, args.issues.as_ref())?;
            let started = quick::start(&dataset, &secret).map_err(|e| e.to_string())?;
            save_quick_state(state, &started.session)?;
            write_file(out, &started.message)?;
            eprintln!("{}: my list for the partner ({} bytes); {} keeps the session until the answer comes", out.display(), started.message.len(), state.display());
            Ok(())
        }
        "answer" => {
            let (partner, out) = (need(&args.partner, "--partner FILE")?, need(&args.out, "--out FILE")?);
            need(&args.report, "--report FILE")?;
            let dataset = load_csv(csv, &args.reading)?;
            report_reading(csv, &dataset, args.issues.as_ref())?;
            let msg = read_file(partner)?;
            let answered = quick::answer(&dataset, &secret, &msg, max).map_err(|e| format!("{}: {e}", partner.display()))?;
            write_file(out, &answered.message)?;
            eprintln!("{}: my list for the partner ({} bytes)", out.display(), answered.message.len());
            write_outputs(&args, &dataset, &answered.report)
        }
        "finish" => {
            let (state, partner) = (need(&args.state, "--state FILE")?, need(&args.partner, "--partner FILE")?);
            need(&args.report, "--report FILE")?;
            let session = load_quick_state(state)?;
            let dataset = load_csv(csv, &args.reading)?;
            report_reading(csv, &dataset, args.issues.as_ref())?;
            let msg = read_file(partner)?;
            let report = quick::finish(&dataset, &secret, &session, &msg, max).map_err(|e| format!("{}: {e}", partner.display()))?;
            write_outputs(&args, &dataset, &report)
        }
        other => Err(format!("quick {other}: expected start, answer, finish or suggest-secret")),
    }
}

fn cmd_normalize(mut p: lexopt::Parser) -> Result<()> {
    let kind = match p.next().map_err(|e| e.to_string())? {
        Some(lexopt::Arg::Value(v)) => v.string().map_err(|_| "the kind must be UTF-8".to_string())?,
        _ => return Err("normalize needs a kind: domain|email|name|country|duns|linkedin".into()),
    };
    let kind: normalize::Kind = kind.parse().map_err(|e: normalize::NormalizeError| format!("normalize {kind}: {e}"))?;
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let v = kind.apply(text).unwrap_or_default();
        writeln!(out, "{v}").map_err(|e| format!("stdout (line {}): {e}", n + 1))?;
    }
    out.flush().map_err(|e| format!("stdout: {e}"))
}
