//! The commands: each takes its validated [`Args`], reads and writes files, runs the core.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use lexopt::ValueExt;
use overlap::ingest;
use overlap::normalize;
use overlap::protocol::job::run_threads;
use overlap::protocol::wire::{self, Kind};
use overlap::protocol::{quick, Advance, Party, Pending, ProtocolError, Step};
use overlap::report::{MatrixUnit, Report};
use overlap::text::printable;
use zeroize::Zeroizing;

use crate::args::{ingest_options, Args, Issues};
use crate::files::*;
use crate::Result;

/// Tells what reading found (numbers and column names only) and writes the row notices.
pub(crate) fn report_reading(path: &Path, dataset: &ingest::Dataset, issues: Option<&Issues>) -> Result<()> {
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
    let cols: Vec<String> =
        s.mapping.choices.iter().map(|c| format!("{}=\"{}\"", c.field.as_str(), printable(&c.header))).collect();
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

/// Keys or points per piece of curve work: small enough to keep every core busy to the end and to
/// report progress often, large enough to amortise the batched encoding.
pub(crate) const PIECE: usize = 4096;

/// Runs a step's curve work on every core ([`overlap::protocol::job::run_threads`]), with a
/// progress line on stderr when it is a terminal. Counts only: no key or point is ever printed.
pub(crate) fn run_parallel(pending: Pending, dataset: &ingest::Dataset) -> std::result::Result<Advance, ProtocolError> {
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
pub(crate) fn tell_step(party: &Party, notes: bool) {
    for n in party.notes().iter().filter(|_| notes) {
        eprintln!("note: {}", printable(n));
    }
    if let Some(code) = party.session_code() {
        eprintln!(
            "session code: {code}\n  Read it to your partner by phone: theirs must be the same. If it differs, someone else took part in this exchange: discard the results."
        );
    }
}

/// `--sharing co-sell`: share the owner and deal-stage columns of the file (with `--share`, those
/// columns are added to the ones named).
fn co_sell(args: &Args, dataset: &ingest::Dataset) -> Result<overlap::protocol::Settings> {
    let mut settings = args.settings.clone();
    if args.co_sell {
        for f in overlap::plan::co_sell_fields(dataset) {
            if !settings.fields.contains(&f) {
                settings.fields.push(f);
            }
        }
        if settings.fields.is_empty() {
            return Err(
                "--sharing co-sell: the file has no owner or deal stage column to share; use --sharing overlaps, or name \
                        the columns with --column owner=HEADER / --column deal-stage=HEADER"
                    .into(),
            );
        }
        eprintln!("co-sell planning: sharing overlaps and the columns {}", settings.fields.join(", "));
    }
    Ok(settings)
}

pub(crate) fn cmd_offer(args: Args) -> Result<()> {
    let csv = need(&args.csv, "--csv FILE")?;
    let state = need(&args.state, "--state FILE")?;
    let out = need(&args.out, "--out FILE")?;
    let dataset = load_csv(csv, &args.reading)?;
    report_reading(csv, &dataset, args.issues.as_ref())?;
    let settings = co_sell(&args, &dataset)?;
    let step = Party::start(&dataset, settings.clone()).and_then(|p| run_parallel(p, &dataset)).map_err(|e| e.to_string())?;
    let msg = step.message.ok_or("no offer was produced")?;
    save_state(state, csv, &args.reading, &step.party)?;
    write_file(out, &msg)?;
    eprintln!(
        "offer: {} ({} elements from {} rows, sharing {}); send it to your partner",
        out.display(),
        dataset.keys().len(),
        dataset.row_count(),
        settings.sharing.as_str()
    );
    Ok(())
}

pub(crate) fn cmd_reply(args: Args) -> Result<()> {
    let csv = need(&args.csv, "--csv FILE")?;
    let offer_path = need(&args.offer, "--offer FILE")?;
    let state = need(&args.state, "--state FILE")?;
    let out = need(&args.out, "--out FILE")?;
    let dataset = load_csv(csv, &args.reading)?;
    report_reading(csv, &dataset, args.issues.as_ref())?;
    let settings = co_sell(&args, &dataset)?;
    let offer = read_file(offer_path)?;
    let step = Party::respond(&dataset, settings.clone(), &offer)
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
        settings.sharing.as_str()
    );
    Ok(())
}

pub(crate) fn cmd_finish(args: Args) -> Result<()> {
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
    if crate::plan::wanted(&args.plan) {
        if step.party.step() == Step::Done {
            crate::plan::write_plan(&args, &dataset, &report)?;
        } else {
            eprintln!("the plan comes once the session is finished (after the partner's fields)");
        }
    }
    if step.party.step() == Step::AwaitFields {
        eprintln!("the partner will send its shared fields: finish again with --fields FILE to add them");
    }
    Ok(())
}

pub(crate) fn write_outputs(args: &Args, dataset: &ingest::Dataset, report: &Report) -> Result<()> {
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

pub(crate) fn print_summary(report: &Report) {
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

pub(crate) fn cmd_columns(args: Args) -> Result<()> {
    let path = need(&args.csv, "--csv FILE")?;
    let bytes = read_file(path)?;
    let head = &bytes[..bytes.len().min(ingest::SNIFF_BYTES)];
    let p = ingest::sniff(head, &ingest_options(&args.reading)?).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("encoding: {}", p.encoding.label());
    println!("delimiter: {}", ingest::delimiter_name(p.delimiter));
    println!("columns:");
    for c in &p.mapping.choices {
        println!(
            "  {:<10} \"{}\" (column {}, confidence {:.2}, from {})",
            c.field.as_str(),
            printable(&c.header),
            c.column + 1,
            c.confidence,
            c.basis.as_str()
        );
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
            ingest::Select::Open { column } => println!("  {name} = {}: any open deal stage", printable(column)),
        }
    }
    for c in &p.population_columns {
        let vals: Vec<String> = c.values.iter().map(|(v, n)| format!("{} ({n})", printable(v))).collect();
        println!(
            "values of \"{}\" in the first rows: {}{}",
            printable(&c.header),
            vals.join(", "),
            if c.more > 0 { ", …" } else { "" }
        );
    }
    Ok(())
}

pub(crate) fn cmd_inspect(mut p: lexopt::Parser) -> Result<()> {
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

pub(crate) fn secret(args: &Args) -> Result<quick::Secret> {
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

pub(crate) fn cmd_quick(mut p: lexopt::Parser) -> Result<()> {
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
            eprintln!(
                "{}: my list for the partner ({} bytes); {} keeps the session until the answer comes",
                out.display(),
                started.message.len(),
                state.display()
            );
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
            let report =
                quick::finish(&dataset, &secret, &session, &msg, max).map_err(|e| format!("{}: {e}", partner.display()))?;
            write_outputs(&args, &dataset, &report)
        }
        other => Err(format!("quick {other}: expected start, answer, finish or suggest-secret")),
    }
}

pub(crate) fn cmd_normalize(mut p: lexopt::Parser) -> Result<()> {
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
